"""The web console in a real browser: Debian's chromium driven by Playwright, against a real
receiver (uvicorn on a port) and the test Postgres.

Data gets in the way production data does, through callback URLs; the pages are then checked
against the stored rows. Screenshots go to $RECEIVER_SCREENSHOTS (default build/screenshots);
with RECEIVER_DOCS_SCREENSHOT=1 the overview is also written to docs/console-overview.png.
"""

from __future__ import annotations

import http.server
import os
import re
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
import psycopg
import pytest
import uvicorn
from playwright.sync_api import Browser, BrowserContext, Page, Playwright, sync_playwright
from starlette.testclient import TestClient

from receiver.app import create_app
from receiver.config import AlertSettings, ConfigError, Settings, SigningSecrets
from receiver.console.auth import SessionSigner
from tests.conftest import TABLES, TOKEN, make_settings, rows
from tests.processes import free_port, wait_for
from tests.test_app import CDYNE_RECEIPT, DYNMARK_DELIVERED, FORM

ROOT = Path(__file__).resolve().parent.parent
# Read at import: conftest clears RECEIVER_* variables around each test.
SCREENSHOTS = Path(os.environ.get("RECEIVER_SCREENSHOTS") or ROOT / "build" / "screenshots")
DOCS_SCREENSHOT = os.environ.get("RECEIVER_DOCS_SCREENSHOT") == "1"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
IN_CI = bool(os.environ.get("CI"))

API_TOKEN = "console-api-token-0123456789abcdef"
TWILIO_AUTH_TOKEN = "twilio-auth-token-for-console-tests"
WRONG_TOKEN = "wrong-url-token-0123456789"
#: The part of the alert target's URL that is a credential (as in a Slack webhook URL).
SINK_SECRET = "T00000000/B00000000/sinksecretpath42"
DELIVERED_ID = "f880e00b-3a14-484c-80e7-ca6aa29a2f7a"  # in CDYNE_RECEIPT
DELIVERED_REF = "order-42"
DELIVERED_TO = "17572373369"
FAILED_ID = "console-undelivered-0001"
BAD_JSON = b'{"message_id": "1", "message_state":'
# The CDYNE receipt (sent: delivered to the carrier), then the handset's receipt for it.
SENT_RECEIPT = CDYNE_RECEIPT.replace(b"ReferenceID=", b"ReferenceID=" + DELIVERED_REF.encode())
DELIVERED_RECEIPT = SENT_RECEIPT.replace(
    b"date:1209281334 stat:DELIVERED TO CARRIER err:003 text:&Code=003",
    b"date:1209281336 stat:DELIVRD err:000 text:&Code=000",
)


def undelivered(message_id: str, code: str = "005") -> bytes:
    # CDYNE delivery-receipt postback fields (wiki.cdyne.com SMS_Delivery_Receipt_Postback).
    return (
        f"DeliveryReceipt=1&MessageID={message_id}&ReferenceID=order-7&FromPhoneNumber=74121"
        f"&ToPhoneNumber=17572373370&DeliveryReceiptMessage=id:{message_id} sub:001 dlvrd:000 "
        f"submit date:2306132307 done date:2306132309 stat:UNDELIV err:{code} text:&Code={code}"
    ).encode()


# --- a live receiver, an alert target that always fails, a browser ---------------------------


class FailingSink:
    """An alert target answering 500 to everything, so deliveries retry and are given up."""

    def __init__(self) -> None:
        self.hits = 0
        sink = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                self.rfile.read(int(self.headers.get("content-length") or 0))
                sink.hits += 1
                self.send_response(500)
                self.send_header("content-length", "4")
                self.end_headers()
                self.wfile.write(b"down")

            def log_message(self, *args: Any) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/services/{SINK_SECRET}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()


