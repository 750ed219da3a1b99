"""Where eSpeak NG comes from in this process: the wheel's library, the system's, or
the `espeak-ng` program, in that order of preference, unless `NASHRA_ESPEAK`
names the one to use (`wheel`, `system` or `program`)."""

from __future__ import annotations

import ctypes.util
import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

BackendKind = Literal["wheel", "system", "program"]
KINDS: tuple[BackendKind, ...] = ("wheel", "system", "program")
CHOICE_VARIABLE = "NASHRA_ESPEAK"


@dataclass(frozen=True)
class Backend:
    """What this process will use to run eSpeak NG."""

    kind: BackendKind
    location: str
    """The shared library or program path."""
    data_path: str | None = None
    """The `espeak-ng-data` folder to pass to the library; None means its built-in default."""

    def describe(self) -> str:
        if self.kind == "wheel":
            return f"libespeak-ng from the espeakng-loader wheel ({self.location})"
        if self.kind == "system":
            return f"system libespeak-ng ({self.location})"
        return f"the espeak-ng program ({self.location})"


def find_backend() -> Backend | str:
    """The backend this process would use, or why there is none.

    `NASHRA_ESPEAK=wheel|system|program` allows that one alone: a machine whose
    distribution's espeak-ng is wanted instead of the wheel's, say.
    """
    chosen = os.environ.get(CHOICE_VARIABLE, "").strip()
    if chosen and chosen not in KINDS:
        return (
            f"{CHOICE_VARIABLE}={chosen!r} is not one of {', '.join(KINDS)}"
            f" (or unset, to take the first that is installed)"
        )
    problems: list[str] = []
    for kind in KINDS:
        if chosen and kind != chosen:
            continue
        found = _FINDERS[kind](problems)
        if found is not None:
            return found
    hint = (
        "Install nashra's dependencies (pip install espeakng-loader) or espeak-ng itself"
        " (apt-get install espeak-ng)."
    )
    if chosen:
        hint = f"{CHOICE_VARIABLE}={chosen} allows no other. " + hint
    return "; ".join(problems) + ". " + hint


def _wheel(problems: list[str]) -> Backend | None:
    try:
        import espeakng_loader

        library = str(espeakng_loader.get_library_path())
        data = str(espeakng_loader.get_data_path())
    except ImportError:
        problems.append("the espeakng-loader wheel is not installed")
    except RuntimeError as exc:  # the wheel raises this when its data folder is missing
        problems.append(f"the espeakng-loader wheel is broken ({exc})")
    else:
        if Path(library).is_file():
            return Backend("wheel", library, data)
        problems.append(f"the espeakng-loader wheel has no library at {library}")
    return None


def _system(problems: list[str]) -> Backend | None:
    system = ctypes.util.find_library("espeak-ng")
    if system:
        return Backend("system", system)
    problems.append("no system libespeak-ng")
    return None


def _program(problems: list[str]) -> Backend | None:
    program = shutil.which("espeak-ng")
    if program:
        return Backend("program", program)
    problems.append("no espeak-ng program on PATH")
    return None


_FINDERS: dict[BackendKind, Callable[[list[str]], Backend | None]] = {
    "wheel": _wheel,
    "system": _system,
    "program": _program,
}
