"""A cost model: receiver hosts and Postgres cores for N callbacks per second.

From measured CPU microseconds per callback (ingest plus projection: the receiver's process
tree and Postgres), scaled linearly:

    receiver cores = N x receiver us / 1e6 / utilisation;  hosts = ceil(cores / host cores)
    Postgres cores = N x Postgres us / 1e6 / utilisation

plus the write-ahead log and the table growth per callback, which size Postgres' disk.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

__all__ = ["RATES", "CostInputs", "CostRow", "cost_table", "print_cost_model"]

RATES = (1_000, 10_000, 50_000, 100_000)
HOST_CORES = 2
UTILISATION = 0.7


@dataclass(frozen=True, slots=True)
class CostInputs:
    receiver_us: float  # receiver process CPU per callback, ingest plus projection
    postgres_us: float  # Postgres CPU per callback
    wal_bytes: float | None  # WAL written per callback
    storage_bytes: float | None  # table and index growth per callback
    source: str  # which run the figures come from


@dataclass(frozen=True, slots=True)
class CostRow:
    rate: int
    receiver_cores: float  # busy cores
    receiver_hosts: int
    postgres_cores: float  # busy cores
    postgres_provisioned: int  # cores at the target utilisation
    wal_mb_s: float | None
    storage_gb_day: float | None


def cost_table(
    inputs: CostInputs,
    rates: Sequence[int] = RATES,
    host_cores: int = HOST_CORES,
    utilisation: float = UTILISATION,
) -> list[CostRow]:
    rows = []
    for rate in rates:
        receiver = rate * inputs.receiver_us / 1e6
        postgres = rate * inputs.postgres_us / 1e6
        rows.append(
            CostRow(
                rate=rate,
                receiver_cores=receiver,
                # At least two hosts: one is not a service (a deploy or a crash stops it).
                receiver_hosts=max(2, math.ceil(receiver / utilisation / host_cores)),
                postgres_cores=postgres,
                postgres_provisioned=max(1, math.ceil(postgres / utilisation)),
                wal_mb_s=None if inputs.wal_bytes is None else rate * inputs.wal_bytes / 1e6,
                storage_gb_day=(
                    None
                    if inputs.storage_bytes is None
                    else rate * inputs.storage_bytes * 86_400 / 1e9
                ),
            )
        )
    return rows


def print_cost_model(inputs: CostInputs) -> None:
    print(
        f"\nCost model: from {inputs.source}; receiver {inputs.receiver_us:.0f} us and Postgres "
        f"{inputs.postgres_us:.0f} us of CPU per callback"
        + (f", {inputs.wal_bytes:.0f} B of WAL" if inputs.wal_bytes is not None else "")
        + (f", {inputs.storage_bytes:.0f} B stored" if inputs.storage_bytes is not None else "")
    )
    print(
        f"  {HOST_CORES}-core receiver hosts and Postgres cores at {UTILISATION:.0%} utilisation, "
        "CPU scaling linearly with the rate"
    )
    header = (
        f"{'callbacks/s':>11} {'rcv cores':>9} {'rcv hosts':>9} {'pg cores':>8} "
        f"{'pg cores @' + format(UTILISATION, '.0%'):>13} {'WAL MB/s':>8} {'stored GB/day':>13}"
    )
    print(header)
    print("-" * len(header))
    for row in cost_table(inputs):
        wal = "-" if row.wal_mb_s is None else f"{row.wal_mb_s:.1f}"
        stored = "-" if row.storage_gb_day is None else f"{row.storage_gb_day:.0f}"
        print(
            f"{row.rate:>11,} {row.receiver_cores:>9.1f} {row.receiver_hosts:>9} "
            f"{row.postgres_cores:>8.1f} {row.postgres_provisioned:>13} {wal:>8} {stored:>13}"
        )
