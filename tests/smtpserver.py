"""A tiny SMTP server for tests (stdlib ``socketserver``): it accepts every message and keeps it.

Enough of RFC 5321 for ``smtplib``: EHLO/HELO, AUTH PLAIN (checked against one user and
password when given), MAIL, RCPT, DATA with dot-unstuffing, RSET, NOOP, QUIT. No TLS.
"""

from __future__ import annotations

import base64
import email
import email.policy
import socketserver
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.message import EmailMessage
from typing import Any


@dataclass
class Received:
    sender: str
    recipients: list[str]
    message: EmailMessage


@dataclass
class Mailbox:
    login: tuple[str, str] | None = None
    messages: list[Received] = field(default_factory=list)
    auths: list[str] = field(default_factory=list)
    arrived: threading.Condition = field(default_factory=threading.Condition)

    def wait(self, count: int, timeout: float = 10) -> list[Received]:
        """The messages once at least ``count`` have arrived (or what there is after ``timeout``)."""
        with self.arrived:
            self.arrived.wait_for(lambda: len(self.messages) >= count, timeout)
            return list(self.messages)


class _Handler(socketserver.StreamRequestHandler):
    server: _Server

    def reply(self, line: str) -> None:
        self.wfile.write(line.encode("ascii") + b"\r\n")

    def handle(self) -> None:
        box = self.server.mailbox
        sender, recipients = "", []
        self.reply("220 localhost test SMTP")
        while True:
            raw = self.rfile.readline()
            if not raw:
                return
            line = raw.decode("utf-8", "replace").rstrip("\r\n")
            verb = line[:4].upper()
            if verb == "EHLO":
                self.reply("250-localhost")
                if box.login:
                    self.reply("250-AUTH PLAIN")
                self.reply("250 8BITMIME")
            elif verb == "HELO":
                self.reply("250 localhost")
            elif verb == "AUTH":
                parts = line.split()
                given = base64.b64decode(parts[2]).split(b"\0") if len(parts) > 2 else []
                user, password = (given[1].decode(), given[2].decode()) if len(given) == 3 else ("", "")
                box.auths.append(user)
                self.reply("235 ok" if box.login == (user, password) else "535 authentication failed")
            elif verb == "MAIL":
                sender, recipients = line.split(":", 1)[1].strip().split()[0].strip("<>"), []
                self.reply("250 ok")
            elif verb == "RCPT":
                recipients.append(line.split(":", 1)[1].strip().strip("<>"))
                self.reply("250 ok")
            elif verb == "DATA":
                self.reply("354 go ahead")
                lines = []
                while True:
                    data = self.rfile.readline()
                    if data in (b".\r\n", b".\n", b""):
                        break
                    lines.append(data[1:] if data.startswith(b"..") else data)
                message = email.message_from_bytes(b"".join(lines), policy=email.policy.default)
                with box.arrived:
                    box.messages.append(Received(sender, recipients, message))  # type: ignore[arg-type]
                    box.arrived.notify_all()
                self.reply("250 queued")
            elif verb in ("RSET", "NOOP"):
                self.reply("250 ok")
            elif verb == "QUIT":
                self.reply("221 bye")
                return
            else:
                self.reply("502 not implemented")


class _Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, mailbox: Mailbox) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.mailbox = mailbox


@contextmanager
def smtp_server(login: tuple[str, str] | None = None) -> Iterator[tuple[int, Mailbox]]:
    """A server on a free loopback port, in a thread: ``(port, mailbox)``."""
    box = Mailbox(login=login)
    server = _Server(box)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[1], box
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def smtp_config(port: int, **extra: Any) -> dict[str, Any]:
    """App settings for the test server (what ``SBD_SMTP_*`` would give)."""
    return {
        "SMTP_HOST": "127.0.0.1",
        "SMTP_PORT": port,
        "SMTP_FROM": "sbd-tool@example.go.jp",
        "SMTP_USER": None,
        "SMTP_PASSWORD": None,
        "SMTP_STARTTLS": False,
        "BASE_URL": "https://sbd.example.go.jp",
        **extra,
    }