class LiveReceiver:
    def __init__(self, settings: Settings) -> None:
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.app = create_app(settings)
        config = uvicorn.Config(
            self.app, host="127.0.0.1", port=self.port, log_level="warning", lifespan="on"
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.thread.start()
        wait_for(lambda: self.server.started, timeout=30)
        self.http = httpx.Client(base_url=self.base_url, timeout=10)

    def callback(
        self, provider: str, body: bytes, headers: dict[str, str], token: str = TOKEN
    ) -> int:
        return self.http.post(
            f"/callbacks/{provider}/{token}", content=body, headers=headers
        ).status_code

    def stop(self) -> None:
        self.http.close()
        self.server.should_exit = True
        self.thread.join(timeout=30)


def projected(conn: psycopg.Connection[Any]) -> bool:
    return not rows(conn, "SELECT 1 FROM projection_queue LIMIT 1")


@pytest.fixture(scope="module")
def conn(database_url: str) -> Iterator[psycopg.Connection[Any]]:
    with psycopg.connect(database_url, autocommit=True) as connection:
        connection.execute(f"TRUNCATE {', '.join(TABLES)}")
        yield connection


@pytest.fixture(scope="module")
def receiver(
    conn: psycopg.Connection[Any], database_url: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LiveReceiver]:
    """A receiver with the console on, fed through its callback URLs."""
    sink = FailingSink()
    settings = make_settings(
        database_url,
        tmp_path_factory.mktemp("console") / "spool",
        api_token=API_TOKEN,
        console=True,
        signing=SigningSecrets(twilio_auth_tokens=(TWILIO_AUTH_TOKEN,)),
        alerts=AlertSettings(
            enabled=True,
            urls=(sink.url,),
            secret=b"console-alert-secret-0123456789",
            backoff_max=0.2,
            give_up=1.0,
            evaluate_interval=3600,
        ),
    )
    live = LiveReceiver(settings)
    try:
        assert live.callback("cdyne", SENT_RECEIPT, FORM) == 200
        assert live.callback("cdyne", DELIVERED_RECEIPT, FORM) == 200
        assert live.callback("cdyne", undelivered(FAILED_ID), FORM) == 200
        assert live.http.get(f"/callbacks/dynmark/{TOKEN}?{DYNMARK_DELIVERED}").status_code == 200
        json_headers = {"content-type": "application/json"}
        assert live.callback("smartswitch", BAD_JSON, json_headers) == 200
        # Refusals: a wrong URL token (404) and a Twilio callback without its signature (401).
        assert live.callback("cdyne", CDYNE_RECEIPT, FORM, token=WRONG_TOKEN) == 404
        assert live.callback("twilio", b"MessageSid=SM1&MessageStatus=delivered", FORM) == 401
        wait_for(lambda: projected(conn))
        wait_for(lambda: rows(conn, "SELECT 1 FROM alert_deliveries WHERE state = 'failed'"))
        yield live
    finally:
        live.stop()
        sink.close()


@pytest.fixture(scope="module")
def playwright() -> Iterator[Playwright]:
    if not Path(CHROMIUM).exists():
        message = f"{CHROMIUM} is missing: apt-get install -y chromium"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="module")
def browser(playwright: Playwright) -> Iterator[Browser]:
    launched = playwright.chromium.launch(executable_path=CHROMIUM, headless=True)
    yield launched
    launched.close()


@pytest.fixture
def context(browser: Browser, receiver: LiveReceiver) -> Iterator[BrowserContext]:
    created = browser.new_context(
        base_url=receiver.base_url, viewport={"width": 1400, "height": 900}
    )
    yield created
    created.close()


@pytest.fixture
def page(context: BrowserContext) -> Iterator[Page]:
    """A logged-in page; fails the test on any CSP violation or script error."""
    opened = context.new_page()
    problems: list[str] = []

    def on_console(message: Any) -> None:
        # A 404 page is logged as a failed load; CSP violations and script errors are not that.
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            problems.append(message.text)

    opened.on("console", on_console)
    opened.on("pageerror", lambda exc: problems.append(str(exc)))
    login(opened, API_TOKEN)
    yield opened
    assert not problems, problems


def login(page: Page, token: str) -> None:
    page.goto("/console/overview")
    page.fill("#token", token)
    page.click("button[type=submit]")
    page.wait_for_load_state()


