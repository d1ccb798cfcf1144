"""One writer per playbook step: the records proving the step done, in progress or blocked.

Each module has ``write(journey, window)`` and ``BLOCKERS``, the blocker types whose evidence it
can produce; a scenario asking for anything else is an error, so the manifest never claims
evidence the world lacks.
"""

from __future__ import annotations

from collections.abc import Callable
from types import ModuleType

from sandbox.worlds.generator.journey import Journey
from sandbox.worlds.generator.steps import (
    account_opening,
    activation,
    credit,
    documents,
    first_transaction,
    intake,
    kyc,
    provisioning,
    treasury_setup,
)
from sandbox.worlds.generator.timeline import StepWindow

_MODULES: dict[str, ModuleType] = {
    "intake": intake,
    "kyc": kyc,
    "credit": credit,
    "documents": documents,
    "account_opening": account_opening,
    "provisioning": provisioning,
    "treasury_setup": treasury_setup,
    "activation": activation,
    "first_transaction": first_transaction,
}
WRITERS: dict[str, Callable[[Journey, StepWindow], None]] = {
    step: module.write for step, module in _MODULES.items()
}
BLOCKERS: dict[str, frozenset[str]] = {step: module.BLOCKERS for step, module in _MODULES.items()}


def write_step(journey: Journey, window: StepWindow) -> None:
    unsupported = window.blockers - BLOCKERS[window.step]
    if unsupported:
        raise ValueError(
            f"{journey.scenario.name}: step {window.step} cannot show {sorted(unsupported)}"
        )
    WRITERS[window.step](journey, window)
