"""Benchmark helpers: measure a callable repeatedly, print one table per benchmark, summarise the run.

Benchmarks measure and print; they never assert on wall-clock time. Each row of a
table is one scenario: the median and 90th percentile of its runs, and the number of
database queries one run makes (a range when runs differ). The summary at the end of
`make bench` repeats every table and is written to var/bench-results.md.
"""

import math
import platform
import statistics
import time
from dataclasses import dataclass, field
from pathlib import Path

import django
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

RESULTS_FILE = Path(__file__).resolve().parent.parent / "var" / "bench-results.md"
_tables = pytest.StashKey[list]()
_environment = pytest.StashKey[str]()


def p90(values):
    """The 90th percentile by nearest rank: the value 90% of runs did not exceed."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.9 * len(ordered)) - 1)]


def refresh_planner_statistics():
    """On PostgreSQL, ANALYZE the data the benchmark just built, as autovacuum would have in production.

    Without it the planner guesses a handful of rows per freshly filled table (autovacuum cannot see
    rows of the test's open transaction) and picks plans no real database would run.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def answered(expected, send, *args, **kwargs):
    """Send one request with a test client's method (client.get, client.post, …) and return the response; fail
    the benchmark unless it answered `expected`, so a refused request is never timed as a fast one."""
    response = send(*args, **kwargs)
    assert response.status_code == expected, response.content[:2000]
    return response


@dataclass
class Measurement:
    name: str
    rows: int
    timings: list  # seconds, one per run
    queries: list  # queries, one per run
    throughput: bool = False

    @property
    def median_ms(self):
        return statistics.median(self.timings) * 1000

    @property
    def p90_ms(self):
        return p90(self.timings) * 1000

    @property
    def per_second(self):
        return len(self.timings) / sum(self.timings)

    @property
    def query_text(self):
        low, high = min(self.queries), max(self.queries)
        return str(low) if low == high else f"{low}–{high}"


@dataclass
class BenchTable:
    """One benchmark's table: a title, a note saying what was measured, and its measurements."""

    title: str
    note: str = ""
    measurements: list = field(default_factory=list)

    def measure(self, name, run, *, rows, repeat=11, warmup=1, throughput=False):
        """Call run() warmup times unmeasured, then repeat times, timing each call and counting its queries.

        Return the Measurement; the last call's result is on it as `.result`.
        """
        if not self.measurements:
            refresh_planner_statistics()
        for _ in range(warmup):
            run()
        timings, queries = [], []
        result = None
        for _ in range(repeat):
            # The query log keeps the last 9,000 queries: a run must start with room for all of its own.
            connection.queries_log.clear()
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                result = run()
                timings.append(time.perf_counter() - started)
            queries.append(len(captured))
        measurement = Measurement(name, rows, timings, queries, throughput)
        measurement.result = result
        self.measurements.append(measurement)
        return measurement

    def render(self):
        throughput = any(m.throughput for m in self.measurements)
        header = ["scenario", "rows", "runs", "median ms", "p90 ms", "queries"] + (["per second"] if throughput else [])
        body = [
            [
                m.name,
                f"{m.rows:,}",
                str(len(m.timings)),
                f"{m.median_ms:.1f}",
                f"{m.p90_ms:.1f}",
                m.query_text,
            ]
            + ([f"{m.per_second:.0f}" if m.throughput else ""] if throughput else [])
            for m in self.measurements
        ]
        widths = [max(len(row[i]) for row in [header, *body]) for i in range(len(header))]
        left = {0}

        def line(cells):
            padded = [
                cell.ljust(w) if i in left else cell.rjust(w)
                for i, (cell, w) in enumerate(zip(cells, widths, strict=True))
            ]
            return "| " + " | ".join(padded) + " |"

        rule = "|" + "|".join(("-" * (w + 1) + (":" if i not in left else "-")) for i, w in enumerate(widths)) + "|"
        lines = [f"### {self.title}", ""]
        if self.note:
            lines += [self.note, ""]
        lines += [line(header), rule, *(line(row) for row in body)]
        return "\n".join(lines)


def _database_description():
    if connection.vendor == "postgresql":
        version = connection.pg_version
        return f"PostgreSQL {version // 10000}.{version % 10000}"
    if connection.vendor == "sqlite":
        import sqlite3

        return f"SQLite {sqlite3.sqlite_version}"
    return connection.vendor


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix):
    """SQLite's test database in a file rather than in memory, so that a server process can serve it."""
    from django.db import connections

    database = connections["default"].settings_dict
    if database["ENGINE"].endswith("sqlite3"):
        RESULTS_FILE.parent.mkdir(exist_ok=True)
        database.setdefault("TEST", {})["NAME"] = str(RESULTS_FILE.parent / "bench-test.sqlite3")


@pytest.fixture
def bench(request, db):
    """Return a function opening a BenchTable; the tables are printed after the test and in the summary."""
    config = request.config
    tables = config.stash.setdefault(_tables, [])
    if _environment not in config.stash:
        config.stash[_environment] = (
            f"{_database_description()}, Python {platform.python_version()}, Django {django.get_version()}, "
            f"{timezone.now():%Y-%m-%d %H:%M} UTC"
        )
    opened = []

    def open_table(title, *, note=""):
        table = BenchTable(title, note)
        opened.append(table)
        tables.append(table)
        return table

    yield open_table
    for table in opened:
        if table.measurements:
            print("\n\n" + table.render())


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    tables = [table for table in config.stash.get(_tables, []) if table.measurements]
    if not tables:
        return
    text = "\n\n".join(
        [
            "## Benchmarks",
            f"{config.stash[_environment]}. Times are per call through Django's test client (or the function "
            "named), median and 90th percentile of the runs; rows is the data in the database; queries counts "
            "one call (a range when calls differ). On PostgreSQL the built data is ANALYZEd first, as "
            "autovacuum would have done.",
            *(table.render() for table in tables),
        ]
    )
    RESULTS_FILE.parent.mkdir(exist_ok=True)
    RESULTS_FILE.write_text(text + "\n")
    terminalreporter.section("benchmark summary")
    terminalreporter.write_line(text)
    terminalreporter.write_line(f"\n(written to {RESULTS_FILE})")
