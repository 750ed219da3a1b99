"""A table of `podcast.toml` read into the frozen dataclass that declares its keys.

Every table is read the same way, the top level, `[audio]`, `[bulletin]` and
each engine's `[speech.<name>]` alike: unknown keys are refused with the keys the
dataclass knows, and each value's type is checked against its field's annotation
(the values themselves are then checked by the table's own rules).
"""

from __future__ import annotations

import types
import typing
from collections.abc import Callable, Mapping
from dataclasses import fields
from typing import Any

from nashra.core.suggest import closest


class TableError(ValueError):
    """A key or value in a table is wrong; the message names the key."""


def engine_unknown(key: str, known: set[str]) -> str:
    """The message for a key an engine's table does not know: the likely one, and the keys."""
    match = closest(key, known)
    hint = f"; did you mean `{match}`?" if match else ""
    listed = ", ".join(sorted(known)) or "none"
    return f"unknown key `{key}`{hint} (known keys: {listed})"


def check_table(
    cls: type[Any],
    table: Mapping[str, Any],
    *,
    unknown: Callable[[str, set[str]], str] = engine_unknown,
    name: Callable[[str], str] = str,
) -> dict[str, Any]:
    """`table`'s values for the dataclass `cls`, whole numbers made floats where a number
    is expected; raise `TableError` for a key `cls` lacks (`unknown(key, known)` says
    it) or a value of the wrong type (`name(key)` is how the message writes the key)."""
    hints = typing.get_type_hints(cls)
    known = {f.name for f in fields(cls)}
    for key in table:
        if key not in known:
            raise TableError(unknown(key, known))
    for key, value in table.items():
        expected = hints[key]
        if not _fits(value, expected):
            raise TableError(f"{name(key)} must be {_describe(expected)}, not {_name(value)}")
    return {
        key: float(value) if hints[key] is float and isinstance(value, int) else value
        for key, value in table.items()
    }


def read_options(cls: type[Any], table: Mapping[str, Any]) -> Any:
    """An engine's table `[speech.<name>]` as its options: messages start with the key."""
    return cls(**check_table(cls, table))


def _fits(value: Any, expected: Any) -> bool:
    if typing.get_origin(expected) in (typing.Union, types.UnionType):
        return any(_fits(value, arg) for arg in typing.get_args(expected))
    if expected is type(None):
        return value is None
    if isinstance(value, bool):
        return expected is bool
    if expected is float:
        return isinstance(value, int | float)
    if expected in (int, str, bool):
        return isinstance(value, expected)
    return True  # a date, a table: checked by the table's own rules


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
