"""Serve a built site locally as GitHub Pages serves it (``make serve``).

    python tools/serve.py OUTPUT [--port 8000] [--bind 127.0.0.1] [--base /repo]

Python's own file server, plus what Pages does that it does not: a missing path answers
with the site's ``404.html`` (status 404), ``/dir`` redirects to ``/dir/``, and the site can
be served under a sub-path (``--base /<repo>``, a project site) so a publish build's links
resolve as they will online.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import http.server
import os
import sys
from pathlib import Path


class PagesHandler(http.server.SimpleHTTPRequestHandler):
    base = ""

    def translate_path(self, path: str) -> str:
        if self.base:
            clean = path.split("?", 1)[0].split("#", 1)[0]
            if clean != self.base and not clean.startswith(self.base + "/"):
                return str(Path(self.directory) / ".outside-the-base-path")  # answered 404
            path = path[len(self.base):] or "/"
        return super().translate_path(path)

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        page = Path(self.directory) / "404.html"
        if code != 404 or not page.is_file():
            super().send_error(code, message, explain)
            return
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python tools/serve.py", description=__doc__.split("\n\n")[0])
    ap.add_argument("output", help="the built site, e.g. output/zjrb")
    ap.add_argument("--port", type=int, default=8000)
    ap.add_argument("--bind", default="127.0.0.1")
    ap.add_argument("--base", default="", help="serve under this sub-path, e.g. /epaper")
    args = ap.parse_args(argv)
    root = Path(args.output)
    if not (root / "index.html").is_file():
        print(f"{root}: no built site here (make html first)", file=sys.stderr)
        return 2
    handler = functools.partial(PagesHandler, directory=os.fspath(root))
    PagesHandler.base = "/" + args.base.strip("/") if args.base.strip("/") else ""
    with http.server.ThreadingHTTPServer((args.bind, args.port), handler) as server:
        host, port = server.server_address[:2]
        print(f"serving {root} at http://{host}:{port}{PagesHandler.base}/ (Ctrl-C stops)")
        with contextlib.suppress(KeyboardInterrupt):
            server.serve_forever()
    return 0


if __name__ == "__main__":
    sys.exit(main())
