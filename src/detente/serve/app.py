"""The FastAPI application: ``create_app(settings)`` wires the routes, limits, access and JSON errors.

Run it with ``detente serve`` (uvicorn). The OpenAPI spec is at
``/openapi.json``, interactive docs at ``/docs``; the API is versioned under
``/api/v1``. Every error is JSON ``{"error": "..."}`` (plus ``details`` for
invalid parameters); CORS is off unless ``DETENTE_API_CORS_ORIGINS`` names
origins. See ``database.py`` for how one DuckDB file serves many requests.
"""

from __future__ import annotations

import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from .. import __version__
from ..errors import DetenteError, NotFound, StoreLocked, UserError
from ..settings import Settings
from .database import Database
from .limits import BodyLimit
from .pages import router as pages_router
from .pages import static_files
from .routes_feeds import router as feeds_router
from .routes_read import router as read_router
from .routes_report import router as report_router
from .routes_views import router as views_router
from .routes_write import router as write_router
from .routes_write import warm_up

DESCRIPTION = """Détente's REST API: stored news articles, coded events with their source sentence,
the risk index, storylines (timeline, phases, ledger), scenarios, alerts, and text analysis.

Reads are open to clients on this machine by default (`DETENTE_API_READS=localhost|open|key`);
`POST /api/v1/articles` and the feed subscription writes (`POST`/`DELETE /api/v1/feeds`) need an API key
(`detente keys create NAME`) in the `X-API-Key` header."""


def _error(status: int, message: str, details: list | None = None, headers: dict | None = None) -> JSONResponse:
    content: dict[str, object] = {"error": message}
    if details:
        content["details"] = details
    return JSONResponse(content, status_code=status, headers=headers)


def _where(loc: tuple) -> str:
    parts = [str(part) for part in loc]
    if parts and parts[0] in ("query", "path", "header", "body"):
        return f"{parts[0]} parameter {'.'.join(parts[1:])}" if len(parts) > 1 else parts[0]
    return ".".join(parts)


async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
    details = [{"where": _where(tuple(e.get("loc", ()))), "message": e.get("msg", "invalid")} for e in exc.errors()]
    message = "; ".join(f"{d['where']}: {d['message']}" for d in details[:5]) or "invalid request"
    return _error(422, message, details)


async def _http(request: Request, exc: HTTPException) -> JSONResponse:
    return _error(exc.status_code, str(exc.detail), headers=getattr(exc, "headers", None))


async def _detente(request: Request, exc: DetenteError) -> JSONResponse:
    if isinstance(exc, NotFound):
        return _error(404, str(exc))
    if isinstance(exc, StoreLocked):
        return _error(503, str(exc))
    if isinstance(exc, UserError):
        return _error(422, str(exc))
    return _error(500, f"{type(exc).__name__}: {exc}")


async def _internal(request: Request, exc: Exception) -> JSONResponse:
    return _error(500, f"internal error ({type(exc).__name__}); the server log has the details")


def create_app(settings: Settings | None = None) -> FastAPI:
    """The API app serving ``settings.db`` (opened now; read-only if ``settings.api_read_only``)."""
    settings = settings or Settings()
    served = Database(settings, read_only=settings.api_read_only)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # load the spaCy pipeline in the background, so the first POST /analyze does not pay seconds for it
        threading.Thread(target=warm_up, name="detente-warm-up", daemon=True).start()
        yield
        served.close()

    app = FastAPI(title="Détente", version=__version__, description=DESCRIPTION, lifespan=lifespan,
                  openapi_url="/openapi.json", docs_url="/docs", redoc_url=None)
    app.state.database = served
    app.include_router(read_router)
    app.include_router(write_router)
    app.include_router(feeds_router)
    app.include_router(report_router)
    app.include_router(views_router)
    app.include_router(pages_router)
    app.mount("/static", static_files(), name="static")
    app.add_exception_handler(RequestValidationError, _invalid)
    app.add_exception_handler(HTTPException, _http)
    app.add_exception_handler(DetenteError, _detente)
    app.add_exception_handler(Exception, _internal)

    def limit_for(path: str) -> int:
        return settings.api_max_analyze_bytes if path.endswith("/analyze") else settings.api_max_body_bytes

    app.add_middleware(BodyLimit, limit_for=limit_for)
    origins = [origin.strip() for origin in settings.api_cors_origins.split(",") if origin.strip()]
    if origins:
        from fastapi.middleware.cors import CORSMiddleware

        app.add_middleware(CORSMiddleware, allow_origins=origins, allow_methods=["GET", "POST", "DELETE"],
                           allow_headers=["X-API-Key", "Content-Type"])
    return app


def app_from_environment() -> FastAPI:
    """The app for ``uvicorn --factory`` with several workers: settings from ``DETENTE_*`` variables."""
    return create_app(Settings())
