"""Running the web app on this machine: a server on a free 127.0.0.1 port in a thread (for tests,
benchmarks and screenshots), and the flags sitroom drives headless Chromium with."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

#: Debian's Chromium, headless, with nothing that reaches the network on its own
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
)


@contextmanager
def serving(db: str | Path, timeout: float = 30.0) -> Iterator[str]:
    """The web app over ``db`` on a free port of 127.0.0.1; yields its base URL, stops it after."""
    import uvicorn

    from sitroom.web.app import create_app

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app(db), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + timeout
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError(f"the web app did not start on 127.0.0.1 within {timeout:.0f} s")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
