"""A bounded memo for pure one-argument functions, without importing functools.

``functools`` (with ``collections``, which it imports) is ~10 million instructions of every
start of the merge driver and the hooks here; a dict does what ``lru_cache`` did for the
parser and the matcher: the three versions of a merge share most of their lines.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Callable, TypeVar

    K = TypeVar("K")
    V = TypeVar("V")


_NONE = object()  # no answer yet (a miss costs a raised KeyError otherwise)


def memo(limit: int) -> Callable[[Callable[[K], V]], Callable[[K], V]]:
    """Remember up to ``limit`` answers of a pure function of one hashable argument (then
    start over: the answers are cheap to make again, and a merge asks for the same ones)."""
    def wrap(fn: Callable[[K], V]) -> Callable[[K], V]:
        answers: dict[K, V] = {}
        find = answers.get

        def remembered(arg: K) -> V:
            value = find(arg, _NONE)
            if value is not _NONE:
                return value  # type: ignore[return-value]
            value = fn(arg)
            if len(answers) >= limit:
                answers.clear()
            answers[arg] = value
            return value

        remembered.__doc__, remembered.__name__, remembered.__qualname__ = fn.__doc__, fn.__name__, fn.__qualname__
        remembered.__wrapped__ = fn  # type: ignore[attr-defined]
        remembered.cache_clear = answers.clear  # type: ignore[attr-defined]
        return remembered

    return wrap
