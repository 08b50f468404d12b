"""The two hashes ids and versions use, from CPython's own C modules: importing hashlib
loads OpenSSL (~5 ms), a twentieth of a hook's budget, for hashes it would not be used for."""

from __future__ import annotations

try:
    from _blake2 import blake2b
    from _sha1 import sha1
except ImportError:  # pragma: no cover - a Python without them
    from hashlib import blake2b, sha1

__all__ = ["blake2b", "sha1"]
