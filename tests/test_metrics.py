"""/metrics through the real app: outcomes are counted as the HTTP answers say."""

from __future__ import annotations

from typing import Any

import psycopg
from prometheus_client.parser import text_string_to_metric_families
from starlette.testclient import TestClient

from tests.conftest import TOKEN
from tests.test_app import CDYNE_RECEIPT, FORM


def samples(client: TestClient) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    response = client.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    found = {}
    for family in text_string_to_metric_families(response.text):
        for sample in family.samples:
            found[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return found


def test_outcomes_batches_and_unknown_statuses_are_counted(
    client: TestClient, db: psycopg.Connection[Any]
) -> None:
    url = f"/callbacks/cdyne/{TOKEN}"
    assert client.post(url, content=CDYNE_RECEIPT, headers=FORM).status_code == 200
    assert client.post(url, content=CDYNE_RECEIPT, headers=FORM).status_code == 200  # retry
    assert client.post(url, content=b"nothing=here", headers=FORM).status_code == 200
    assert client.post("/callbacks/cdyne/wrong-token-0123456789", content=b"").status_code == 404
    smartswitch = f"/callbacks/smartswitch/{TOKEN}"
    assert (
        client.post(smartswitch, json={"message_id": "9", "message_state": "odd"}).status_code
        == 200
    )

    found = samples(client)

    def count(provider: str, outcome: str) -> float:
        labels = (("outcome", outcome), ("provider", provider))
        return found.get(("receiver_callbacks_total", labels), 0.0)

    # At the ack, every authenticated callback is simply stored; what it says is the
    # projector's to count.
    assert count("cdyne", "stored") == 3
    assert count("cdyne", "auth_failed") == 1

    def projected(provider: str, outcome: str) -> float:
        labels = (("outcome", outcome), ("provider", provider))
        return found.get(("receiver_projected_total", labels), 0.0)

    assert projected("cdyne", "projected") == 2
    assert projected("cdyne", "parse_error") == 1
    assert found[("receiver_projection_backlog", ())] == 0
    assert found[("receiver_unknown_status_total", (("provider", "smartswitch"),))] == 1
    assert found[("receiver_ack_seconds_count", ())] == 4
    assert found[("receiver_batch_size_count", ())] >= 1
    assert found[("receiver_spool_entries", ())] == 0
    assert found[("receiver_database_up", ())] == 1
    assert found[("receiver_alert_outbox_pending", ())] == 0
