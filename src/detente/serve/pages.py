"""The dashboard's pages and static files, served by the API's own process.

Pages are plain HTML under ``static/`` that read ``/api/v1`` from the
browser; charts are Apache ECharts, vendored in ``static/vendor/echarts``
by ``scripts/vendor_assets.py`` (nothing comes from a CDN). Each page is
sent with a Content-Security-Policy that lets it load and call only its own
origin, so no request leaves the machine. The static files are mounted at
``/static`` (not ``/``), so they never shadow ``/api/v1``, ``/openapi.json``
or ``/docs``; page routes stay out of the OpenAPI spec.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import FileResponse
from fastapi.staticfiles import StaticFiles

STATIC = Path(__file__).resolve().parent / "static"

#: Pages may load scripts, styles, fonts and data from their own origin only; ECharts sets inline styles.
CONTENT_SECURITY_POLICY = ("default-src 'self'; script-src 'self'; connect-src 'self'; img-src 'self' data:; "
                           "style-src 'self' 'unsafe-inline'; object-src 'none'; base-uri 'none'; "
                           "frame-ancestors 'none'; form-action 'self'")

#: URL path → page file under ``static/``.
PAGES = {
    "/": "index.html",
    "/storyline": "storyline.html",
    "/country": "country.html",
    "/events": "events.html",
}

router = APIRouter(include_in_schema=False)


def _page(name: str):
    def serve() -> FileResponse:
        return FileResponse(STATIC / name, media_type="text/html; charset=utf-8",
                            headers={"Content-Security-Policy": CONTENT_SECURITY_POLICY,
                                     "X-Content-Type-Options": "nosniff", "Cache-Control": "no-cache"})

    serve.__doc__ = f"The dashboard page {name}."
    return serve


for _path, _name in PAGES.items():
    router.add_api_route(_path, _page(_name), methods=["GET"], name=f"page:{_name}")


def static_files() -> StaticFiles:
    """The dashboard's scripts, styles and vendored libraries, for ``app.mount("/static", ...)``."""
    return StaticFiles(directory=STATIC)
