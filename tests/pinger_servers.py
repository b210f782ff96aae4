"""Loopback servers that misbehave on purpose, for tests/test_pinger.py; all on 127.0.0.1."""

from __future__ import annotations

import re
import socket
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any
from xmlrpc.server import SimpleXMLRPCServer

from werkzeug import Request, Response


@contextmanager
def silent_server() -> Iterator[str]:
    """Yield the URL of a server that takes connections and never answers: a hang."""
    # The kernel completes the handshake for the backlog, so the request goes out and no reply comes.
    with socket.create_server(("127.0.0.1", 0), backlog=16) as sock:
        yield f"http://127.0.0.1:{sock.getsockname()[1]}/hub"


@contextmanager
def trickling_server(interval: float = 0.05) -> Iterator[str]:
    """Yield the URL of a server that answers one byte every `interval` seconds, for longer than any test runs.

    Every read gets a byte before a read timeout would fire: only a deadline over the whole request ends it.
    """
    with raw_server(b"HTTP/1.1 204 No Content\r\nX-Slow: " + b"a" * 10_000, interval) as url:
        yield url


@contextmanager
def raw_server(reply: bytes, interval: float = 0.0) -> Iterator[str]:
    """Yield the URL of a server that answers each request with the bytes `reply`, as written (no HTTP library
    checks them), one byte every `interval` seconds when it is not 0."""
    stop = threading.Event()

    def trickle(conn: socket.socket) -> None:
        with conn:
            try:
                _read_request(conn)
                if not interval:
                    conn.sendall(reply)
                    return
                for byte in reply:
                    if stop.wait(interval):
                        return
                    conn.sendall(bytes([byte]))
            except OSError:
                return  # the client gave up and closed the connection

    def serve(sock: socket.socket) -> None:
        while not stop.is_set():
            try:
                conn, _ = sock.accept()
            except OSError:
                return
            threading.Thread(target=trickle, args=(conn,), daemon=True).start()

    with socket.create_server(("127.0.0.1", 0)) as sock:
        sock.settimeout(0.2)
        thread = threading.Thread(target=serve, args=(sock,), daemon=True)
        thread.start()
        try:
            yield f"http://127.0.0.1:{sock.getsockname()[1]}/hub"
        finally:
            stop.set()
            thread.join()


def _read_request(conn: socket.socket) -> None:
    """Read a request's head and its Content-Length body: a connection closed on bytes it has not read is reset, and
    the reset may reach the client before the reply it was to read (its length then depends on timing)."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = conn.recv(65536)
        if not chunk:
            return
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    length = re.search(rb"(?im)^content-length:\s*(\d+)", head)
    left = int(length[1]) - len(body) if length else 0
    while left > 0 and (chunk := conn.recv(min(left, 65536))):
        left -= len(chunk)


@contextmanager
def closed_port() -> Iterator[str]:
    """Yield the URL of a port that refuses connections: bound, so no one else takes it, never listening."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        yield f"http://127.0.0.1:{sock.getsockname()[1]}/hub"


@contextmanager
def weblog_server(**methods: Callable[..., Any]) -> Iterator[str]:
    """Yield the URL of a real XML-RPC server offering weblogUpdates.<name> for each of `methods`."""
    server = SimpleXMLRPCServer(("127.0.0.1", 0), logRequests=False)
    for name, function in methods.items():
        server.register_function(function, f"weblogUpdates.{name}")
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/RPC2"
    finally:
        server.shutdown()
        thread.join()
        server.server_close()


def replies(*responses: Response) -> Callable[[Request], Response]:
    """Return a pytest-httpserver handler giving `responses` in turn, then the last one forever."""
    served = iter(responses)
    last = responses[-1]

    def handler(request: Request) -> Response:
        return next(served, last)

    return handler
