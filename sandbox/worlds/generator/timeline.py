"""When each step of a journey ran, in days before the frozen now."""

from __future__ import annotations

from dataclasses import dataclass
from random import Random

from sandbox.worlds.generator.scenario import Scenario

# How long a completed step usually took, in days (low, high).
TYPICAL_DAYS: dict[str, tuple[float, float]] = {
    "intake": (2, 4.5),
    "kyc": (3, 8),
    "credit": (2, 6),
    "documents": (3, 8),
    "account_opening": (1, 2.5),
    "provisioning": (4, 9),
    "treasury_setup": (7, 13),
    "activation": (1, 3.5),
    "first_transaction": (1, 6),
}


@dataclass(frozen=True)
class StepWindow:
    """One step of one journey: done, or current (possibly blocked, possibly where it ended)."""

    step: str
    start: float  # days ago the step began
    end: float  # days ago it was completed, or its last activity while it is current
    done: bool
    blockers: frozenset[str] = frozenset()
    terminated: bool = False

    def at(self, fraction: float) -> float:
        """Days ago at ``fraction`` of the way from the step's start to its end."""
        return self.start - (self.start - self.end) * fraction

    def has(self, blocker: str) -> bool:
        return blocker in self.blockers

    @property
    def current(self) -> bool:
        return not self.done


def plan(scenario: Scenario, rng: Random) -> list[StepWindow]:
    """The journey's steps up to the current one, oldest first."""
    steps = scenario.steps
    windows: list[StepWindow] = []
    if scenario.step is None:
        done_before, cursor = steps, scenario.days
    else:
        done_before, cursor = steps[: steps.index(scenario.step)], scenario.days
        windows.append(
            StepWindow(
                scenario.step,
                start=scenario.days,
                end=scenario.idle,
                done=False,
                blockers=frozenset(scenario.blockers),
                terminated=scenario.status == "terminated",
            )
        )
    for step in reversed(done_before):
        took = round(rng.uniform(*TYPICAL_DAYS[step]), 2)
        windows.append(StepWindow(step, start=cursor + took, end=cursor, done=True))
        cursor += took
    return windows[::-1]
