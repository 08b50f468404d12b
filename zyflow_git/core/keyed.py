"""Three-way merge of keyed records: front-matter keys, table rows.

Each version is a list of records ``(key, text)`` with unique keys. The order merges like the
units of a document (``order.merge_order``), and each record on its own: a record changed on
one side wins, the same change is taken once, one deleted and the other unchanged goes, and
two different changes go to ``resolve`` (a rule: the merged text, or None for a conflict
scoped to that record). Deleted on one side and changed on the other is a conflict.
"""

from __future__ import annotations

from .diff3 import Clash
from .order import merge_order, reinsert

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Callable, Sequence

    Record = tuple[str, str]
    # (key, base text or None, ours, theirs) -> merged text, or None for a conflict
    Resolve = Callable[[str, "str | None", str, str], "str | None"]


def unique_keys(records: Sequence[Record]) -> bool:
    keys = [k for k, _ in records]
    return len(set(keys)) == len(keys)


def merge_keyed(base: Sequence[Record], ours: Sequence[Record], theirs: Sequence[Record],
                resolve: Resolve, same: Callable[[str, str], bool] = str.__eq__) -> list[str | Clash]:
    """The merged records' texts in order; a ``Clash`` where a record changed two ways.
    ``same`` says when two texts are equal for the merge (e.g. ignoring table padding)."""
    b, o, t = dict(base), dict(ours), dict(theirs)
    keys_b, keys_o, keys_t = [k for k, _ in base], [k for k, _ in ours], [k for k, _ in theirs]
    for key in keys_b:  # deleted on one side, changed on the other: kept in play, as a conflict
        if key not in o and key in t and not same(t[key], b[key]):
            reinsert(keys_o, key, keys_b)
        if key not in t and key in o and not same(o[key], b[key]):
            reinsert(keys_t, key, keys_b)
    out: list[str | Clash] = []
    for key in merge_order(keys_b, keys_o, keys_t):
        bv, ov, tv = b.get(key), o.get(key), t.get(key)
        if ov is None or tv is None:
            kept = ov if ov is not None else tv
            if kept is None:
                continue
            if bv is None:
                out.append(kept)  # added on one side
            elif not same(kept, bv):
                out.append(Clash((ov or "",), (bv,), (tv or "",)))  # deleted one side, changed the other
            continue  # deleted on one side, untouched on the other
        if same(ov, tv) or (bv is not None and same(tv, bv)):
            out.append(ov)
        elif bv is not None and same(ov, bv):
            out.append(tv)
        else:
            merged = resolve(key, bv, ov, tv)
            out.append(merged if merged is not None else Clash((ov,), (bv or "",), (tv,)))
    return out
