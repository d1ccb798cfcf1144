"""Readiness: is each dependency Baton answers from reachable right now?

A probe is a small async call that returns a one-line detail or raises. Probes run
concurrently, each under its own deadline, so one hanging system cannot hold up the report.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Mapping

from pydantic import BaseModel, Field

from integrations import BackOffice

Probe = Callable[[], Awaitable[str]]
PROBE_TIMEOUT_S = 3.0


class CheckResult(BaseModel):
    ok: bool
    detail: str
    ms: float = Field(description="How long the probe took.")


class Readiness(BaseModel):
    ready: bool = Field(description="True when every check passed.")
    checks: dict[str, CheckResult]


async def _run(probe: Probe, timeout_s: float) -> CheckResult:
    started = time.perf_counter()
    try:
        async with asyncio.timeout(timeout_s):
            detail = await probe()
        ok = True
    except TimeoutError:
        ok, detail = False, f"no answer within {timeout_s:g} s"
    except Exception as exc:  # a probe's failure is the report, whatever its type
        ok, detail = False, f"{type(exc).__name__}: {exc}"
    return CheckResult(ok=ok, detail=detail, ms=round((time.perf_counter() - started) * 1000, 1))


async def readiness(probes: Mapping[str, Probe], timeout_s: float = PROBE_TIMEOUT_S) -> Readiness:
    names = list(probes)
    results = await asyncio.gather(*(_run(probes[n], timeout_s) for n in names))
    checks = dict(zip(names, results, strict=True))
    return Readiness(ready=all(r.ok for r in results), checks=checks)


def backoffice_probes(office: BackOffice) -> dict[str, Probe]:
    """One authenticated, cheap read per system (proves the URL, credentials and the API)."""

    async def salesforce() -> str:
        await office.salesforce.query("SELECT Id FROM User LIMIT 1")
        return _with_limits(office, "salesforce", "query ok")

    async def zendesk() -> str:
        groups = await office.zendesk.groups()
        return _with_limits(office, "zendesk", f"{len(groups)} groups")

    async def kyc() -> str:
        await office.kyc.transport.get("/v1/applications", params={"limit": 1})
        return "applications ok"

    async def pos() -> str:
        await office.pos.transport.get("/v1/terminal/readers", params={"limit": 1})
        return "readers ok"

    return {"salesforce": salesforce, "zendesk": zendesk, "kyc": kyc, "pos": pos}


def _with_limits(office: BackOffice, system: str, detail: str) -> str:
    limits = office.limits().get(system)
    if limits is None or limits.used is None or limits.limit is None:
        return detail
    return f"{detail}; API usage {limits.used}/{limits.limit}"
