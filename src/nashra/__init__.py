"""nashra: publish written Arabic articles as a podcast.

The packages are layers, each importing only its own layer or lower ones (CONTRIBUTING.md
has the map; import-linter checks it). This module holds `__version__`, which any layer reads.

May import: nothing in nashra.
"""

__version__ = "0.1.0"
