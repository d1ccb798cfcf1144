"""Validation of world records: required fields, vocabularies and links between systems.

Filled in with the world format (``docs/world-format.md``).
"""

from __future__ import annotations

from sandbox.world import World


def validate_world(world: World) -> None:
    """Raise ``WorldError`` naming the file, record and field of the first problem."""
