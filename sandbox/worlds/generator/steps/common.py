"""Helpers shared by the step writers."""

from __future__ import annotations

from sandbox.worlds.generator.journey import Line
from sandbox.worlds.generator.timeline import StepWindow

# Zendesk closes solved tickets automatically after this many days.
AUTO_CLOSE_DAYS = 28


def ticket_status(
    window: StepWindow,
    *,
    on_hold: bool = False,
    solved: bool | None = None,
    pending: bool | None = None,
) -> str:
    """A step ticket's status: solved (closed when old) once its work is over, pending while
    waiting on the client, on hold while waiting on a third party, open otherwise. ``solved``
    and ``pending`` default to the step's own state; steps with several tickets pass them."""
    solved = window.done or window.terminated if solved is None else solved
    pending = window.current and window.has("waiting_on_client") if pending is None else pending
    if solved:
        return "closed" if window.end > AUTO_CLOSE_DAYS else "solved"
    if pending and on_hold:
        raise ValueError("one ticket cannot both wait on the client and be on hold")
    if pending:
        return "pending"
    return "hold" if on_hold else "open"


def money(amount: int) -> str:
    return f"${amount:,.0f}"


def require_one(window: StepWindow, chosen: list[str], what: str) -> None:
    """Blockers that need contradictory evidence cannot be combined in one step."""
    if len(chosen) > 1:
        raise ValueError(f"{window.step}: blockers {chosen} each need a different {what}")


def thread_for(window: StepWindow, threads: dict[str, list[Line]]) -> list[Line]:
    """The comments after a ticket's opening: the step's outcome once it is over, else one
    passage per blocker (``in_progress`` when there is none)."""
    if window.done:
        return threads["done"]
    if window.terminated:
        return threads["terminated"]
    lines = [line for blocker in sorted(window.blockers) for line in threads.get(blocker, ())]
    return lines or threads["in_progress"]
