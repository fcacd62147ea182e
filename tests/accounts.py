"""Accounts for tests: organisations and users written straight into the database, and sign-in.

Test accounts use a cheaper scrypt cost than production (the app is configured to match), so a
suite that signs in hundreds of times stays fast; the hashing code path is the same.
"""

from __future__ import annotations

import re
from functools import cache

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from werkzeug.security import generate_password_hash

from sbd_tool.storage.models import Organisation, User

PASSWORD = "correct horse battery"
TEST_HASH_METHOD = "scrypt:1024:8:1"


@cache
def password_hash(password: str = PASSWORD) -> str:
    return generate_password_hash(password, method=TEST_HASH_METHOD)


def organisation(app: Flask, name: str) -> int:
    with app.extensions["sbd"]["sessions"]() as session:
        found = session.scalar(select(Organisation).where(Organisation.name == name))
        if found is None:
            found = Organisation(name=name)
            session.add(found)
            session.commit()
        return found.id


def add_user(
    app: Flask, username: str, role: str = "officer", org: str | None = "テスト省", display_name: str | None = None
) -> int:
    org_id = organisation(app, org) if org else None
    with app.extensions["sbd"]["sessions"]() as session:
        user = User(
            username=username,
            display_name=display_name or f"{username} 職員",
            role=role,
            organisation_id=org_id,
            password_hash=password_hash(),
        )
        session.add(user)
        session.commit()
        return user.id


def csrf_token(page: bytes) -> str:
    match = re.search(rb'name="csrf_token" type="hidden" value="([^"]+)"', page) or re.search(
        rb'name="csrf_token" value="([^"]+)"', page
    )
    return match.group(1).decode() if match else ""


def login(client: FlaskClient, username: str, password: str = PASSWORD) -> None:
    response = client.post("/login", data={"username": username, "password": password})
    assert response.status_code == 302, response.data.decode()[:2000]
