"""Provider adapters, by URL slug."""

from __future__ import annotations

from receiver.providers.base import Adapter
from receiver.providers.cdyne import CdyneAdapter
from receiver.providers.dynmark import DynmarkAdapter
from receiver.providers.smartswitch import SmartswitchAdapter
from receiver.providers.smpp import SmppAdapter

__all__ = ["ADAPTERS", "Adapter"]

ADAPTERS: dict[str, Adapter] = {
    adapter.slug: adapter
    for adapter in (DynmarkAdapter(), CdyneAdapter(), SmartswitchAdapter(), SmppAdapter())
}
