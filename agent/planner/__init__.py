"""The local planner: Baton's default chat model — deterministic, offline, no key."""

from agent.planner.model import LocalPlanner

__all__ = ["LocalPlanner"]
