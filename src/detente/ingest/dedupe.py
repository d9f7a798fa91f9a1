"""Near-duplicate detection: MinHash LSH over word shingles (datasketch).

Broder (1997) resemblance: the Jaccard similarity of two documents' sets of
word n-grams ("shingles"), estimated by MinHash and searched with
locality-sensitive hashing so each new article is compared only with
likely matches.
"""

from __future__ import annotations

import hashlib
import re
import struct

import numpy as np
from datasketch import MinHash, MinHashLSH

_WORD = re.compile(r"\w+")
_SCHEME = "affine32"  # datasketch 2's permutation scheme: uint32 values, unbiased


def shingles(text: str, size: int = 5) -> set[bytes]:
    """Return the set of lower-cased word ``size``-grams of ``text`` (the whole text if shorter)."""
    words = _WORD.findall(text.lower())
    if len(words) <= size:
        return {" ".join(words).encode("utf-8")} if words else set()
    return {" ".join(words[i : i + size]).encode("utf-8") for i in range(len(words) - size + 1)}


def _hash32(shingle: bytes) -> int:
    return struct.unpack("<I", hashlib.blake2b(shingle, digest_size=4).digest())[0]


class NearDuplicateIndex:
    """An LSH index of MinHash signatures: finds stored articles a new one nearly repeats.

    ``threshold`` is the Jaccard similarity at or above which two articles
    are near-duplicates; a candidate from LSH is confirmed by its MinHash
    estimate before it counts.
    """

    def __init__(self, threshold: float = 0.9, num_perm: int = 128, shingle_words: int = 5) -> None:
        self.threshold = threshold
        self.num_perm = num_perm
        self.shingle_words = shingle_words
        self._lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
        self._signatures: dict[str, MinHash] = {}
        # permutations are drawn once: each MinHash would otherwise redraw them
        self._permutations = MinHash(num_perm=num_perm, seed=1, scheme=_SCHEME).permutations

    def __len__(self) -> int:
        return len(self._signatures)

    def __contains__(self, article_id: object) -> bool:
        return article_id in self._signatures

    def signature(self, text: str) -> MinHash:
        """Return the MinHash of ``text``'s word shingles."""
        minhash = MinHash(
            num_perm=self.num_perm, seed=1, hashfunc=_hash32, permutations=self._permutations, scheme=_SCHEME
        )
        found = shingles(text, self.shingle_words)
        if found:
            minhash.update_batch(list(found))
        return minhash

    def find(self, minhash: MinHash) -> tuple[str, float] | None:
        """Return ``(original_id, jaccard)`` of the closest stored match at or above threshold."""
        best = None
        for key in self._lsh.query(minhash):
            score = minhash.jaccard(self._signatures[key])
            if score >= self.threshold and (best is None or (score, key) > (best[1], best[0])):
                best = (key, score)
        return best

    def add(self, article_id: str, minhash: MinHash) -> None:
        """Index an original article's signature."""
        if article_id not in self._signatures:
            self._signatures[article_id] = minhash
            self._lsh.insert(article_id, minhash)

    def to_bytes(self, minhash: MinHash) -> bytes:
        """Serialise a signature as little-endian uint32 values."""
        return minhash.hashvalues.astype("<u4").tobytes()

    def add_bytes(self, article_id: str, signature: bytes) -> None:
        """Index a signature stored by ``to_bytes``."""
        values = np.frombuffer(signature, dtype="<u4")
        if len(values) != self.num_perm:
            return  # stored with other settings: cannot be compared
        minhash = MinHash(seed=1, hashvalues=values, permutations=self._permutations, scheme=_SCHEME)
        self.add(article_id, minhash)
