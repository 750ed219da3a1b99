"""An engine's own table in `podcast.toml`, `[speech.<name>]`, read into its options.

The engine declares its options as a frozen dataclass; this reads a TOML table
into it: unknown keys are refused with the keys it knows, each value's type is
checked against the field's annotation, and then the engine checks the values.
"""

from __future__ import annotations

import typing
from collections.abc import Mapping
from dataclasses import fields
from typing import Any

from nashra.core.suggest import closest


class OptionsError(ValueError):
    """A value in an engine's table is wrong; the message starts with the key."""


def read_options(cls: type[Any], table: Mapping[str, Any]) -> Any:
    """`table` as an instance of the dataclass `cls`; raise `OptionsError` naming the key."""
    hints = typing.get_type_hints(cls)
    known = {f.name for f in fields(cls)}
    for key in table:
        if key not in known:
            match = closest(key, known)
            hint = f"; did you mean `{match}`?" if match else ""
            listed = ", ".join(sorted(known)) or "none"
            raise OptionsError(f"unknown key `{key}`{hint} (known keys: {listed})")
    for key, value in table.items():
        expected = hints[key]
        if not _fits(value, expected):
            raise OptionsError(f"{key} must be {_describe(expected)}, not {_name(value)}")
    values = {
        key: float(value) if hints[key] is float and isinstance(value, int) else value
        for key, value in table.items()
    }
    return cls(**values)


def _fits(value: Any, expected: Any) -> bool:
    origin = typing.get_origin(expected)
    if origin in (typing.Union, getattr(__import__("types"), "UnionType", None)):
        return any(_fits(value, arg) for arg in typing.get_args(expected))
    if expected is type(None):
        return value is None
    if isinstance(value, bool):
        return expected is bool
    if expected is float:
        return isinstance(value, int | float)
    if expected in (int, str, bool):
        return isinstance(value, expected)
    return True


def _describe(expected: Any) -> str:
    args = typing.get_args(expected)
    if args:
        return " or ".join(_describe(a) for a in args if a is not type(None))
    names = {str: "a string", bool: "true or false", int: "a whole number", float: "a number"}
    return names.get(expected, getattr(expected, "__name__", str(expected)))


def _name(value: Any) -> str:
    if isinstance(value, bool):
        return "a boolean"
    return type(value).__name__
