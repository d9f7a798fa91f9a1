"""Vendor the dashboard's JavaScript libraries from the npm registry, pinned by version and sha512.

Usage: python scripts/vendor_assets.py [--check]

Downloads each pinned package tarball from the npm registry, checks it against
the pinned ``dist.integrity`` (Subresource Integrity form, ``sha512-<base64>``),
and extracts the listed files into ``src/detente/serve/static/vendor/NAME/``.
The vendored files are committed with the package: the dashboard fetches
nothing at run time. ``--check`` only verifies that the vendored files match
the pinned tarball (it still downloads it).

To upgrade: change ``version`` and ``integrity`` below (``npm view echarts@X.Y.Z
dist.integrity`` prints the value), run this script, and update the version in
``static/vendor/NAME/README.md``.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import io
import sys
import tarfile
import urllib.request
from dataclasses import dataclass
from pathlib import Path

VENDOR = Path(__file__).resolve().parents[1] / "src" / "detente" / "serve" / "static" / "vendor"
TIMEOUT_SECONDS = 60
MAX_TARBALL_BYTES = 100 * 1024 * 1024


@dataclass(frozen=True)
class Pinned:
    """One npm package to vendor: its version, tarball integrity and the files to keep (paths in the tarball)."""

    name: str
    version: str
    integrity: str
    files: tuple[str, ...]

    @property
    def url(self) -> str:
        """The tarball's URL on the npm registry."""
        return f"https://registry.npmjs.org/{self.name}/-/{self.name}-{self.version}.tgz"


PINNED = (
    Pinned("echarts", "6.1.0",
           "sha512-q0yaFPggC9FUdsWH4blavRWFmxdrIodbkoKNAjJudAI6CA9gNPxHtV2RcZNEepZVlk4yvBYkOkbk6HIVpIyHZA==",
           ("dist/echarts.min.js", "LICENSE", "NOTICE")),
)


def integrity_of(blob: bytes) -> str:
    """The Subresource Integrity string (``sha512-<base64>``) of ``blob``, as npm's ``dist.integrity``."""
    return "sha512-" + base64.b64encode(hashlib.sha512(blob).digest()).decode("ascii")


def download(pinned: Pinned) -> bytes:
    """The package tarball, checked against its pinned integrity (``ValueError`` when it differs)."""
    with urllib.request.urlopen(pinned.url, timeout=TIMEOUT_SECONDS) as response:
        blob = response.read(MAX_TARBALL_BYTES + 1)
    if len(blob) > MAX_TARBALL_BYTES:
        raise ValueError(f"{pinned.url} is larger than {MAX_TARBALL_BYTES} bytes")
    found = integrity_of(blob)
    if found != pinned.integrity:
        raise ValueError(f"{pinned.url}: integrity {found} is not the pinned {pinned.integrity}")
    return blob


def members(pinned: Pinned, blob: bytes) -> dict[str, bytes]:
    """The pinned files of the tarball (npm tarballs put everything under ``package/``), by path."""
    found: dict[str, bytes] = {}
    with tarfile.open(fileobj=io.BytesIO(blob), mode="r:gz") as tar:
        for path in pinned.files:
            member = tar.getmember(f"package/{path}")
            if not member.isfile():
                raise ValueError(f"{pinned.name}: {path} is not a regular file in the tarball")
            found[path] = tar.extractfile(member).read()
    return found


def vendor(pinned: Pinned, check: bool = False) -> list[str]:
    """Write (or with ``check`` compare) the pinned files under ``VENDOR/NAME``; return the paths that differ."""
    target = VENDOR / pinned.name
    differ = []
    for path, content in members(pinned, download(pinned)).items():
        out = target / Path(path).name
        if check:
            if not out.is_file() or out.read_bytes() != content:
                differ.append(str(out))
            continue
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(content)
        print(f"{pinned.name} {pinned.version}: {path} -> {out.relative_to(VENDOR.parents[4])} ({len(content)} bytes)")
    return differ


def main(argv: list[str] | None = None) -> int:
    """Vendor (or check) every pinned package; exit 1 when a check finds a difference."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare the vendored files, write nothing")
    args = parser.parse_args(argv)
    differ = [path for pinned in PINNED for path in vendor(pinned, check=args.check)]
    for path in differ:
        print(f"differs from the pinned tarball: {path}", file=sys.stderr)
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
