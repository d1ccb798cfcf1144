"""The view cache: TTL, coalescing of concurrent loads, invalidation racing a load."""

from __future__ import annotations

import asyncio
import contextlib

from journeys.cache import TtlCache


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


async def test_a_value_is_served_until_its_ttl_passes():
    clock, loads = Clock(), []
    cache: TtlCache[str, int] = TtlCache(30, clock=clock)

    async def load() -> int:
        loads.append(1)
        return len(loads)

    assert await cache.get("a", load) == 1
    clock.now = 29
    assert await cache.get("a", load) == 1
    clock.now = 31
    assert await cache.get("a", load) == 2


async def test_concurrent_gets_share_one_load():
    cache: TtlCache[str, int] = TtlCache(30)
    release, loads = asyncio.Event(), []

    async def load() -> int:
        loads.append(1)
        await release.wait()
        return 7

    waiters = [asyncio.create_task(cache.get("a", load)) for _ in range(5)]
    await asyncio.sleep(0)
    release.set()
    assert await asyncio.gather(*waiters) == [7] * 5
    assert len(loads) == 1


async def test_one_waiter_giving_up_does_not_cancel_the_others():
    cache: TtlCache[str, int] = TtlCache(30)
    release = asyncio.Event()

    async def load() -> int:
        await release.wait()
        return 7

    quitter = asyncio.create_task(cache.get("a", load))
    stayer = asyncio.create_task(cache.get("a", load))
    await asyncio.sleep(0)
    quitter.cancel()
    release.set()
    assert await stayer == 7


async def test_invalidation_during_a_load_keeps_its_stale_result_out():
    cache: TtlCache[str, str] = TtlCache(30)
    release = asyncio.Event()

    async def before_the_write() -> str:
        await release.wait()
        return "stale"

    async def after_the_write() -> str:
        return "fresh"

    first = asyncio.create_task(cache.get("a", before_the_write))
    await asyncio.sleep(0)
    cache.invalidate("a")  # Baton wrote to a system while the first view was being built
    assert await cache.get("a", after_the_write) == "fresh"
    release.set()
    assert await first == "stale"  # its caller still gets an answer…
    assert cache.peek("a") == "fresh"  # …but it is not what the cache keeps


async def test_values_refused_by_keep_are_shared_but_not_stored():
    cache: TtlCache[str, str] = TtlCache(30, keep=lambda v: v != "partial")
    loads = []

    async def load() -> str:
        loads.append(1)
        return "partial"

    await cache.get("a", load)
    await cache.get("a", load)
    assert len(loads) == 2


async def test_a_failed_load_is_not_cached_and_can_be_retried():
    cache: TtlCache[str, int] = TtlCache(30)
    attempts = []

    async def load() -> int:
        attempts.append(1)
        if len(attempts) == 1:
            raise RuntimeError("down")
        return 1

    with contextlib.suppress(RuntimeError):
        await cache.get("a", load)
    assert await cache.get("a", load) == 1
