"""docs/providers.md is the adapters' own tables, and every adapter has them."""

from __future__ import annotations

from pathlib import Path

from receiver.conformance import render
from tests.conftest import ADAPTERS

DOC = Path(__file__).resolve().parent.parent / "docs" / "providers.md"


def test_docs_providers_md_is_up_to_date() -> None:
    assert DOC.read_text() == render(ADAPTERS), (
        "docs/providers.md is stale: run `python -m receiver.conformance > docs/providers.md`"
    )


def test_every_adapter_states_its_tables_and_key() -> None:
    for slug, adapter in ADAPTERS.items():
        assert adapter.keyed_by, slug
        assert adapter.status_maps and all(adapter.status_maps.values()), slug