def screenshot(page: Page, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    assert path.stat().st_size > 0
    return path


def assert_no_token(page: Page) -> None:
    html = page.content()
    for secret in (API_TOKEN, TOKEN, WRONG_TOKEN, TWILIO_AUTH_TOKEN, SINK_SECRET):
        assert secret not in html, f"{secret!r} on {page.url}"
    for cookie in page.context.cookies():
        assert API_TOKEN not in cookie["value"]
    assert page.evaluate("document.cookie") == ""  # the session cookie is HttpOnly


# --- login ------------------------------------------------------------------------------------


def test_login_is_required_and_a_wrong_token_is_refused(context: BrowserContext) -> None:
    page = context.new_page()
    page.goto("/console/recent?errors=1")
    assert re.search(r"/console/login\?next=/console/recent", page.url)
    page.fill("#token", "not-the-token")
    with page.expect_response(lambda r: r.url.endswith("/console/login")) as refused:
        page.click("button[type=submit]")
    assert refused.value.status == 401
    assert "not the API token" in page.inner_text("#login-error")
    assert context.cookies() == []
    screenshot(page, "login-refused")

    page.fill("#token", API_TOKEN)
    page.click("button[type=submit]")
    page.wait_for_url("**/console/recent?errors=1")
    [cookie] = context.cookies()
    assert cookie["httpOnly"] and cookie["sameSite"] == "Strict"
    assert cookie["path"] == "/console"
    assert_no_token(page)

    page.click("#logout")
    page.wait_for_url("**/console/login")
    assert context.cookies() == []
    page.goto("/console/overview")
    assert "/console/login" in page.url


def test_bearer_token_works_and_anything_else_is_refused(receiver: LiveReceiver) -> None:
    http = receiver.http
    assert http.get("/console/overview").status_code == 303
    assert http.get("/console/overview").headers["location"].startswith("/console/login?next=")
    wrong = http.get("/console/overview", headers={"Authorization": "Bearer nope"})
    assert wrong.status_code == 303
    ok = http.get("/console/overview", headers={"Authorization": f"Bearer {API_TOKEN}"})
    assert ok.status_code == 200 and "cdyne" in ok.text
    assert http.get("/console/recent/rows").status_code == 401
    forged = http.post(
        "/console/login", data={"token": API_TOKEN}, headers={"origin": "https://evil.example"}
    )
    assert forged.status_code == 403 and "set-cookie" not in forged.headers
    # A cookie that is not one we signed is no session.
    http.cookies.set("receiver_console", "v1.9999999999.abc.def", path="/console")
    try:
        assert http.get("/console/overview").status_code == 303
    finally:
        http.cookies.clear()


def test_state_changing_posts_need_the_csrf_token_and_our_origin(
    receiver: LiveReceiver, conn: psycopg.Connection[Any]
) -> None:
    origin = {"origin": receiver.base_url}
    with httpx.Client(base_url=receiver.base_url) as http:
        response = http.post("/console/login", data={"token": API_TOKEN}, headers=origin)
        assert response.status_code == 303 and "receiver_console" in http.cookies
        page = http.get(f"/console/messages/cdyne/id:{DELIVERED_ID}").text
        csrf = re.search(r'name="csrf" value="([^"]+)"', page)
        assert csrf is not None
        form = {"provider": "cdyne", "key": f"id:{DELIVERED_ID}"}
        assert http.post("/console/reparse", data=form, headers=origin).status_code == 403
        bad_origin = {"origin": "https://evil.example"}
        forged = http.post("/console/reparse", data={**form, "csrf": csrf[1]}, headers=bad_origin)
        assert forged.status_code == 403
        ok = http.post("/console/reparse", data={**form, "csrf": csrf[1]}, headers=origin)
        assert ok.status_code == 303 and "queued=2" in ok.headers["location"]
    wait_for(lambda: projected(conn))


def test_every_console_response_has_the_security_headers(receiver: LiveReceiver) -> None:
    auth = {"Authorization": f"Bearer {API_TOKEN}"}
    for path, headers in [
        ("/console", {}),
        ("/console/login", {}),
        ("/console/overview", {}),
        ("/console/overview", auth),
        ("/console/nope", auth),
        ("/console/static/console.css", {}),
        ("/console/recent/rows", {}),
    ]:
        response = receiver.http.get(path, headers=headers)
        csp = response.headers["content-security-policy"]
        assert "script-src 'self'" in csp and "style-src 'self'" in csp, path
        assert "frame-ancestors 'none'" in csp and "unsafe-inline" not in csp, path
        assert response.headers["x-content-type-options"] == "nosniff", path
        assert response.headers["referrer-policy"] == "same-origin", path


# --- pages ------------------------------------------------------------------------------------


def test_overview_shows_volume_rates_errors_and_backlogs_from_postgres(
    page: Page, conn: psycopg.Connection[Any]
) -> None:
    counts = {
        r["provider"]: r["n"]
        for r in rows(
            conn,
            "SELECT provider, count(*) AS n FROM delivery_events"
            " WHERE received_at > now() - interval '1 hour' GROUP BY provider",
        )
    }
    assert counts == {"cdyne": 3, "dynmark": 1}
    page.goto("/console/overview")
    for provider, n in counts.items():
        card = page.locator(f"#provider-{provider}")
        for window in ("24 h", "7 d"):
            section = card.locator(f'[data-window="{window}"]')
            assert section.locator(".volume").inner_text() == str(n)
            assert section.locator("svg.columns rect.column").count() == (
                24 if window == "24 h" else 7
            )
    cdyne = page.locator('#provider-cdyne [data-window="24 h"]')
    # Sent, delivered and undelivered: two final, one delivered.
    assert cdyne.locator(".rate").inner_text() == "50.0%"
    assert cdyne.locator("svg.stacked rect.s-delivered").count() == 1
    assert cdyne.locator("svg.stacked rect.s-undelivered").count() == 1
    assert "005" in cdyne.locator("svg.hbars").inner_html()
    assert page.locator('#provider-dynmark [data-window="7 d"] .rate').inner_text() == "100.0%"
    outbox = rows(conn, "SELECT count(*) AS n FROM alert_deliveries WHERE state = 'pending'")[0][
        "n"
    ]
    assert page.locator("#backlog-outbox .tile-value").inner_text() == str(outbox)
    assert "1 given up" in page.locator("#backlog-outbox").inner_text()
    assert page.locator("#backlog-projection .tile-value").inner_text() == "0"
    assert page.locator("#backlog-spool .tile-value").inner_text() == "0"
    assert page.locator("#backlog-refused .tile-value").inner_text() == "2"
    shot = screenshot(page, "overview")
    if DOCS_SCREENSHOT:
        shutil.copyfile(shot, ROOT / "docs" / "console-overview.png")
    assert_no_token(page)


@pytest.mark.parametrize(
    "query",
    [DELIVERED_ID, DELIVERED_REF, DELIVERED_TO, "+1 (757) 237-3369"],
    ids=["id", "ref", "recipient", "formatted"],
)
def test_search_finds_the_message_posted_through_the_callback_url(page: Page, query: str) -> None:
    page.goto("/console/search")
    page.fill("#q", query)
    page.click("form.search button")
    page.wait_for_url("**/console/search?q=*")
    results = page.locator("#results tbody tr")
    assert results.count() == 1
    assert DELIVERED_ID in results.inner_text() and "delivered" in results.inner_text()
    if query == DELIVERED_ID:
        screenshot(page, "search")
    results.locator("a").click()
    page.wait_for_url(f"**/console/messages/cdyne/{quote(f'id:{DELIVERED_ID}', safe=':')}")
    assert DELIVERED_ID in page.inner_text("h1")


def test_search_for_nothing_known_finds_nothing(page: Page) -> None:
    page.goto("/console/search?q=no-such-message")
    assert page.inner_text("#result-count").startswith("0 messages")


def test_timeline_shows_the_raw_callback_and_reparse_reads_it_again(
    page: Page, conn: psycopg.Connection[Any]
) -> None:
    [event, _] = rows(
        conn,
        "SELECT callback_id FROM delivery_events WHERE message_id = %s ORDER BY id",
        DELIVERED_ID,
    )
    # What an older adapter might have left: an error the current one does not find.
    conn.execute(
        "UPDATE callbacks SET parse_error = 'stale error' WHERE id = %s", (event["callback_id"],)
    )
    page.goto(f"/console/messages/cdyne/id:{DELIVERED_ID}")
    summary = page.inner_text("#message-summary")
    assert "delivered" in summary and DELIVERED_REF in summary and DELIVERED_TO in summary
    timeline = page.locator("#timeline .event")
    assert timeline.count() == 2
    assert "sent" in timeline.nth(0).inner_text() and "delivered" in timeline.nth(1).inner_text()
    first = timeline.nth(0)
    first.locator("details.raw summary").click()
    raw = first.locator("details.raw")
    assert "DeliveryReceipt=1" in raw.locator("pre.body").inner_text()
    assert "content-type" in raw.locator("table.headers").inner_text()
    assert "stale error" in raw.locator(".parse-error-text").inner_text()
    screenshot(page, "timeline")

    page.click("#reparse")
    page.wait_for_url("**queued=2")
    assert "2 callbacks queued" in page.inner_text("#reparse-flash")
    wait_for(lambda: projected(conn))
    page.reload()
    assert page.locator("#timeline .parse-error-text").count() == 0
    [callback] = rows(conn, "SELECT parse_error FROM callbacks WHERE id = %s", event["callback_id"])
    assert callback["parse_error"] is None


def test_callback_page_shows_a_parse_error(page: Page, conn: psycopg.Connection[Any]) -> None:
    [bad] = rows(conn, "SELECT id, parse_error FROM callbacks WHERE provider = 'smartswitch'")
    page.goto(f"/console/callbacks/{bad['id']}")
    assert bad["parse_error"] in page.inner_text(".parse-error-text")
    assert page.inner_text("pre.body") == BAD_JSON.decode()
    page.click("#reparse")
    page.wait_for_url("**queued=1")
    wait_for(lambda: projected(conn))


def test_recent_callbacks_highlight_parse_errors_and_refusals_and_stay_live(
    page: Page, receiver: LiveReceiver, conn: psycopg.Connection[Any]
) -> None:
    page.goto("/console/recent")
    errors = page.locator("tr.row-parse-error")
    assert errors.count() == 1
    assert "malformed JSON" in errors.inner_text() and "smartswitch" in errors.inner_text()
    refused = page.locator("tr.row-auth-failure")
    assert refused.count() == 2
    text = refused.all_inner_texts()
    assert any("cdyne" in t and "wrong URL token" in t and "404" in t for t in text)
    assert any("twilio" in t and "bad signature" in t and "401" in t for t in text)
    stored = rows(conn, "SELECT count(*) AS n FROM callbacks")[0]["n"]
    assert page.locator("tr.callback").count() == stored
    screenshot(page, "recent")

    # Live: a callback that arrives now shows up without a reload.
    assert receiver.callback("cdyne", undelivered("console-live-0001", "006"), FORM) == 200
    page.wait_for_selector("tr.callback >> text=console-live-0001", timeout=15_000)
    assert "updated" in page.inner_text("#poll-stamp")
    assert_no_token(page)

    page.goto("/console/recent?errors=1")
    assert page.locator("tr.callback").count() == page.locator("tr.row-parse-error").count() == 1
    assert page.locator("tr.row-auth-failure").count() == 2


def test_alerts_page_shows_the_outbox_attempts_and_give_ups(
    page: Page, conn: psycopg.Connection[Any]
) -> None:
    [failed] = rows(
        conn,
        "SELECT d.attempts, d.last_error, a.id FROM alert_deliveries d JOIN alerts a"
        " ON a.id = d.alert_id WHERE a.payload->>'message_id' = %s",
        FAILED_ID,
    )
    page.goto("/console/alerts")
    alert = page.locator(f'article.alert[data-alert="{failed["id"]}"]')
    assert "message.failed" in alert.inner_text()
    delivery = alert.locator("tr.delivery")
    assert "gave up" in delivery.inner_text()
    assert delivery.locator(".attempts").inner_text() == str(failed["attempts"])
    assert failed["attempts"] >= 1
    assert "HTTP 500" in delivery.locator(".last-error").inner_text()
    assert "127.0.0.1" in delivery.inner_text()
    screenshot(page, "alerts")
    alert.locator("a", has_text=FAILED_ID).click()
    page.wait_for_url(f"**/console/messages/cdyne/id:{FAILED_ID}")
    assert "undelivered" in page.inner_text("#message-summary")
    page.goto("/console/alerts?state=failed")
    assert page.locator(f'article.alert[data-alert="{failed["id"]}"]').count() == 1
    assert_no_token(page)


def test_no_page_leaks_a_token(page: Page, conn: psycopg.Connection[Any]) -> None:
    [callback] = rows(conn, "SELECT id FROM callbacks WHERE provider = 'dynmark'")
    [message] = rows(conn, "SELECT message_key FROM messages WHERE provider = 'dynmark'")
    for path in [
        "/console/overview",
        f"/console/search?q={DELIVERED_REF}",
        f"/console/messages/dynmark/{quote(message['message_key'], safe=':')}",
        f"/console/callbacks/{callback['id']}",
        "/console/recent",
        "/console/recent/rows",
        "/console/alerts",
        "/console/no-such-page",
    ]:
        page.goto(path)
        assert_no_token(page)
    page.goto("/console/login")
    assert_no_token(page)


# --- configuration ----------------------------------------------------------------------------


def test_the_console_is_off_unless_enabled(database_url: str, tmp_path: Path) -> None:
    settings = make_settings(database_url, tmp_path / "spool", api_token=API_TOKEN)
    with TestClient(create_app(settings)) as client:
        assert client.get("/console/overview").status_code == 404
        assert client.get("/console/login").status_code == 404


def test_the_console_needs_the_api_token() -> None:
    with pytest.raises(ConfigError, match="RECEIVER_CONSOLE needs RECEIVER_API_TOKEN"):
        Settings.from_env({"RECEIVER_CONSOLE": "1"})
    settings = Settings.from_env({"RECEIVER_CONSOLE": "yes", "RECEIVER_API_TOKEN": API_TOKEN})
    assert settings.console
    assert not Settings.from_env({}).console


# --- sessions ---------------------------------------------------------------------------------


def test_a_session_is_signed_expires_and_is_bound_to_the_token() -> None:
    signer = SessionSigner(API_TOKEN, lifetime=60)
    cookie = signer.issue(now=1_000_000)
    session = signer.verify(cookie, now=1_000_030)
    assert session is not None and session.kind == "cookie" and session.csrf
    assert API_TOKEN not in cookie
    assert signer.verify(cookie, now=1_000_061) is None  # expired
    assert SessionSigner(API_TOKEN + "x").verify(cookie, now=1_000_030) is None  # token changed
    version, expires, nonce, mac = cookie.split(".")
    assert signer.verify(f"{version}.{int(expires) + 3600}.{nonce}.{mac}", now=1_000_030) is None
    for junk in (
        "",
        "v1",
        "v1.1.2.3.4",
        "v1.\u00b2.x.y",
        "v1.1.x.\u00e9",
        "\u00e9.\u00e9.\u00e9.\u00e9",
    ):
        assert signer.verify(junk, now=1_000_030) is None
    # Another session has another CSRF token.
    other = signer.verify(signer.issue(now=1_000_000), now=1_000_030)
    assert other is not None and other.csrf != session.csrf


def test_login_redirects_only_within_the_console(receiver: LiveReceiver) -> None:
    origin = {"origin": receiver.base_url}
    for target, expected in [
        ("/console/alerts?state=failed", "/console/alerts?state=failed"),
        ("//evil.example/console/", "/console/overview"),
        ("https://evil.example/", "/console/overview"),
        ("/console/\\evil", "/console/overview"),
        ("/consolex", "/console/overview"),
    ]:
        with httpx.Client(base_url=receiver.base_url) as http:
            form = {"token": API_TOKEN, "next": target}
            response = http.post("/console/login", data=form, headers=origin)
            assert response.status_code == 303
            assert response.headers["location"] == expected, target


def test_odd_cookies_and_paths_are_refused_not_errors(receiver: LiveReceiver) -> None:
    http = receiver.http
    for cookie in ("\u00e9\u00e9", "v1.1.2", "a.b.c.d"):
        response = http.get(
            "/console/overview", headers={"cookie": f"receiver_console={cookie}".encode()}
        )
        assert response.status_code == 303
    auth = {"Authorization": f"Bearer {API_TOKEN}"}
    for path in ("/console/callbacks/not-a-uuid", "/console/messages/cdyne/id:nope"):
        assert http.get(path, headers=auth).status_code == 404
    assert http.get("/console/search?q=%00", headers=auth).status_code == 200
    big = http.post("/console/login", content=b"token=" + b"x" * 20_000, headers=FORM)
    assert big.status_code == 413


def test_an_event_naming_no_message_links_to_no_message(
    receiver: LiveReceiver, conn: psycopg.Connection[Any]
) -> None:
    """An SMPP receipt without its id: an event with a key of its own, but no message page."""
    text = {"content-type": "text/plain"}
    assert receiver.callback("smpp", b"stat:DELIVRD err:000", text) == 200
    wait_for(lambda: projected(conn))
    [event] = rows(
        conn, "SELECT callback_id, message_key FROM delivery_events WHERE provider = 'smpp'"
    )
    assert event["message_key"].startswith("keyless:")
    auth = {"Authorization": f"Bearer {API_TOKEN}"}
    page = receiver.http.get(f"/console/callbacks/{event['callback_id']}", headers=auth)
    assert page.status_code == 200 and "delivered" in page.text
    assert "keyless" not in page.text and "/messages/smpp/" not in page.text
    recent = receiver.http.get("/console/recent/rows", headers=auth)
    assert recent.status_code == 200 and str(event["callback_id"]) in recent.text
    assert "keyless" not in recent.text and "/messages/smpp/" not in recent.text
    found = receiver.http.get("/console/search", params={"q": event["message_key"]}, headers=auth)
    assert found.status_code == 200 and "/messages/smpp/" not in found.text
