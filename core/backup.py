"""Back up the database to one file and restore it into an empty database.

PostgreSQL: `pg_dump --format=custom` and `pg_restore` (their major version must be at least the
server's; Debian's postgresql-client of the same major as the server). SQLite: SQLite's online backup
API, a consistent copy even while the site writes.
"""

import os
import re
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.core.management.base import CommandError


def is_postgresql(database):
    return database["ENGINE"].endswith("postgresql")


def _pg_environment(database):
    env = {**os.environ, "PGCONNECT_TIMEOUT": "10"}
    for variable, key in (("PGHOST", "HOST"), ("PGPORT", "PORT"), ("PGUSER", "USER"), ("PGPASSWORD", "PASSWORD")):
        if database.get(key):
            env[variable] = str(database[key])
    return env


def _pg_tool(name, server_version):
    """The path of pg_dump or pg_restore, refusing one older than the server (it could not read its dump)."""
    path = shutil.which(name)
    if path is None:
        raise CommandError(f"{name} is not installed (Debian package: postgresql-client).")
    found = re.search(r"(\d+)(?:\.\d+)?", subprocess.run([path, "--version"], capture_output=True, text=True).stdout)  # noqa: S603 - our own tool path
    tool_major, server_major = int(found.group(1)) if found else 0, server_version // 10000
    if tool_major < server_major:
        raise CommandError(f"{name} is version {tool_major}, older than the PostgreSQL {server_major} server.")
    return path


def _run(command, env):
    completed = subprocess.run(command, env=env, capture_output=True, text=True)  # noqa: S603 - a list, no shell
    if completed.returncode != 0:
        raise CommandError(f"{Path(command[0]).name} failed: {completed.stderr.strip()[-2000:]}")


def backup(connection, output):
    """Write the database `connection` reaches to the file `output`."""
    database = connection.settings_dict
    output = Path(output)
    output.parent.mkdir(parents=True, exist_ok=True)
    if is_postgresql(database):
        connection.ensure_connection()
        pg_dump = _pg_tool("pg_dump", connection.pg_version)
        _run(
            [pg_dump, "--format=custom", "--no-owner", f"--file={output}", database["NAME"]], _pg_environment(database)
        )
        return
    connection.ensure_connection()
    target = sqlite3.connect(output)
    try:
        connection.connection.backup(target)
    finally:
        target.close()


def restore(database, source, *, server_version=None):
    """Restore the backup file `source` into the empty database described by the settings entry `database`."""
    source = Path(source)
    if not source.is_file():
        raise CommandError(f"No backup file at {source}.")
    if is_postgresql(database):
        import psycopg

        env = _pg_environment(database)
        with psycopg.connect(dbname=database["NAME"], **_pg_connect_arguments(database)) as conn:
            version = conn.info.server_version
            tables = conn.execute("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'").fetchone()[0]
        if tables:
            raise CommandError(
                f"Database {database['NAME']} is not empty ({tables} tables): restore into an empty one."
            )
        pg_restore = _pg_tool("pg_restore", server_version or version)
        _run(
            [
                pg_restore,
                "--no-owner",
                "--exit-on-error",
                "--single-transaction",
                f"--dbname={database['NAME']}",
                source,
            ],
            env,
        )
        return
    target_path = Path(database["NAME"])
    if target_path.exists() and target_path.stat().st_size:
        with sqlite3.connect(target_path) as existing:
            tables = existing.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table'").fetchone()[0]
        if tables:
            raise CommandError(f"Database {target_path} is not empty ({tables} tables): restore into an empty one.")
    backup_file = sqlite3.connect(source)
    target = sqlite3.connect(target_path)
    try:
        backup_file.backup(target)
    finally:
        target.close()
        backup_file.close()


def _pg_connect_arguments(database):
    arguments = {"host": database.get("HOST") or None, "port": database.get("PORT") or None}
    arguments.update(user=database.get("USER") or None, password=database.get("PASSWORD") or None)
    return {key: value for key, value in arguments.items() if value is not None}
