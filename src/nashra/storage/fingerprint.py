"""nashra's fingerprint: one hash of every file the package ships.

What an article reads and says, and what a page looks like, depend on the code
and on the data beside it (the counted nouns, the built-in lexicon, the sources
list, the page templates). Every cache that keeps something nashra made (the
content cache, and through its salt the read memo; the site's key) hashes this
fingerprint, so an edit to any shipped file makes again what it may change, and
nothing else is needed to invalidate them. Contents, not modification times: a
checkout that brings back the same bytes keeps the caches.
"""

from __future__ import annotations

import functools
import hashlib
from importlib import resources
from importlib.resources.abc import Traversable

_COMPILED = (".pyc", ".pyo")
"""Made from the modules, which are hashed themselves; written by whoever imports them."""


def digest(root: Traversable) -> str:
    """The hash of the relative path and bytes of every file under `root`, bytecode aside."""
    found: list[tuple[str, Traversable]] = []
    folders: list[tuple[str, Traversable]] = [("", root)]
    while folders:
        prefix, folder = folders.pop()
        for entry in folder.iterdir():
            if entry.is_dir():
                if entry.name != "__pycache__":
                    folders.append((f"{prefix}{entry.name}/", entry))
            elif not entry.name.endswith(_COMPILED):
                found.append((prefix + entry.name, entry))
    hashed = hashlib.sha256()
    for name, entry in sorted(found, key=lambda item: item[0]):
        data = entry.read_bytes()
        # Lengths keep the boundaries: no two packages hash the same stream.
        hashed.update(f"{name}\0{len(data)}\0".encode())
        hashed.update(data)
    return hashed.hexdigest()


@functools.cache
def fingerprint() -> str:
    """The installed package's `digest`, made once per process."""
    return digest(resources.files("nashra"))
