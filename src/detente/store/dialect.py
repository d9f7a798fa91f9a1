"""The few SQL fragments that differ between DuckDB and PostgreSQL.

The store's queries are written once, in SQL both databases accept; where no
common form exists (lists built from columns, UNPIVOT) the query asks its
store's ``dialect`` for the fragment. Simpler differences (placeholders, type
names, a few DuckDB functions) are rewritten by the PostgreSQL connection
itself, see ``pg_connection.translate``.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Dialect:
    """Builders of the SQL fragments with no portable spelling."""

    name: str

    def distinct_strings(self, items: list[str]) -> str:
        """A list of the distinct non-NULL values of ``items`` (SQL expressions), sorted."""
        joined = ", ".join(items)
        if self.name == "postgresql":
            return (f"ARRAY(SELECT DISTINCT c FROM unnest(ARRAY[{joined}]::VARCHAR[]) AS listed(c) "
                    "WHERE c IS NOT NULL ORDER BY c)")
        return f"list_sort(list_distinct(list_filter([{joined}], lambda c: c IS NOT NULL)))"

    def length(self, expression: str) -> str:
        """The number of elements of a list."""
        return f"cardinality({expression})" if self.name == "postgresql" else f"len({expression})"

    def contains(self, expression: str, value: str) -> str:
        """Whether the list ``expression`` holds ``value``."""
        if self.name == "postgresql":
            return f"({value} = ANY({expression}))"
        return f"list_contains({expression}, {value})"

    def unpivot(self, relation: str, keys: tuple[str, ...], columns: tuple[str, ...]) -> str:
        """The rows (``keys``, measure, value) of ``relation``: one per key row and column."""
        if self.name == "postgresql":
            pairs = ", ".join(f"('{c}', r.{c})" for c in columns)
            return (f"SELECT {', '.join('r.' + k for k in keys)}, u.measure, u.value FROM {relation} r "
                    f"CROSS JOIN LATERAL (VALUES {pairs}) AS u(measure, value)")
        return f"UNPIVOT {relation} ON {', '.join(columns)} INTO NAME measure VALUE value"


DUCKDB = Dialect("duckdb")
POSTGRESQL = Dialect("postgresql")
