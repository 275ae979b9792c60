"""The schema stays distributable with Citus as docs/scaling.md lays it out: every table has a
place (distributed, reference or local), and every unique constraint and foreign key of a
distributed table includes its distribution column. Read from the catalog, so a migration that
drifts away from it fails here."""

from __future__ import annotations

from typing import Any

import psycopg

from tests.conftest import rows

#: Distributed tables and their distribution column; one co-location group per column kind.
DISTRIBUTED = {
    "messages": "message_key",
    "delivery_events": "message_key",
    "callbacks": "id",
    "projection_queue": "callback_id",
}
#: Co-location groups: foreign keys and shard-local joins may only stay inside one.
COLOCATED = {
    "messages": "message",
    "delivery_events": "message",
    "callbacks": "callback",
    "projection_queue": "callback",
}
#: Small tables copied to every node: joinable and writable from any shard's statement.
REFERENCE = {
    "rollup_watermarks",
    "rollup_dirty_hours",
    "rollup_dirty_days",
    "delivery_stats_hourly_rollup",
    "delivery_rate_daily_rollup",
    "delivery_latency_daily_rollup",
    "opt_outs_daily_rollup",
    "rollup_dirty_inbound_days",
    "retention_marks",
}
#: On the coordinator only.
LOCAL = {
    "inbound_messages",
    "alerts",
    "alert_deliveries",
    "alert_cooldowns",
    "receiver_migrations",
}

# Tables, not their partitions (which follow their parent) and not views.
_TABLES = """
SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND NOT c.relispartition
"""
# Unique constraints and unique indexes, with the columns they cover (expressions as none).
_UNIQUE = """
SELECT t.relname AS table_name, i.relname AS index_name,
       array(SELECT a.attname FROM unnest(x.indkey) k JOIN pg_attribute a
             ON a.attrelid = x.indrelid AND a.attnum = k) AS columns
FROM pg_index x JOIN pg_class t ON t.oid = x.indrelid JOIN pg_class i ON i.oid = x.indexrelid
JOIN pg_namespace n ON n.oid = t.relnamespace
WHERE n.nspname = 'public' AND x.indisunique AND NOT t.relispartition
"""
_FOREIGN = """
SELECT f.conname, src.relname AS source, dst.relname AS target,
       array(SELECT a.attname FROM unnest(f.conkey) k JOIN pg_attribute a
             ON a.attrelid = f.conrelid AND a.attnum = k) AS source_columns,
       array(SELECT a.attname FROM unnest(f.confkey) k JOIN pg_attribute a
             ON a.attrelid = f.confrelid AND a.attnum = k) AS target_columns
FROM pg_constraint f JOIN pg_class src ON src.oid = f.conrelid
JOIN pg_class dst ON dst.oid = f.confrelid
WHERE f.contype = 'f' AND NOT src.relispartition
"""


def test_every_table_has_a_place_in_the_distributed_layout(db: psycopg.Connection[Any]) -> None:
    tables = {r["relname"] for r in rows(db, _TABLES)}
    placed = set(DISTRIBUTED) | REFERENCE | LOCAL
    assert tables - placed == set(), "decide: distributed, reference or local (docs/scaling.md)"
    assert placed - tables == set()  # and nothing listed that is gone
    assert not (set(DISTRIBUTED) & REFERENCE or set(DISTRIBUTED) & LOCAL or REFERENCE & LOCAL)


def test_unique_keys_of_distributed_tables_include_the_distribution_column(
    db: psycopg.Connection[Any],
) -> None:
    found = rows(db, _UNIQUE)
    assert {r["table_name"] for r in found} >= {"messages", "delivery_events", "callbacks"}
    wrong = [
        (r["table_name"], r["index_name"], r["columns"])
        for r in found
        if r["table_name"] in DISTRIBUTED and DISTRIBUTED[r["table_name"]] not in r["columns"]
    ]
    assert wrong == []


def test_foreign_keys_stay_within_a_colocation_group_on_the_distribution_column(
    db: psycopg.Connection[Any],
) -> None:
    found = rows(db, _FOREIGN)
    assert any(r["source"] == "alert_deliveries" for r in found)  # the check sees foreign keys
    wrong = []
    for fk in found:
        source, target = fk["source"], fk["target"]
        if source not in DISTRIBUTED and target not in DISTRIBUTED:
            continue  # between local or reference tables: Citus need not know
        if source in DISTRIBUTED and target in REFERENCE:
            continue  # a distributed table may point at a reference table
        if (
            source in DISTRIBUTED
            and target in DISTRIBUTED
            and COLOCATED[source] == COLOCATED[target]
            and DISTRIBUTED[source] in fk["source_columns"]
            and DISTRIBUTED[target] in fk["target_columns"]
            and fk["source_columns"].index(DISTRIBUTED[source])
            == fk["target_columns"].index(DISTRIBUTED[target])
        ):
            continue
        wrong.append(fk["conname"])
    assert wrong == []


def test_the_distribution_columns_exist_and_are_never_null(db: psycopg.Connection[Any]) -> None:
    """Citus refuses to distribute by a column that may hold NULL: each distributed table's
    distribution column is NOT NULL, on the table and on every partition of it."""
    found = rows(
        db,
        "SELECT c.relname, p.relname AS parent, a.attname, a.attnotnull"
        " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
        " JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped"
        " LEFT JOIN pg_inherits i ON i.inhrelid = c.oid LEFT JOIN pg_class p ON p.oid = i.inhparent"
        " WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p')",
    )
    columns = {(r["parent"] or r["relname"], r["relname"], r["attname"]): r for r in found}
    for table, column in DISTRIBUTED.items():
        assert (table, table, column) in columns, (table, column)
    nullable = sorted(
        (relname, attname)
        for (table, relname, attname), r in columns.items()
        if DISTRIBUTED.get(table) == attname and not r["attnotnull"]
    )
    assert nullable == []
    # Partitions are checked too (the time partitions exist from migrate on).
    assert any(t == "delivery_events" and t != r for t, r, _ in columns)
