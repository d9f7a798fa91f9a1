"""A throwaway PostgreSQL 15 server for the session: initdb into a temp dir, listen on a free loopback port.

PostgreSQL refuses to run as root, and CI runs the tests as root: the server
then runs as the ``postgres`` system user Debian's package creates, in a
directory handed to it. Authentication is ``trust`` (loopback only). The
server is stopped and its directory removed when the session ends, whatever
the tests did. Tests are skipped, with the reason, only where the server
binaries are missing (``scripts/install_system.sh`` installs them).
"""

from __future__ import annotations

import glob
import itertools
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest

#: Where to look for initdb and pg_ctl: $DETENTE_PG_BIN, Debian's PostgreSQL 15, then any other Debian version.
PG_BIN_DIRS = (os.environ.get("DETENTE_PG_BIN", ""), "/usr/lib/postgresql/15/bin",
               *sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True))


def _pg_bin() -> Path | None:
    for candidate in PG_BIN_DIRS:
        if candidate and (Path(candidate) / "initdb").is_file() and (Path(candidate) / "pg_ctl").is_file():
            return Path(candidate)
    return None


def _as_server_user(command: list[str]) -> list[str]:
    """Run ``command`` as ``postgres`` when we are root (the server will not start as root)."""
    if os.geteuid() != 0:
        return command
    runuser = shutil.which("runuser")
    if runuser is None:
        pytest.skip("running as root without runuser: cannot start PostgreSQL as the postgres user")
    return [runuser, "-u", "postgres", "--", *command]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class PostgresServer:
    """A running server: where it listens, and fresh databases on it."""

    host: str
    port: int
    _names = itertools.count()

    def url(self, database: str = "postgres") -> str:
        """The ``postgresql://`` URL of ``database`` on this server."""
        return f"postgresql://postgres@{self.host}:{self.port}/{database}"

    def create_database(self, prefix: str = "detente") -> str:
        """Create an empty database (C collation, as DuckDB orders strings); return its URL."""
        import psycopg

        name = f"{prefix}_{next(self._names)}"
        with psycopg.connect(self.url(), autocommit=True) as con:
            con.execute(f"CREATE DATABASE {name} TEMPLATE template0 ENCODING 'UTF8' LOCALE 'C'")
        return self.url(name)


@pytest.fixture(scope="session")
def postgres_server():
    """Start PostgreSQL 15 for the session; stop it at the end, even when tests fail."""
    bindir = _pg_bin()
    if bindir is None:
        pytest.skip(f"PostgreSQL server binaries not found in {[d for d in PG_BIN_DIRS if d]} "
                    "(install them with scripts/install_system.sh)")
    if os.geteuid() == 0:
        try:
            server_user = pwd.getpwnam("postgres")
        except KeyError:
            pytest.skip("running as root and no postgres system user to run the server as")
    root = Path(tempfile.mkdtemp(prefix="detente-pg-"))
    data, log = root / "data", root / "server.log"
    if os.geteuid() == 0:
        os.chown(root, server_user.pw_uid, server_user.pw_gid)
    port = _free_port()
    started = False
    try:
        subprocess.run(_as_server_user([str(bindir / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust",
                                        "-E", "UTF8", "--locale=C"]),
                       check=True, capture_output=True, timeout=120)
        options = (f"-c listen_addresses=127.0.0.1 -p {port} -k {root} -c fsync=off -c full_page_writes=off "
                   "-c synchronous_commit=off")
        subprocess.run(_as_server_user([str(bindir / "pg_ctl"), "-D", str(data), "-l", str(log), "-w", "-t", "60",
                                        "-o", options, "start"]),
                       check=True, capture_output=True, timeout=90)
        started = True
        yield PostgresServer("127.0.0.1", port)
    except subprocess.CalledProcessError as exc:
        details = exc.stderr.decode(errors="replace") + (log.read_text(errors="replace") if log.exists() else "")
        raise RuntimeError(f"could not start PostgreSQL: {details}") from exc
    finally:
        if started:
            subprocess.run(_as_server_user([str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w",
                                            "stop"]), check=False, capture_output=True, timeout=60)
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def pg_url(postgres_server: PostgresServer) -> str:
    """The URL of a fresh, empty database on the session's server."""
    return postgres_server.create_database()
