"""Batches as one array per column: how every multi-row statement here sends its rows.

`unnest` of the arrays keeps their order, so a batch of any size is one statement with a fixed
text (prepared once), and Postgres parses no per-row SQL.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

__all__ = ["Columns", "arrays", "insert", "storable", "unnest"]

#: (name, Postgres type) pairs, in statement order.
Columns = Sequence[tuple[str, str]]


def unnest(columns: Columns, prefix: str = "") -> str:
    arrays = ", ".join(f"%({prefix}{name})b::{kind}[]" for name, kind in columns)
    return f"unnest({arrays}) AS row({', '.join(name for name, _ in columns)})"


def insert(table: str, columns: Columns, tail: str) -> str:
    names = ", ".join(name for name, _ in columns)
    return f"INSERT INTO {table} ({names}) SELECT {names} FROM {unnest(columns)} {tail}"


def arrays(rows: Sequence[dict[str, Any]], columns: Columns) -> dict[str, Any]:
    return {
        name: [storable(row[name]) for row in rows] if kind == "text" else [r[name] for r in rows]
        for name, kind in columns
    }


# A lone UTF-16 surrogate is valid JSON ("\ud800", half an emoji) but not UTF-8.
_SURROGATE = re.compile("[\ud800-\udfff]")


def storable(value: str | None) -> str | None:
    """What Postgres text can hold: no NUL, no lone surrogate (U+FFFD in its place).

    A provider may send either; the raw body keeps them as received.
    """
    if value is None or (value.isascii() and "\x00" not in value):
        return value
    return _SURROGATE.sub("\ufffd", value.replace("\x00", ""))
