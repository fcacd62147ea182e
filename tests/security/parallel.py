"""Real parallel requests for the race tests: several Flask test clients (each its own session
cookie, like several tabs or users) against one app and database, released together."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any, TypeVar

from flask import Flask
from flask.testing import FlaskClient

from tests.accounts import login

T = TypeVar("T")
TIMEOUT = 20.0  # seconds for one batch; a batch normally takes well under one


def signed_in(app: Flask, username: str, count: int = 1) -> list[FlaskClient]:
    """``count`` clients, each with a session of its own."""
    clients = []
    for _ in range(count):
        client = app.test_client()
        login(client, username)
        clients.append(client)
    return clients


def together(calls: list[Callable[[], T]]) -> list[T]:
    """Run the calls in threads released at once by a barrier; their results in order.

    An exception in a call is raised here (after every thread has finished), so a 500 that a
    test client re-raises, or a hang past TIMEOUT, fails the test.
    """
    barrier = threading.Barrier(len(calls))
    results: list[Any] = [None] * len(calls)
    errors: list[BaseException] = []

    def run(i: int, call: Callable[[], T]) -> None:
        try:
            barrier.wait(TIMEOUT)
            results[i] = call()
        except BaseException as exc:  # reported to the test below
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(i, call), daemon=True) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(TIMEOUT)
    assert not any(t.is_alive() for t in threads), f"parallel requests still running after {TIMEOUT} s"
    if errors:
        raise errors[0]
    return results
