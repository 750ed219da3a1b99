"""nashra: publish written Arabic articles as a podcast."""

__version__ = "0.1.0"
