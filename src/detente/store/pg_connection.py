"""A PostgreSQL connection with the surface of a DuckDB one, so the store's SQL runs on both.

The store's queries use DuckDB's conventions: ``?`` (or ``$name``)
placeholders, ``con.execute(sql, params)`` returning something with
``fetchone``/``fetchall``/``df``, explicit ``BEGIN TRANSACTION``/``COMMIT``.
``PgConnection`` gives psycopg 3 that surface (autocommit, so the store's
own ``BEGIN``/``COMMIT`` delimit transactions; client-side binding, so a
``NULL`` parameter needs no declared type, as in DuckDB) and ``translate``
rewrites the little DuckDB-only SQL left in the queries and migrations:

- ``?`` → ``%s`` and ``$name`` → ``%(name)s``, ``%`` doubled, outside literals;
- types ``DOUBLE`` → ``DOUBLE PRECISION``, ``BLOB`` → ``BYTEA``;
- ``x SIMILAR TO 'regex'`` (a whole-string regex in DuckDB) → ``x ~ '^(?:regex)$'``;
- ``from_json(x, '["VARCHAR"]')`` → ``ARRAY(SELECT json_array_elements_text(x::json))``.

Frames from ``df()`` get the dtypes DuckDB's ``df()`` gives (dates and
timestamps as ``datetime64[us]``, integers as ``int32``/``int64`` or their
nullable forms when a value is missing), so both backends' answers compare equal.
"""

from __future__ import annotations

import decimal
import math
import re
from collections.abc import Iterator, Sequence

import numpy as np
import pandas as pd
import psycopg

_REWRITES = (
    (re.compile(r"\bDOUBLE\b(?! PRECISION)"), "DOUBLE PRECISION"),
    (re.compile(r"\bBLOB\b"), "BYTEA"),
    (re.compile(r"SIMILAR TO '([^']*)'"), r"~ '^(?:\1)$'"),
    (re.compile(r"""from_json\(([\w.]+), '\["VARCHAR"\]'\)"""), r"ARRAY(SELECT json_array_elements_text(\1::json))"),
)
_TOKENS = re.compile(r"'(?:[^']|'')*'|\?|\$[A-Za-z_]\w*|%|[^'?$%]+|\$")

# type OIDs (pg_type): how each column of a result becomes a pandas column
_INTEGERS = {21: "int32", 23: "int32", 20: "int64"}
_FLOATS = {700, 701, 1700}
_TIMES = {1082, 1114, 1184}
_BOOL = 16


def translate(sql: str, *, placeholders: bool = True) -> str:
    """Rewrite DuckDB-flavoured SQL for PostgreSQL (see the module docstring).

    With ``placeholders`` False (no parameters bound) ``?`` and ``%`` are left alone.
    """
    for pattern, replacement in _REWRITES:
        sql = pattern.sub(replacement, sql)
    if not placeholders:
        return sql
    out = []
    for token in _TOKENS.findall(sql):
        if token == "?":
            out.append("%s")
        elif token.startswith("$") and len(token) > 1:
            out.append(f"%({token[1:]})s")
        else:
            out.append(token.replace("%", "%%"))
    return "".join(out)


def plain(value: object) -> object:
    """A value psycopg can send: pandas and numpy scalars as Python ones, missing values as None."""
    if value is None or value is pd.NaT or value is pd.NA:
        return None
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, (bytearray, memoryview)):
        return bytes(value)
    if isinstance(value, np.ndarray):
        return [plain(v) for v in value.tolist()]
    return value


def _params(params: Sequence[object] | dict[str, object] | None) -> Sequence[object] | dict[str, object] | None:
    if params is None:
        return None
    if isinstance(params, dict):
        return {key: plain(value) for key, value in params.items()}
    return [plain(value) for value in params]


class PgResult:
    """The rows of one statement, read the ways the store reads DuckDB results."""

    def __init__(self, cursor: psycopg.ClientCursor) -> None:
        self._cursor = cursor
        self.description = cursor.description

    def fetchone(self) -> tuple | None:
        """The next row, or None."""
        return self._cursor.fetchone() if self.description else None

    def fetchall(self) -> list[tuple]:
        """Every remaining row."""
        return self._cursor.fetchall() if self.description else []

    def fetchmany(self, size: int) -> list[tuple]:
        """Up to ``size`` more rows."""
        return self._cursor.fetchmany(size) if self.description else []

    def df(self) -> pd.DataFrame:
        """The rows as a DataFrame with DuckDB's dtypes."""
        names = [column.name for column in self.description or []]
        rows = self.fetchall()
        frame = pd.DataFrame.from_records(rows, columns=names) if rows else pd.DataFrame(columns=names)
        for position, column in enumerate(self.description or []):
            frame.isetitem(position, _column(frame.iloc[:, position], column.type_code))
        return frame

    fetch_df = df


def _column(values: pd.Series, oid: int) -> pd.Series:
    """One result column converted as DuckDB's ``df()`` converts a column of that type."""
    if oid in _TIMES:
        return pd.to_datetime(values.astype(object).where(values.notna(), None)).astype("datetime64[us]")
    if oid in _INTEGERS:
        dtype = _INTEGERS[oid]
        return values.astype(dtype.capitalize() if values.isna().any() else dtype)
    if oid in _FLOATS:
        return values.map(lambda v: float(v) if isinstance(v, decimal.Decimal) else v).astype("float64")
    if oid == _BOOL:
        return values.astype("boolean" if values.isna().any() else "bool")
    if values.dtype == object and len(values) and values.map(lambda v: isinstance(v, list)).any():
        return values.map(lambda v: np.array(v, dtype=object) if isinstance(v, list) else v)
    if oid in (25, 1043) and len(values) and values.notna().any():
        return values.astype("str") if values.notna().all() else values
    return values


class PgConnection:
    """A psycopg 3 connection with DuckDB's ``execute`` surface (see the module docstring)."""

    def __init__(self, conninfo: str, *, read_only: bool = False) -> None:
        self.conninfo = conninfo
        self.read_only = read_only
        options = "-c default_transaction_read_only=on" if read_only else None
        self.raw = psycopg.connect(conninfo, autocommit=True, cursor_factory=psycopg.ClientCursor,
                                   options=options, connect_timeout=10)

    def execute(self, sql: str, params: Sequence[object] | dict[str, object] | None = None) -> PgResult:
        """Run one statement (``?``/``$name`` placeholders); return its rows."""
        cursor = self.raw.cursor()
        cursor.execute(translate(sql, placeholders=params is not None), _params(params))
        return PgResult(cursor)

    def executemany(self, sql: str, rows: Sequence[Sequence[object]]) -> int:
        """Run one statement per row of parameters; return the rows affected in all."""
        with self.raw.cursor() as cursor:
            cursor.executemany(translate(sql), [_params(row) for row in rows])
            return cursor.rowcount

    def copy_rows(self, table: str, columns: list[str], rows: Iterator[Sequence[object]]) -> None:
        """Stream rows into ``table`` with COPY (the fast way to load many rows)."""
        with self.raw.cursor() as cursor, cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row([plain(value) for value in row])

    def cursor(self) -> PgConnection:
        """A new connection to the same database: what a server request uses (DuckDB: a cursor)."""
        return PgConnection(self.conninfo, read_only=self.read_only)

    def close(self) -> None:
        """Close the connection."""
        self.raw.close()

