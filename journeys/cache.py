"""A short-TTL async cache that coalesces concurrent loads of the same key.

Two requests for the same account while its view is being built share one load (one set of
back-office calls). ``invalidate`` forgets a key *and* any load in flight for it, so a view
started before one of Baton's own writes is never stored after it.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Hashable
from dataclasses import dataclass
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


@dataclass
class _Entry(Generic[V]):
    value: V
    expires: float


class TtlCache(Generic[K, V]):
    def __init__(
        self,
        ttl_s: float,
        *,
        max_entries: int = 4096,
        keep: Callable[[V], bool] = lambda _: True,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._ttl = ttl_s
        self._max = max_entries
        self._keep = keep  # values failing it are shared with waiters but not stored
        self._clock = clock
        self._entries: dict[K, _Entry[V]] = {}
        self._inflight: dict[K, asyncio.Future[V]] = {}
        self._generation: dict[K, int] = {}

    def _fresh(self, key: K) -> _Entry[V] | None:
        entry = self._entries.get(key)
        return entry if entry and entry.expires > self._clock() else None

    def peek(self, key: K) -> V | None:
        entry = self._fresh(key)
        return entry.value if entry else None

    async def get(self, key: K, load: Callable[[], Awaitable[V]]) -> V:
        entry = self._fresh(key)
        if entry is not None:
            return entry.value
        future = self._inflight.get(key)
        if future is None:
            # The generation is taken now, not when the load starts running: an invalidation
            # in between must still keep this load's result out.
            generation = self._generation.get(key, 0)
            future = asyncio.ensure_future(self._load(key, load, generation))
            self._inflight[key] = future
        # Shielded: one caller giving up must not cancel the load the others wait for.
        return await asyncio.shield(future)

    def put(self, key: K, value: V) -> None:
        if self._ttl <= 0 or not self._keep(value):
            return
        if len(self._entries) >= self._max:
            self._evict()
        self._entries[key] = _Entry(value, self._clock() + self._ttl)

    def invalidate(self, key: K | None = None) -> None:
        """Forget ``key`` (every key when None), including a load still in flight."""
        keys = list(self._entries.keys() | self._inflight.keys()) if key is None else [key]
        for k in keys:
            self._entries.pop(k, None)
            self._inflight.pop(k, None)
            self._generation[k] = self._generation.get(k, 0) + 1

    async def _load(self, key: K, load: Callable[[], Awaitable[V]], generation: int) -> V:
        try:
            value = await load()
        finally:
            if self._generation.get(key, 0) == generation:
                self._inflight.pop(key, None)
        if self._generation.get(key, 0) == generation:
            self.put(key, value)
        return value

    def _evict(self) -> None:
        now = self._clock()
        for k in [k for k, e in self._entries.items() if e.expires <= now]:
            del self._entries[k]
        while len(self._entries) >= self._max:
            del self._entries[next(iter(self._entries))]  # oldest inserted first
