"""A partitioned copy of the audit table and of contacts beside the plain tables,
loaded with the same rows and measured (docs/scaling.md, "National scale").

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/sx_partition \
      nice -n 10 .venv/bin/python -m bench.partitioning.run [--months 12] [--per-contact 59]

Run on a database that ``generate_synthetic`` filled (measured at ``--scale county
--as-of 2026-11-22``; a tenth works the same, given the time), never on a live one: it
fills ``core_auditevent``, builds the schema ``part`` beside the app's tables and, at the
end, deletes and drops what the retention figures measure. The production schema is
not changed by this work.

Audit rows are derived from the synthetic contacts of the last ``--months`` months:
each contact gives ``--per-contact`` entries by its link worker (the case and person
seen on the case page, the contact's own entry, and caseload-list entries for the same
case and person spread over the days around it), so each person's entries cluster in
the months their case was open, as they do in use. The audit list and the retention
rule are measured with the SQL Django sends (``AuditEvent.objects`` ordering,
``occurred_at__date__lt``); plans with EXPLAIN (ANALYZE, BUFFERS); the WAL of each
write from ``pg_walinspect``, counting only the records of the measuring transaction.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import re
import statistics
import time
from pathlib import Path
from typing import Any

import psycopg

RESULTS = Path(__file__).resolve().parent.parent / "results" / "partitioning.json"
AS_OF = datetime.date(2026, 11, 22)
RETENTION_YEARS = 8
MONTHS_AHEAD = 3
REPEATS = 7
PERSON = "referrals.person"
AUDIT_COLUMNS = (
    "id, occurred_at, actor_id, system_reason, action, object_type, object_id,"
    " ip_address, user_agent, path, request_id, detail"
)
USER_COLUMNS = (
    "u.id, u.password, u.last_login, u.is_superuser, u.email, u.full_name, u.is_active,"
    " u.is_staff, u.date_joined, u.password_changed_at"
)
UA = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko)"
    " Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0"
)


def month_starts(first: datetime.date, last: datetime.date) -> list[datetime.date]:
    """The first day of every month from ``first``'s to ``last``'s, both included."""
    months, day = [], first.replace(day=1)
    while day <= last:
        months.append(day)
        day = (day + datetime.timedelta(days=32)).replace(day=1)
    return months


def months_back(day: datetime.date, n: int) -> datetime.date:
    index = day.year * 12 + day.month - 1 - n
    return datetime.date(index // 12, index % 12 + 1, 1)


# --- building ---------------------------------------------------------------------------


def partitioned_copy(cur: psycopg.Cursor[Any], table: str, copy: str, months: list[Any]) -> None:
    """``part.<copy>``: ``table``'s columns, defaults and checks, range-partitioned by
    month on occurred_at, the primary key (id, occurred_at), one partition per month and
    a default partition that should stay empty (a row landing there means the job that
    makes partitions ahead has not run)."""
    cur.execute(f"DROP TABLE IF EXISTS part.{copy}")
    # PostgreSQL 15 has no identity columns on partitioned tables: a sequence default.
    cur.execute(
        f"CREATE TABLE part.{copy} (LIKE public.{table} INCLUDING DEFAULTS INCLUDING CONSTRAINTS)"
        " PARTITION BY RANGE (occurred_at)"
    )
    cur.execute(f"CREATE SEQUENCE IF NOT EXISTS part.{copy}_id_seq OWNED BY part.{copy}.id")
    cur.execute(f"ALTER TABLE part.{copy} ALTER id SET DEFAULT nextval('part.{copy}_id_seq')")
    for start in months:
        end = (start + datetime.timedelta(days=32)).replace(day=1)
        cur.execute(
            f"CREATE TABLE part.{copy}_{start:%Y%m} PARTITION OF part.{copy}"
            f" FOR VALUES FROM ('{start}') TO ('{end}')"
        )
    cur.execute(f"CREATE TABLE part.{copy}_default PARTITION OF part.{copy} DEFAULT")


def indexes_of(cur: psycopg.Cursor[Any], table: str) -> list[str]:
    cur.execute(
        "SELECT indexdef FROM pg_indexes WHERE schemaname = 'public' AND tablename = %s"
        " AND indexname NOT LIKE '%%_pkey'",
        [table],
    )
    return [row[0] for row in cur.fetchall()]


def copy_indexes(cur: psycopg.Cursor[Any], table: str, copy: str) -> None:
    """The plain table's indexes on the partitioned one (each partition gets its own),
    and the primary key widened to hold the partition key."""
    for n, definition in enumerate(indexes_of(cur, table)):
        columns = definition[definition.index(" USING ") :]
        cur.execute(f"CREATE INDEX {copy}_{n} ON part.{copy} {columns}")
    cur.execute(f"ALTER TABLE part.{copy} ADD PRIMARY KEY (id, occurred_at)")


def load_audit(cur: psycopg.Cursor[Any], months: int, per_contact: int) -> dict[str, Any]:
    """Fill core_auditevent (its indexes dropped while loading, then made again)."""
    since = months_back(AS_OF, months - 1)
    definitions = indexes_of(cur, "core_auditevent")
    cur.execute(
        "SELECT indexname FROM pg_indexes WHERE tablename = 'core_auditevent'"
        " AND indexname NOT LIKE '%%_pkey'"
    )
    for (name,) in cur.fetchall():
        cur.execute(f'DROP INDEX "{name}"')
    cur.execute("TRUNCATE core_auditevent")
    started = time.monotonic()
    # Entry 0: the case page's case; 1: its person; 2: the contact's own entry; the rest
    # caseload-list entries of the case and the person, hours to days around the contact.
    cur.execute(
        f"""
        INSERT INTO core_auditevent ({AUDIT_COLUMNS.removeprefix("id, ")})
        SELECT t.occurred_at, t.actor_id, '', t.action, t.object_type, t.object_id,
               t.ip::inet, %(ua)s, t.path, t.request_id, t.detail
        FROM (
            SELECT
                c.occurred_at + CASE WHEN g.i < 3 THEN g.i * interval '1 second'
                    ELSE ((hashtext(c.id || ':' || g.i) %% 7200) * interval '1 minute')
                    END AS occurred_at,
                c.recorded_by_id AS actor_id,
                CASE WHEN g.i = 2 THEN 'create' ELSE 'view' END AS action,
                CASE WHEN g.i = 2 THEN 'linkworkers.contact'
                     WHEN g.i %% 2 = 0 THEN 'linkworkers.case' ELSE %(person)s END
                    AS object_type,
                (CASE WHEN g.i = 2 THEN c.id WHEN g.i %% 2 = 0 THEN c.case_id
                      ELSE r.person_id END)::text AS object_id,
                '10.' || (c.recorded_by_id %% 250) || '.' || (g.i * 17 %% 250) || '.'
                    || (c.id %% 250) AS ip,
                CASE WHEN g.i < 3 THEN '/cases/' || c.case_id || '/' ELSE '/caseload/' END
                    AS path,
                md5(c.id || ':' || g.i) AS request_id,
                CASE WHEN g.i < 3 THEN '{{}}'::jsonb ELSE '{{"listing": "caseload"}}'::jsonb
                    END AS detail
            FROM linkworkers_contact c
            JOIN linkworkers_case k ON k.id = c.case_id
            JOIN referrals_referral r ON r.id = k.referral_id
            CROSS JOIN generate_series(0, %(per)s - 1) AS g(i)
            WHERE c.occurred_at >= %(since)s AND c.occurred_at < %(until)s
        ) t
        WHERE t.occurred_at < %(until)s
        ORDER BY t.occurred_at
        """,
        {
            "ua": UA,
            "person": PERSON,
            "per": per_contact,
            "since": since,
            "until": AS_OF + datetime.timedelta(days=1),
        },
    )
    rows = cur.rowcount
    # The deferred foreign key checks run at commit; an index cannot be built before.
    cur.connection.commit()
    loaded = time.monotonic() - started
    started = time.monotonic()
    for definition in definitions:
        cur.execute(definition)
    indexed = time.monotonic() - started
    return {
        "rows": rows,
        "since": str(since),
        "load_s": round(loaded, 1),
        "index_s": round(indexed, 1),
    }


def build_copies(cur: psycopg.Cursor[Any]) -> dict[str, Any]:
    """The partitioned copies of both tables, loaded with the plain tables' rows in time
    order, then indexed: steady state holds 8 years of monthly partitions, so all of them
    exist (the early ones empty where the sample has no rows) and planning pays for them."""
    cur.execute("CREATE SCHEMA IF NOT EXISTS part")
    first = months_back(AS_OF, RETENTION_YEARS * 12 - 1)
    last = months_back(AS_OF, -MONTHS_AHEAD)
    timings: dict[str, Any] = {}
    for table, copy in (("core_auditevent", "audit"), ("linkworkers_contact", "contact")):
        cur.execute(f"SELECT min(occurred_at)::date FROM public.{table}")
        oldest = cur.fetchone()[0]  # type: ignore[index]
        months = month_starts(min(first, oldest), last)
        partitioned_copy(cur, table, copy, months)
        started = time.monotonic()
        cur.execute(f"INSERT INTO part.{copy} SELECT * FROM public.{table} ORDER BY occurred_at")
        loaded = time.monotonic() - started
        cur.execute(f"SELECT setval('part.{copy}_id_seq', (SELECT max(id) FROM part.{copy}))")
        started = time.monotonic()
        copy_indexes(cur, table, copy)
        timings[copy] = {
            "partitions": len(months) + 1,
            "load_s": round(loaded, 1),
            "index_s": round(time.monotonic() - started, 1),
        }
    # The plain contacts table is the generator's own: its foreign keys point at cases and
    # users, which a partitioned table may do too (outgoing foreign keys are allowed).
    cur.execute(
        "ALTER TABLE part.audit ADD FOREIGN KEY (actor_id) REFERENCES core_user (id)"
        " DEFERRABLE INITIALLY DEFERRED"
    )
    cur.execute(
        "ALTER TABLE part.contact ADD FOREIGN KEY (case_id) REFERENCES linkworkers_case (id)"
        " DEFERRABLE INITIALLY DEFERRED"
    )
    return timings


# --- measuring --------------------------------------------------------------------------


def explain(cur: psycopg.Cursor[Any], sql: str, params: Any = None) -> dict[str, Any]:
    """One query's plan, then REPEATS runs: median planning and execution times."""
    runs = []
    for _ in range(REPEATS):
        cur.execute(f"EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) {sql}", params)
        runs.append(cur.fetchone()[0][0])  # type: ignore[index]
    cur.execute(f"EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) {sql}", params)
    text = "\n".join(row[0] for row in cur.fetchall())
    return {
        "planning_ms": round(statistics.median(r["Planning Time"] for r in runs), 3),
        "execution_ms": round(statistics.median(r["Execution Time"] for r in runs), 3),
        "plan": text,
    }


