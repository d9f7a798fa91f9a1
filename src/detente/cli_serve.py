"""CLI verbs of the service: ``serve`` (the REST API under uvicorn) and ``keys create|revoke|list``."""

from __future__ import annotations

import os
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from .cli import _open, _print_json, app, cell, console, errors_console, state
from .errors import BadOption

keys_app = typer.Typer(help="API keys for the REST API's writing endpoints (only their hashes are stored).",
                       no_args_is_help=True)
app.add_typer(keys_app, name="keys")


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Interface to listen on; 0.0.0.0 exposes the API to the network.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535)] = 8000,
    db: Annotated[str | None, typer.Option("--db", help="DuckDB file or postgresql:// URL (default: the global --db, DETENTE_DB or the user data dir).")] = None,
    workers: Annotated[int, typer.Option(min=1, max=64, help="Server processes; on a DuckDB file more than 1 needs "
                                                             "--read-only (PostgreSQL takes several writers).")] = 1,
    read_only: Annotated[bool, typer.Option("--read-only", help="Open the database read-only: no POST /articles, "
                                                                  "but other readers and several workers may share it.")] = False,
) -> None:
    """Serve the REST API (OpenAPI spec at /openapi.json, docs at /docs) until Ctrl-C.

    The server holds the database for its lifetime (DuckDB has one writer):
    stop it to ingest from the CLI, or ingest through POST /api/v1/articles.

    Example: detente serve --db news.duckdb --port 8000
    """
    run_server(db or state.db, host=host, port=port, workers=workers, read_only=read_only)


def run_server(db: str | None, *, host: str = "127.0.0.1", port: int = 8000, workers: int = 1,
               read_only: bool = False) -> None:
    """Serve the API and dashboard on ``db`` (default: the settings' database) under uvicorn until Ctrl-C
    (``detente serve``, and ``detente demo`` at its end). Raises ``BadOption`` when the port is taken."""
    import socket

    import uvicorn

    from .serve.app import create_app
    from .settings import Settings
    from .store import is_postgres, public_url

    settings = Settings(**({"db": db} if db else {}), api_read_only=read_only)
    if workers > 1 and not read_only and not is_postgres(settings.db):
        raise BadOption("--workers above 1 on a DuckDB file needs --read-only (DuckDB lets one process write a "
                        "database; PostgreSQL takes several)")
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family) as probe:  # say so in one line instead of uvicorn's traceback-like log
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn binds
        try:
            probe.bind((host, port))
        except OSError as exc:
            raise BadOption(f"cannot listen on {host}:{port} ({exc.strerror}); pick another --port") from exc
    errors_console.print(f"Détente API on http://{host}:{port}/api/v1  (spec: /openapi.json, docs: /docs)  "
                         f"database {public_url(settings.db)}{' read-only' if read_only else ''}", highlight=False)
    if workers == 1:
        uvicorn.run(create_app(settings), host=host, port=port, log_level="warning", access_log=False)
        return
    os.environ["DETENTE_DB"] = settings.db  # read by each worker
    os.environ["DETENTE_API_READ_ONLY"] = "1" if read_only else "0"
    from uvicorn.supervisors import Multiprocess

    config = uvicorn.Config("detente.serve.app:app_from_environment", factory=True, host=host, port=port,
                            workers=workers, log_level="warning", access_log=False)
    listening = config.bind_socket()
    # uvicorn.run(workers=N) binds a socket of protocol 0, on whose connections asyncio does not set TCP_NODELAY:
    # an answer under 64 kB then waits for the client's delayed ACK (40 ms). Linux passes the option from the
    # listening socket to the connections it accepts.
    listening.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    try:
        Multiprocess(config, sockets=[listening]).run()
    except KeyboardInterrupt:
        pass


@keys_app.command("create")
def keys_create(name: Annotated[str, typer.Argument(help="Who holds the key: a person or a robot (feeds-bot).")]) -> None:
    """Create an API key and print it once (it cannot be shown again).  Example: detente keys create feeds-bot"""
    from .serve.keys import create_key

    with _open() as handle:
        key = create_key(handle.store, name)
    if state.as_json:
        _print_json({"name": name, "key": key})
    else:
        console.print(key, highlight=False)
        errors_console.print(f"key {name!r} created; it is shown only now — send it as the X-API-Key header",
                             highlight=False)


@keys_app.command("revoke")
def keys_revoke(name: Annotated[str, typer.Argument(help="The key's name.")]) -> None:
    """Revoke a key: it is refused from now on.  Example: detente keys revoke feeds-bot"""
    from .serve.keys import revoke_key

    with _open() as handle:
        revoke_key(handle.store, name)
    if state.as_json:
        _print_json({"name": name, "revoked": True})
    else:
        errors_console.print(f"key {name!r} revoked", highlight=False)


@keys_app.command("list")
def keys_list() -> None:
    """List API keys (names and public ids, never the keys).  Example: detente keys list"""
    with _open(read_only=True) as handle:
        frame = handle.store.api_keys()
    if state.as_json:
        _print_json(frame.astype(object).where(frame.notna(), None).to_dict("records"))
        return
    table = Table(title=f"{len(frame)} API keys", header_style="bold")
    for column in ("name", "id", "created", "revoked"):
        table.add_column(column)
    for row in frame.itertuples():
        table.add_row(escape(row.name), row.key_id, cell(row.created_at)[:19], cell(row.revoked_at)[:19])
    console.print(table)
