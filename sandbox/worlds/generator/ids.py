"""Record ids in each system's real format, derived from stable keys.

An id is a hash of the seed and a key naming the record (``account:acme-bakery-llc``), so adding
a journey never renumbers the others and regenerating gives identical files.
"""

from __future__ import annotations

import hashlib
import string

BASE62 = string.digits + string.ascii_uppercase + string.ascii_lowercase
UPPER_ALNUM = string.digits + string.ascii_uppercase
_CHECKSUM = string.ascii_uppercase + "012345"


def salesforce_checksum(id15: str) -> str:
    """The 3-character suffix that makes a 15-character Salesforce id case-insensitive."""
    suffix = ""
    for chunk in (id15[0:5], id15[5:10], id15[10:15]):
        bits = sum(1 << i for i, char in enumerate(chunk) if char.isupper())
        suffix += _CHECKSUM[bits]
    return suffix


class IdFactory:
    def __init__(self, seed: int) -> None:
        self._seed = seed
        self._issued: set[str] = set()

    def _draw(self, key: str, alphabet: str, length: int) -> str:
        for attempt in range(100):
            digest = hashlib.sha256(f"{self._seed}:{key}:{attempt}".encode()).digest()
            number = int.from_bytes(digest, "big")
            chars = []
            for _ in range(length):
                number, index = divmod(number, len(alphabet))
                chars.append(alphabet[index])
            value = "".join(chars)
            if value not in self._issued:
                self._issued.add(value)
                return value
        raise RuntimeError(f"cannot draw a unique id for {key!r}")

    def salesforce(self, prefix: str, key: str) -> str:
        """An 18-character id: key prefix, pod ``Dn``, zero padding, 6 random characters."""
        id15 = f"{prefix}Dn0000{self._draw(f'sf:{key}', BASE62, 6)}"
        return id15 + salesforce_checksum(id15)

    def token(self, prefix: str, key: str, length: int = 20, alphabet: str = BASE62) -> str:
        """A vendor token such as ``AP-…`` (KYC) or ``tmr_…`` (Stripe-style)."""
        return prefix + self._draw(f"tok:{prefix}:{key}", alphabet, length)

    def digits(self, key: str, length: int) -> str:
        return self._draw(f"num:{key}", string.digits, length)