def sizes(cur: psycopg.Cursor[Any]) -> dict[str, Any]:
    out = {}
    for name, table in (
        ("audit_plain", "public.core_auditevent"),
        ("audit_partitioned", "part.audit"),
        ("contact_plain", "public.linkworkers_contact"),
        ("contact_partitioned", "part.contact"),
    ):
        # A plain table is its own only leaf; pg_partition_tree lists a partitioned one's.
        cur.execute(
            "SELECT coalesce(sum(pg_table_size(c.oid)), 0)::bigint,"
            " coalesce(sum(pg_indexes_size(c.oid)), 0)::bigint FROM pg_class c"
            " WHERE c.oid = %s::regclass AND c.relkind = 'r'"
            " OR c.oid IN (SELECT relid FROM pg_partition_tree(%s::regclass) WHERE isleaf)",
            [table, table],
        )
        heap, index = cur.fetchone()  # type: ignore[misc]
        cur.execute(f"SELECT count(*) FROM {table}")
        rows = cur.fetchone()[0]  # type: ignore[index]
        out[name] = {
            "rows": rows,
            "heap_bytes": heap,
            "index_bytes": index,
            "bytes_per_row": round((heap + index) / rows, 1) if rows else None,
        }
    return out


def subjects(cur: psycopg.Cursor[Any]) -> dict[str, str]:
    """The person with the most entries, and one at the median."""
    cur.execute(
        "SELECT object_id, count(*) FROM core_auditevent WHERE object_type = %s"
        " GROUP BY object_id ORDER BY count(*) DESC, object_id",
        [PERSON],
    )
    counts = cur.fetchall()
    return {
        "busiest": counts[0][0],
        "median": counts[len(counts) // 2][0],
        "busiest_entries": counts[0][1],
        "median_entries": counts[len(counts) // 2][1],
        "people_with_entries": len(counts),
    }


def reads(cur: psycopg.Cursor[Any], people: dict[str, Any]) -> dict[str, Any]:
    """The access report (Paginator's count, then 50 entries with the actor) and the
    admin's audit list (newest 100; a month chosen in its date hierarchy), as Django
    writes them, on each table."""
    out: dict[str, Any] = {}
    month = months_back(AS_OF, 3)
    month_end = months_back(AS_OF, 2)
    cur.execute(
        "SELECT case_id FROM linkworkers_contact GROUP BY case_id"
        " ORDER BY count(*) DESC, case_id LIMIT 1"
    )
    case_id = cur.fetchone()[0]  # type: ignore[index]
    out["case_with_most_contacts"] = case_id
    for label, table in (("plain", "public.core_auditevent"), ("partitioned", "part.audit")):
        page = (
            f"SELECT a.*, {USER_COLUMNS} FROM {table} a"
            " LEFT OUTER JOIN core_user u ON a.actor_id = u.id"
        )
        for who in ("busiest", "median"):
            where = f" WHERE a.object_id = '{people[who]}' AND a.object_type = '{PERSON}'"
            out[f"{label}/person_{who}_count"] = explain(
                cur, f"SELECT count(*) FROM {table} a{where}"
            )
            out[f"{label}/person_{who}_page"] = explain(
                cur, f"{page}{where} ORDER BY a.occurred_at DESC, a.id DESC LIMIT 50"
            )
        out[f"{label}/list_newest"] = explain(
            cur, f"{page} ORDER BY a.occurred_at DESC, a.id DESC LIMIT 100"
        )
        out[f"{label}/list_count_all"] = explain(cur, f"SELECT count(*) FROM {table}")
        span = f" WHERE a.occurred_at >= '{month}' AND a.occurred_at < '{month_end}'"
        out[f"{label}/list_month"] = explain(
            cur, f"{page}{span} ORDER BY a.occurred_at DESC, a.id DESC LIMIT 100"
        )
        out[f"{label}/list_month_count"] = explain(cur, f"SELECT count(*) FROM {table} a{span}")
        contacts = "public.linkworkers_contact" if label == "plain" else "part.contact"
        out[f"{label}/case_contacts"] = explain(
            cur,
            f"SELECT * FROM {contacts} WHERE case_id = {case_id}"
            " ORDER BY occurred_at DESC, id DESC",
        )
    return out


def statement_wal(cur: psycopg.Cursor[Any], sql: str, params: Any = None) -> dict[str, Any]:
    """A statement in a transaction of its own (the connection is in autocommit): its
    time, commit included, and the WAL written by that transaction (pg_walinspect reads
    the log between two positions and keeps this transaction's records: other databases
    on the server write WAL too)."""
    conn = cur.connection
    with conn.transaction():
        cur.execute("SELECT txid_current()::text, pg_current_wal_insert_lsn()")
        xid, start = cur.fetchone()  # type: ignore[misc]
        started = time.monotonic()
        cur.execute(sql, params)
        affected = cur.rowcount
    seconds = time.monotonic() - started
    # Flushed at our commit; the insert position may be ahead, which cannot be read yet.
    cur.execute("SELECT pg_current_wal_flush_lsn()")
    end = cur.fetchone()[0]  # type: ignore[index]
    cur.execute(
        "SELECT count(*), coalesce(sum(record_length), 0), coalesce(sum(fpi_length), 0)"
        " FROM pg_get_wal_records_info(%s, %s) WHERE xid::text = %s",
        [start, end, str(int(xid) % 2**32)],
    )
    records, wal, fpi = cur.fetchone()  # type: ignore[misc]
    return {
        "rows": affected,
        "seconds": round(seconds, 4),
        "wal_bytes": int(wal),
        "wal_records": records,
        "full_page_image_bytes": int(fpi),
    }


def inserts(cur: psycopg.Cursor[Any], statements: int) -> dict[str, Any]:
    """Audit entries as a list page writes them: ``statements`` INSERTs of 50 rows, at the
    current time (the newest partition), each committed; then contacts one at a time."""
    out = {}
    at = datetime.datetime.combine(AS_OF, datetime.time(15), tzinfo=datetime.UTC)
    columns = AUDIT_COLUMNS.removeprefix("id, ")
    row = "(%s, 7, '', 'view', 'referrals.person', %s, '10.0.0.1', %s, '/caseload/', %s, '{}')"
    for label, table in (("plain", "public.core_auditevent"), ("partitioned", "part.audit")):
        sql = f"INSERT INTO {table} ({columns}) VALUES " + ", ".join([row] * 50)
        totals = {"seconds": 0.0, "wal_bytes": 0}
        for n in range(statements):
            params = []
            for i in range(50):
                params += [at, str(n * 50 + i), UA, f"{n:016x}{i:016x}"]
            measured = statement_wal(cur, sql, params)
            totals["seconds"] += measured["seconds"]
            totals["wal_bytes"] += measured["wal_bytes"]
        rows = statements * 50
        out[f"audit_{label}"] = {
            "rows": rows,
            "us_per_row": round(totals["seconds"] / rows * 1e6, 1),
            "wal_bytes_per_row": round(totals["wal_bytes"] / rows, 1),
        }
    cur.execute("SELECT case_id, recorded_by_id FROM linkworkers_contact ORDER BY id DESC LIMIT 1")
    case_id, recorder = cur.fetchone()  # type: ignore[misc]
    for label, table in (("plain", "public.linkworkers_contact"), ("partitioned", "part.contact")):
        sql = (
            f"INSERT INTO {table} (created_at, updated_at, case_id, occurred_at, mode,"
            " successful, duration_minutes, note, recorded_by_id)"
            " VALUES (%s, %s, %s, %s, 'phone', true, 20, %s, %s)"
        )
        totals = {"seconds": 0.0, "wal_bytes": 0}
        for _ in range(statements):
            params = [at, at, case_id, at, "Talked about the walking group.", recorder]
            measured = statement_wal(cur, sql, params)
            totals["seconds"] += measured["seconds"]
            totals["wal_bytes"] += measured["wal_bytes"]
        out[f"contact_{label}"] = {
            "rows": statements,
            "us_per_row": round(totals["seconds"] / statements * 1e6, 1),
            "wal_bytes_per_row": round(totals["wal_bytes"] / statements, 1),
        }
    return out


def retention(cur: psycopg.Cursor[Any]) -> dict[str, Any]:
    """The oldest month of audit rows and of contacts removed: the retention rule's
    DELETE as Django sends it (a date in local time: no index can serve it), the same
    DELETE as a timestamp range, and DETACH then DROP of the month's partition."""
    out: dict[str, Any] = {}
    notices: list[str] = []
    cur.connection.add_notice_handler(lambda d: notices.append(d.message_primary or ""))
    for kind, table, copy in (
        ("audit", "public.core_auditevent", "audit"),
        ("contact", "public.linkworkers_contact", "contact"),
    ):
        cur.execute(f"SELECT min(occurred_at) FROM {table}")
        first = cur.fetchone()[0]  # type: ignore[index]
        start = first.date().replace(day=1)
        end = months_back(start, -1)
        # The rule's own predicate, for the audit table only (contacts go with their case).
        if kind == "audit":
            with cur.connection.transaction(force_rollback=True):
                cur.execute(
                    f"EXPLAIN (ANALYZE, BUFFERS, WAL, COSTS OFF) DELETE FROM {table}"
                    " WHERE (occurred_at AT TIME ZONE 'Europe/London')::date < %s",
                    [end],
                )
                plan = "\n".join(r[0] for r in cur.fetchall())
            out["audit_delete_django_predicate_plan"] = plan
        out[f"{kind}_delete_range"] = statement_wal(
            cur,
            f"DELETE FROM {table} WHERE occurred_at >= %s AND occurred_at < %s",
            [start, end],
        )
        notices.clear()
        started = time.monotonic()
        cur.execute(f"VACUUM (VERBOSE) {table}")
        wal = re.findall(
            r"WAL usage: (\d+) records, (\d+) full page images, (\d+) bytes", "\n".join(notices)
        )
        out[f"{kind}_vacuum_after_delete"] = {
            "seconds": round(time.monotonic() - started, 1),
            "wal_bytes": sum(int(w[2]) for w in wal),
        }
        name = f"part.{copy}_{start:%Y%m}"
        detach = statement_wal(cur, f"ALTER TABLE part.{copy} DETACH PARTITION {name}")
        drop = statement_wal(cur, f"DROP TABLE {name}")
        out[f"{kind}_detach_drop"] = {
            "seconds": round(detach["seconds"] + drop["seconds"], 3),
            "wal_bytes": detach["wal_bytes"] + drop["wal_bytes"],
            "month": str(start),
        }
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--months", type=int, default=12)
    parser.add_argument("--per-contact", type=int, default=59)
    parser.add_argument("--insert-statements", type=int, default=200)
    parser.add_argument("--skip-load", action="store_true", help="reuse the loaded tables")
    parser.add_argument(
        "--retention-only",
        action="store_true",
        help="reuse the tables and the figures; measure retention again on the oldest month"
        " left (the first run's oldest month is the few days of entries before the sample's"
        " first full month)",
    )
    args = parser.parse_args()
    reuse = args.skip_load or args.retention_only
    results: dict[str, Any] = json.loads(RESULTS.read_text()) if reuse else {}
    url = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/sx_partition")
    with psycopg.connect(url) as conn:
        cur = conn.cursor()
        cur.execute("SELECT current_setting('server_version')")
        results["server_version"] = cur.fetchone()[0]  # type: ignore[index]
        cur.execute("CREATE EXTENSION IF NOT EXISTS pg_walinspect")
        conn.commit()
        if args.retention_only:
            conn.autocommit = True
            results["retention"] = retention(cur)
            RESULTS.write_text(json.dumps(results, indent=1, default=str) + "\n")
            return
        if not reuse:
            results["load"] = load_audit(cur, args.months, args.per_contact)
            results["load"]["per_contact"] = args.per_contact
            results["partitioned"] = build_copies(cur)
            conn.commit()
            conn.autocommit = True
            cur.execute(
                "VACUUM (ANALYZE) core_auditevent, linkworkers_contact, part.audit, part.contact"
            )
            conn.autocommit = False
        results["sizes"] = sizes(cur)
        results["subjects"] = subjects(cur)
        conn.commit()
        results["reads"] = reads(cur, results["subjects"])
        conn.commit()
        # Each measured statement in a transaction of its own; VACUUM outside any.
        conn.autocommit = True
        results["inserts"] = inserts(cur, args.insert_statements)
        results["retention"] = retention(cur)
    RESULTS.write_text(json.dumps(results, indent=1, default=str) + "\n")
    print(f"wrote {RESULTS}")  # noqa: T201 (a command-line tool)


if __name__ == "__main__":
    main()
