"""REST API versions: ``v62.0`` paths, and the release each version came with."""

from __future__ import annotations

from sandbox.salesforce.errors import not_found

# Versions 30.0 and older were retired in 2025; 68.0 is Winter '27, current on 2026-12-04.
OLDEST = 31
LATEST = 68
_SEASONS = ("Winter", "Spring", "Summer")
_WINTER_25 = 62  # the anchor: three releases a year, Winter starting a new year's label


async def parse_version(version: str) -> str:
    """The ``vNN.N`` path segment → ``NN.N``; an unknown version is a 404 like any unknown
    resource. (The parameter is named for the path segment it is bound to.)"""
    major, dot, minor = version.removeprefix("v").partition(".")
    known = version.startswith("v") and dot and minor == "0" and major.isdigit()
    if not known or not OLDEST <= int(major) <= LATEST:
        raise not_found()
    return f"{major}.0"


def version_list() -> list[dict[str, str]]:
    """``GET /services/data/``: every supported version, oldest first."""
    return [
        {"label": _label(major), "url": f"/services/data/v{major}.0", "version": f"{major}.0"}
        for major in range(OLDEST, LATEST + 1)
    ]


def _label(major: int) -> str:
    releases = major - _WINTER_25
    return f"{_SEASONS[releases % 3]} '{25 + releases // 3:02d}"
