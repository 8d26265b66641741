"""Routes of the OpenAPI document, for comparing with the routes the server has.

    from routes import list_routes
    list_routes()                 # [("POST", "/api/v1/auth/login"), ..., ("GET", "/healthz"), ...]
    list_routes(full=False)       # [("POST", "/auth/login"), ..., ("GET", "/healthz"), ...]

Path templates come back in router form: `/cameras/{id}` -> `/cameras/:id`.

With full=True (the default) each path is prefixed with the path of its effective server
(operation `servers`, else path-item `servers`, else the document's), so versioned routes read
`/api/v1/...` and the root-level ones (`/healthz`, `/readyz`, `/metrics`, documented with a
`servers: [{url: "/"}]` override) read `/healthz`. With full=False paths are as written in the
document, relative to their server.

Standard library only; run with /usr/bin/python3. As a script it prints one "METHOD path" a line:
    /usr/bin/python3 tests/openapi/routes.py [document.json] [--relative]
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any, Union
from urllib.parse import urlsplit

DEFAULT_DOC = Path(__file__).resolve().parents[2] / "src" / "api" / "openapi.json"
METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
_PARAM = re.compile(r"\{([^}/]+)\}")


def load(doc: Union[str, Path, dict, None] = None) -> dict:
    """The document as a dict: from a file path (default: src/api/openapi.json) or as given."""
    if isinstance(doc, dict):
        return doc
    with open(doc or DEFAULT_DOC, encoding="utf-8") as f:
        return json.load(f)


def to_router_path(path: str) -> str:
    """`/cameras/{id}/status` -> `/cameras/:id/status`."""
    return _PARAM.sub(r":\1", path)


def _server_path(servers: Any) -> str | None:
    if not servers:
        return None
    url = servers[0].get("url", "")
    # Absolute URLs ("http://host:8002/api/v1") contribute their path; variables are not expanded.
    path = urlsplit(url).path if "://" in url else url
    return path.rstrip("/")


def list_routes(doc: Union[str, Path, dict, None] = None, *, full: bool = True) -> list[tuple[str, str]]:
    """(METHOD, path) of every operation, in document order, METHOD upper-case."""
    d = load(doc)
    top = _server_path(d.get("servers")) or ""
    routes = []
    for path, item in (d.get("paths") or {}).items():
        item_base = _server_path(item.get("servers"))
        for method in METHODS:
            op = item.get(method)
            if not isinstance(op, dict):
                continue
            base = ""
            if full:
                base = _server_path(op.get("servers"))
                if base is None:
                    base = item_base if item_base is not None else top
            routes.append((method.upper(), base + to_router_path(path)))
    return routes


def main(argv: list[str]) -> int:
    relative = "--relative" in argv
    files = [a for a in argv if not a.startswith("--")]
    for method, path in list_routes(files[0] if files else None, full=not relative):
        print(f"{method} {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
