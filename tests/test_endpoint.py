"""The callback endpoint's shortcut past routing gives the answers routing would."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import psycopg
import pytest
from starlette.testclient import TestClient

from receiver.app import create_app
from tests.conftest import TOKEN, make_settings
from tests.test_app import CDYNE_RECEIPT, FORM, count


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("POST", f"/callbacks/cdyne/{TOKEN}", 200),
        ("HEAD", f"/callbacks/cdyne/{TOKEN}", 200),
        ("PUT", f"/callbacks/cdyne/{TOKEN}", 405),  # not a method the route takes
        ("DELETE", f"/callbacks/cdyne/{TOKEN}", 405),
        ("POST", f"/callbacks/cdyne/{TOKEN}/", 200),  # as without the slash, never a redirect
        ("POST", f"/callbacks/cdyne/{TOKEN}/extra", 404),
        ("POST", f"/callbacks//{TOKEN}", 404),
        ("POST", "/callbacks/cdyne/", 404),
        ("POST", "/callbacks/cdyne", 404),  # tokens are set: no tokenless route
        ("POST", f"/callbacks/nope/{TOKEN}", 404),
        ("POST", "/callbacks/cdyne/wrong-token-0123456789", 404),
    ],
)
def test_answers_match_the_routes(
    client: TestClient, db: psycopg.Connection[Any], method: str, path: str, status: int
) -> None:
    response = client.request(
        method, path, content=CDYNE_RECEIPT, headers=FORM, follow_redirects=False
    )
    assert response.status_code == status, response.text
    assert "location" not in response.headers
    assert count(db, "callbacks") == (1 if (method, status) == ("POST", 200) else 0)
    if status == 405:
        assert set(response.headers["allow"].split(", ")) == {"GET", "POST", "HEAD"}


def test_a_mounted_app_is_served_through_routing(
    db: psycopg.Connection[Any], database_url: str, tmp_path: Path
) -> None:
    """Under a root path the shortcut steps aside; the routes still serve the callback."""
    app = create_app(make_settings(database_url, tmp_path / "spool"))
    with TestClient(app, root_path="/dlr") as mounted:
        response = mounted.post(f"/callbacks/cdyne/{TOKEN}", content=CDYNE_RECEIPT, headers=FORM)
    assert response.status_code == 200
    assert count(db, "callbacks") == 1


@pytest.mark.parametrize("path", ["/healthz/", "/api/messages/", "/nothing/here/", "/metrics//"])
def test_a_trailing_slash_is_never_a_redirect_built_from_host(
    client: TestClient, path: str
) -> None:
    plain = client.get(path.rstrip("/"), follow_redirects=False)
    slashed = client.get(path, headers={"host": "evil.example"}, follow_redirects=False)
    assert slashed.status_code == plain.status_code != 307
    assert "location" not in slashed.headers
