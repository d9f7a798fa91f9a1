"""Finding what to read: paths, directories, URLs, and the format of each."""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ..errors import InputNotFound, UnknownFormat

FORMATS = ("text", "jsonl", "csv", "feed", "html", "gdelt")

_SUFFIXES = {
    ".txt": "text", ".text": "text", ".md": "text", ".markdown": "text",
    ".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "jsonl",
    ".csv": "csv", ".tsv": "csv",
    ".xml": "feed", ".rss": "feed", ".atom": "feed",
    ".html": "html", ".htm": "html", ".xhtml": "html",
}


@dataclass(frozen=True)
class Input:
    """One readable input: a file, a zip member or a URL, with its detected format.

    ``format`` is None when it could not be told; the pipeline stores a
    reject for it instead of guessing.
    """

    location: str  # path, ``archive.zip!member`` or URL
    format: str | None
    path: Path | None = None
    member: str | None = None
    url: str | None = None


def is_url(text: str) -> bool:
    """Return True if ``text`` is an http(s) URL rather than a path."""
    return text.lower().startswith(("http://", "https://"))


def format_from_name(name: str) -> str | None:
    """Return the format a file name implies (GDELT exports by their ``.export.CSV`` name)."""
    lowered = name.lower()
    if lowered.endswith(".export.csv"):
        return "gdelt"
    return _SUFFIXES.get(Path(lowered).suffix)


def sniff_format(head: bytes) -> str | None:
    """Guess a format from the first bytes of a document."""
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")[:1024].lower()
    if text.startswith(b"{"):
        return "jsonl"
    if b"<rss" in text or b"<feed" in text or b"<rdf:rdf" in text:
        return "feed"
    if text.startswith((b"<!doctype html", b"<html")) or b"<html" in text:
        return "html"
    if text.startswith(b"<?xml"):
        return "feed"
    from .gdelt import looks_like_gdelt

    if looks_like_gdelt(head.lstrip(b"\xef\xbb\xbf").split(b"\n", 1)[0]):
        return "gdelt"
    return None


def discover(target: str, forced_format: str | None = None) -> Iterator[Input]:
    """Yield the inputs under ``target``: a file, a directory (recursively), a zip, or a URL.

    Raises ``InputNotFound`` when the path does not exist and
    ``UnknownFormat`` for a ``forced_format`` Détente does not read.
    """
    if forced_format is not None and forced_format not in FORMATS:
        raise UnknownFormat(f"unknown format {forced_format!r}; use one of {', '.join(FORMATS)}")
    if is_url(target):
        yield Input(location=target, format=forced_format, url=target)
        return
    path = Path(target).expanduser()
    if not path.exists():
        raise InputNotFound(f"no such file or directory: {target}")
    files = sorted(p for p in path.rglob("*") if p.is_file() and not p.name.startswith(".")) if path.is_dir() else [path]
    for file in files:
        if file.suffix.lower() == ".zip" and zipfile.is_zipfile(file):
            yield from _zip_members(file, forced_format)
            continue
        fmt = forced_format or format_from_name(file.name)
        if fmt is None or (fmt == "csv" and not forced_format):
            fmt = _sniff_file(file) or fmt
        yield Input(location=str(file), format=fmt, path=file)


def _sniff_file(file: Path) -> str | None:
    try:
        with file.open("rb") as handle:
            return sniff_format(handle.read(4096))
    except OSError:
        return None


def _zip_members(archive: Path, forced_format: str | None) -> Iterator[Input]:
    with zipfile.ZipFile(archive) as zipped:
        for member in sorted(zipped.namelist()):
            if member.endswith("/"):
                continue
            fmt = forced_format or format_from_name(member)
            yield Input(location=f"{archive}!{member}", format=fmt, path=archive, member=member)
