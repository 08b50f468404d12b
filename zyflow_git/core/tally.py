"""How often each item occurs, as a plain dict, without importing collections.

``collections.Counter`` counts with ``_collections._count_elements`` (C); importing
``collections`` for it costs the merge driver ~7 million instructions at every start here.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Hashable, Iterable, TypeVar

    H = TypeVar("H", bound=Hashable)

try:
    from _collections import _count_elements  # CPython's own counting loop (Counter's)
except ImportError:  # another Python
    def _count_elements(mapping: dict, iterable: Iterable) -> None:  # type: ignore[type-arg]
        for item in iterable:
            mapping[item] = mapping.get(item, 0) + 1


def tally(items: Iterable[H]) -> dict[H, int]:
    """Each item with the number of times it occurs (``dict(Counter(items))``)."""
    counts: dict[H, int] = {}
    _count_elements(counts, items)
    return counts
