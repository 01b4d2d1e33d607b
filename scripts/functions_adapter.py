"""Serve a web function locally on 127.0.0.1 the way DigitalOcean calls it with `web: raw`.

Each HTTP request becomes the event DigitalOcean would pass (`event["http"]` with method, headers in lower
case, path, queryString, the body as a string, isBase64Encoded), and the function's result dict becomes the
HTTP response. Used by the end-to-end tests and for trying the override API by hand:

    python scripts/functions_adapter.py override --port 8080
"""

from __future__ import annotations

import base64
import json
import uuid
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler
from typing import Any

from demo import load_handler
from local_server import LocalServer

Function = Callable[..., dict[str, Any]]


def event_for(
    method: str, path: str, *, query: str, headers: dict[str, str], body: bytes, caller: str
) -> dict[str, Any]:
    try:
        text, encoded = body.decode("utf-8"), False
    except UnicodeDecodeError:
        text, encoded = base64.b64encode(body).decode(), True
    lowered = {name.lower(): value for name, value in headers.items()}
    lowered.setdefault("x-forwarded-for", caller)
    lowered.setdefault("x-request-id", uuid.uuid4().hex)
    return {
        "http": {
            "method": method,
            "headers": lowered,
            "path": path,
            "queryString": query,
            "body": text,
            "isBase64Encoded": encoded,
        }
    }


class _Handler(BaseHTTPRequestHandler):
    server: FunctionServer

    def log_message(self, format: str, *args: object) -> None:
        pass

    def _call(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        path, _, query = self.path.partition("?")
        event = event_for(
            self.command,
            path,
            query=query,
            headers=dict(self.headers.items()),
            body=body,
            caller=self.client_address[0],
        )
        result = self.server.function(event, None)
        payload = result.get("body", b"")
        data = payload if isinstance(payload, bytes) else json.dumps(payload).encode() if payload != "" else b""
        self.send_response(int(result.get("statusCode", 200)))
        for name, value in (result.get("headers") or {}).items():
            self.send_header(name, str(value))
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    do_GET = do_PUT = do_DELETE = do_POST = do_PATCH = _call  # noqa: N815 - http.server's names


class FunctionServer(LocalServer):
    def __init__(self, function: Function, port: int = 0) -> None:
        super().__init__(_Handler, port, "function-adapter")
        self.function = function


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("function", help="a function of packages/status, e.g. override")
    parser.add_argument("--port", type=int, default=8080)
    args = parser.parse_args()
    server = FunctionServer(load_handler(args.function), args.port)
    print(f"status/{args.function} on {server.url} (reads its configuration from the environment)")
    server.serve_forever()
