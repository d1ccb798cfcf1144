"""Salesforce record ids: 15 case-sensitive characters, usually with a 3-character suffix.

The suffix is a checksum of the letter case of the first 15 characters, so that the 18-character
form survives case-insensitive systems; the API accepts either form.
"""

from __future__ import annotations

_SUFFIX_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345"


def id_key(record_id: str) -> str:
    """What identifies a record whichever form of its id is given: the first 15 characters."""
    return record_id[:15]


def with_suffix(id15: str) -> str:
    """The 18-character form of a 15-character id."""
    suffix = ""
    for start in range(0, 15, 5):
        bits = sum(1 << i for i, char in enumerate(id15[start : start + 5]) if char.isupper())
        suffix += _SUFFIX_ALPHABET[bits]
    return id15 + suffix


def make_id(prefix: str, number: int) -> str:
    """An 18-character id of the type with key ``prefix`` (``00T`` for Task), e.g.
    ``00T000000000006AAA``."""
    return with_suffix(f"{prefix}{number:012d}")
