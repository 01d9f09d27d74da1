"""Near-duplicate documents: the syndicated copies of one wire story, found by MinHash.

A document is cut into word shingles (five words in a row, case and accents folded); its
signature is the least hash of its shingles under each of ``PERMUTATIONS`` hash functions,
so that two signatures agree at a position with a probability equal to the Jaccard
similarity of the two shingle sets. Signatures are cut into ``BANDS`` bands: documents that
share a band are candidates (locality-sensitive hashing), and a candidate whose signatures
agree on at least ``SIMILARITY`` of the positions is a copy. With 20 bands of 5, a pair at
similarity 0.7 becomes a candidate with probability 0.98; a pair at 0.3, 0.05.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass

import numpy as np

__all__ = ["SIMILARITY", "Signature", "signature"]

SHINGLE_WORDS = 5
PERMUTATIONS = 100
BANDS = 20
ROWS = PERMUTATIONS // BANDS
SIMILARITY = 0.7  # copies with another headline, byline or closing line still agree this much
MIN_SHINGLES = 10  # shorter texts (a one-line feed item) say too little to be called a copy
_CHUNK = 20_000  # shingles hashed at once: bounds memory on a long text
_WORD = re.compile(r"\w+")
# Multiply-shift hash functions h(x) = (a·x + b mod 2^64) >> 32, a odd: a fixed seed, so that
# signatures stored by one version compare with those of the next.
_RNG = np.random.default_rng(20_231_114)
_A = (_RNG.integers(1, 2**63, size=PERMUTATIONS, dtype=np.uint64) * np.uint64(2) + np.uint64(1))
_B = _RNG.integers(0, 2**63, size=PERMUTATIONS, dtype=np.uint64)


@dataclass(frozen=True)
class Signature:
    """A document's MinHash signature and the band keys it is indexed by."""

    values: tuple[int, ...]

    @property
    def bands(self) -> list[str]:
        """One key per band: the band's number and a digest of its values."""
        keys = []
        for band in range(BANDS):
            part = self.values[band * ROWS:(band + 1) * ROWS]
            digest = hashlib.blake2b(repr(part).encode(), digest_size=8).hexdigest()
            keys.append(f"{band}:{digest}")
        return keys

    def similarity(self, other: Signature) -> float:
        """The estimated Jaccard similarity of the two documents' shingle sets."""
        same = sum(a == b for a, b in zip(self.values, other.values, strict=True))
        return same / PERMUTATIONS

    def dumps(self) -> str:
        return ",".join(f"{v:x}" for v in self.values)

    @classmethod
    def loads(cls, text: str) -> Signature:
        return cls(tuple(int(v, 16) for v in text.split(",")))


def shingles(text: str) -> np.ndarray:
    """32-bit hashes of the text's distinct five-word shingles."""
    folded = unicodedata.normalize("NFKD", text.casefold())
    words = _WORD.findall("".join(c for c in folded if not unicodedata.combining(c)))
    hashes = {
        int.from_bytes(hashlib.blake2b(" ".join(words[i:i + SHINGLE_WORDS]).encode(), digest_size=4).digest(),
                       "little")
        for i in range(len(words) - SHINGLE_WORDS + 1)
    }
    return np.fromiter(hashes, dtype=np.uint64, count=len(hashes))


def signature(text: str) -> Signature | None:
    """The text's signature, or None where it is too short to call anything a copy of it."""
    hashed = shingles(text)
    if len(hashed) < MIN_SHINGLES:
        return None
    least = np.full(PERMUTATIONS, np.iinfo(np.uint64).max, dtype=np.uint64)
    for at in range(0, len(hashed), _CHUNK):
        part = hashed[at:at + _CHUNK]
        with np.errstate(over="ignore"):  # the hash is arithmetic modulo 2^64
            values = (np.outer(_A, part) + _B[:, None]) >> np.uint64(32)
        least = np.minimum(least, values.min(axis=1))
    return Signature(tuple(int(v) for v in least))
