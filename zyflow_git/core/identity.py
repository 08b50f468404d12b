"""Task identity: which unit of one version is which unit of another.

A task is known by its normalised title (label, emphasis, status emoji, case and white space
stripped) within its section. Matching runs in passes, each only over what is still
unmatched: headings by text; tasks and blocks by (section, text), then by text alone where it
is unique (a move), then by similarity inside the same gap between matched neighbours (an
edit), then by high similarity anywhere (an edit plus a move). Labels never decide identity;
they only break ties between similar candidates. Every pass is deterministic.
"""

from __future__ import annotations

from bisect import bisect_left
from operator import eq

from .lazyre import lazy
from .memo import memo
from .model import Heading, Task
from .order import longest_increasing

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Iterable, Sequence

    from .model import Unit
from .text import split_eol

_SPACE = lazy(r"\s+")
_EMPHASIS = lazy(r"\*\*|__|~~")
# A status word at a heading's end; the separators before it go too (_drop_status). Found by
# the word: a pattern opening with the separators tried every start in a run of them
# (quadratic: a heading of 30,000 dashes edited on one side kept a merge for 108 s).
_STATUS_WORD = lazy(r"\b(?:COMPLETED?|DONE|WIP|IN PROGRESS|TODO)\b[\s.!]*$")
_SEPARATORS = ":-–—"  # and white space
_HEADING_NUMBER = lazy(r"(?i)^(?:(?:phase|stage|step|part|milestone|section)\s+)?\d+(?:\.\d+)*[.:)]?\s+")

GAP_SIMILARITY = 0.6
LONE_GAP_SIMILARITY = 0.5
GLOBAL_SIMILARITY = 0.8
GLOBAL_BUDGET = 2_500  # pairs compared in the last pass before it gives up


def _strip_symbols(text: str) -> str:
    from unicodedata import category

    return "".join(ch for ch in text if category(ch) not in ("So", "Sk", "Mn") or ch.isalnum())


@memo(16384)
def normalize_title(title: str) -> str:
    """The identity text of a task title."""
    text = _EMPHASIS.sub("", title)
    if not text.isascii():
        text = _strip_symbols(text)
    return _SPACE.sub(" ", text).strip().casefold()


@memo(4096)
def normalize_heading(text: str) -> str:
    """The identity text of a heading: also drops status words (COMPLETED) and leading numbers."""
    text = _drop_status(_EMPHASIS.sub("", text))
    if not text.isascii():
        text = _strip_symbols(text)
    text = _HEADING_NUMBER.sub("", _drop_status(text).strip())
    return _SPACE.sub(" ", text).strip().casefold()


def _drop_status(text: str) -> str:
    r"""The text without a status word at its end and the separators (white space, ":", dashes)
    right before it: ``re.sub(r"[\s:\-–—]*\b(?:COMPLETED?|...)\b[\s.!]*$", "", text)``, in
    linear time (a test holds it to that pattern)."""
    found = _STATUS_WORD.search(text)
    if found is None:
        return text
    start = found.start()
    while start and (text[start - 1].isspace() or text[start - 1] in _SEPARATORS):
        start -= 1
    return text[:start]


def fresh_id(path: str, key: str, n: int = 0) -> str:
    """The id a task gets where it first appears: from its file's path and its identity text
    (and n, the first number that keeps it unique in that file version). No store, commit or
    clock enters it, so every worktree and clone that sees the same history names it alike."""
    from .hashes import sha1

    return "t" + sha1(f"{path}\0{key}\0{n}".encode("utf-8", "surrogateescape")).hexdigest()[:10]


def task_ids(path: str, keys: Sequence[str], carried: Sequence[str | None]) -> list[str]:
    """The ids of one file version's tasks (identity texts ``keys``, in order): a task matched
    to its predecessor keeps that one's id (``carried``), every other gets its fresh id."""
    used = {c for c in carried if c}
    out: list[str] = []
    for key, kept in zip(keys, carried):
        if kept:
            out.append(kept)
            continue
        n = 0
        while (tid := fresh_id(path, key, n)) in used:
            n += 1
        used.add(tid)
        out.append(tid)
    return out


def carried_ids(mapping: dict[int, int], old_ids: Sequence[str], count: int) -> list[str | None]:
    """For each of a new version's ``count`` tasks, the id of the old task ``mapping`` pairs it
    with (new task index -> old task index; ``old_ids`` the old version's ids), or None."""
    if len(mapping) == count == len(old_ids) and all(map(eq, mapping, mapping.values())):
        return list(old_ids)  # each task where it was (a check, a relabel: the usual commit)
    return [old_ids[j] if j is not None else None for j in map(mapping.get, range(count))]


def unit_key(unit: Unit) -> tuple[str, str]:
    """Kind and identity text of a unit."""
    if isinstance(unit, Task):
        return ("t", normalize_title(unit.title))
    if isinstance(unit, Heading):
        return (f"h{unit.level}", normalize_heading(unit.text))
    if unit.lines and unit.lines[0].lstrip(" ").startswith("|"):
        from .tables import records

        rows = records(unit.lines)
        if rows is not None:  # a table is known by its header and its keys, not its cells
            return ("b", "\n".join(["\0table", rows[0][1].strip(), *(k for k, _ in rows[2:])]))
    return ("b", "\n".join(split_eol(line)[0].rstrip() for line in unit.lines))


def _sections(units: Sequence[Unit]) -> list[int]:
    current, out = -1, []
    for i, u in enumerate(units):
        out.append(current)
        if isinstance(u, Heading):
            current = i
    return out


class _Keys:
    """``unit_key`` of each unit, computed on first use (most units match before they need one)."""

    def __init__(self, units: Sequence[Unit]) -> None:
        self.units = units
        self.cache: dict[int, tuple[str, str]] = {}

    def __getitem__(self, i: int) -> tuple[str, str]:
        key = self.cache.get(i)
        if key is None:
            key = self.cache[i] = unit_key(self.units[i])
        return key


def _signatures(units: Sequence[Unit]) -> list[object]:
    """A cheap exact signature per unit: its first line, and for non-headings the raw line of
    the heading above it (so a task toggled in one section is not taken for a move)."""
    out: list[object] = []
    heading = None
    for u in units:
        if type(u) is Task:
            out.append((u.source or u.head(), heading))
        elif type(u) is Heading:
            heading = u.lines[0] if u.lines else ""
            out.append(heading)
        else:
            out.append((u.lines, heading))  # type: ignore[union-attr]
    return out


def match_units(old: Sequence[Unit], new: Sequence[Unit], *, fuzzy: bool = True) -> dict[int, int]:
    """Map indexes of ``new`` to the indexes of ``old`` they are the same unit as."""
    keys_old, keys_new = _Keys(old), _Keys(new)
    pairs: dict[int, int] = {}
    taken: set[int] = set()

    def link(n: int, o: int) -> None:
        pairs[n] = o
        taken.add(o)

    # Pass 0: units unchanged byte for byte (and unique as such) are the same unit.
    sig_old, sig_new = _signatures(old), _signatures(new)
    where: dict[object, int] = {}
    for i, sig in enumerate(sig_old):
        where[sig] = -1 if sig in where else i
    seen: dict[object, int] = {}
    for n, sig in enumerate(sig_new):
        seen[sig] = -1 if sig in seen else n
    for sig, n in seen.items():
        o = where.get(sig, -1)
        if n >= 0 and o >= 0:
            link(n, o)

    heads_old = [i for i, u in enumerate(old) if type(u) is Heading and i not in taken]
    heads_new = [i for i, u in enumerate(new) if type(u) is Heading and i not in pairs]
    if heads_old and heads_new:
        _exact(heads_old, heads_new, keys_old.__getitem__, keys_new.__getitem__, pairs, taken, link)
        if fuzzy:
            _in_gaps(old, new, keys_old, keys_new, pairs, taken, link, headings=True)

    rest_old = [i for i, u in enumerate(old) if type(u) is not Heading and i not in taken]
    rest_new = [i for i, u in enumerate(new) if type(u) is not Heading and i not in pairs]
    if not rest_old or not rest_new:
        return pairs
    sec_old, sec_new = _sections(old), _sections(new)

    def sec_of_new(n: int) -> object:
        s = sec_new[n]
        return pairs.get(s, ("new", s)) if s >= 0 else -1

    _exact(rest_old, rest_new, lambda i: (keys_old[i], sec_old[i]), lambda i: (keys_new[i], sec_of_new(i)), pairs, taken, link)
    _unique(rest_old, rest_new, keys_old, keys_new, pairs, taken, link)
    if fuzzy and len(pairs) < len(new) and len(taken) < len(old):
        _in_gaps(old, new, keys_old, keys_new, pairs, taken, link, headings=False)
        _anywhere(old, new, keys_old, keys_new, pairs, taken, link)
    return pairs


def match_new_units(ours: Sequence[Unit], theirs: Sequence[Unit], new_o: set[int], new_t: set[int]) -> dict[int, int]:
    """Units both sides added (add/add): theirs index -> ours index, by identical text under a
    heading of the same text (the k-th occurrence with the k-th), then by text unique among
    the added units of each side (the same task added under different headings)."""
    def keyed(units: Sequence[Unit], wanted: set[int]) -> list[tuple[int, object]]:
        out: list[tuple[int, object]] = []
        heading: object = None
        for i, u in enumerate(units):
            if i in wanted:
                out.append((i, (unit_key(u), heading)))
            if isinstance(u, Heading):
                heading = unit_key(u)
        return out

    pairs: dict[int, int] = {}
    taken: set[int] = set()
    ko, kt = dict(keyed(ours, new_o)), dict(keyed(theirs, new_t))

    def link(n: int, o: int) -> None:
        pairs[n] = o
        taken.add(o)

    _exact(sorted(ko), sorted(kt), ko.__getitem__, kt.__getitem__, pairs, taken, link)
    keys_o, keys_t = _Keys(ours), _Keys(theirs)
    _unique(sorted(ko), sorted(kt), keys_o, keys_t, pairs, taken, link)
    return pairs


def _exact(olds: Iterable[int], news: Iterable[int], kold, knew, pairs, taken, link) -> None:  # type: ignore[no-untyped-def]
    """Pair the k-th unmatched occurrence of a key in new with its k-th occurrence in old."""
    by_key: dict[object, list[int]] = {}
    for o in olds:
        if o not in taken:
            by_key.setdefault(kold(o), []).append(o)
    cursor: dict[object, int] = {}
    for n in news:
        if n in pairs:
            continue
        k = knew(n)
        cands = by_key.get(k)
        if not cands:
            continue
        c = cursor.get(k, 0)
        if c < len(cands):
            cursor[k] = c + 1
            link(n, cands[c])


def _unique(olds, news, keys_old, keys_new, pairs, taken, link) -> None:  # type: ignore[no-untyped-def]
    """Pair units whose key occurs exactly once among the unmatched of each side (a move)."""
    count_old: dict[tuple[str, str], list[int]] = {}
    for o in olds:
        if o not in taken:
            count_old.setdefault(keys_old[o], []).append(o)
    count_new: dict[tuple[str, str], list[int]] = {}
    for n in news:
        if n not in pairs:
            count_new.setdefault(keys_new[n], []).append(n)
    for key, ns in count_new.items():
        os_ = count_old.get(key)
        if os_ and len(os_) == 1 and len(ns) == 1 and key[1]:
            link(ns[0], os_[0])


def _stable_pairs(pairs: dict[int, int]) -> list[tuple[int, int]]:
    """The longest chain of pairs increasing on both sides (the unmoved anchors)."""
    items = sorted(pairs.items())
    return [items[i] for i in longest_increasing([o for _, o in items])]


_TOKEN = lazy(r"\w+|[^\w\s]")


def similarity(a: str, b: str) -> float:
    """How alike two identity texts are, 0..1: by words for sentences, by characters for short
    titles (so "add tests for x" and "add docs for y" are not one task, but "Parser" and
    "Parsers" are); a title extended at its end counts as at least a lone-gap match."""
    if not a or not b:
        return 0.0
    if "\n" in a or "\n" in b:  # blocks of prose: by lines (characters would cost O(n*m))
        return _ratio(a.split("\n"), b.split("\n"))
    if a.startswith(b) or b.startswith(a):  # _ratio's value here, without building a matcher
        return max(LONE_GAP_SIMILARITY, 2.0 * min(len(a), len(b)) / (len(a) + len(b)))
    wa, wb = _tokens(a), _tokens(b)
    seq_a, seq_b = (wa, wb) if min(len(wa), len(wb)) >= 3 or max(len(a), len(b)) > 200 else (a, b)
    return _ratio(seq_a, seq_b)  # type: ignore[arg-type]


@memo(8192)
def _tokens(text: str) -> list[str]:
    return _TOKEN.findall(text)


def _ratio(a: str | list[str], b: str | list[str]) -> float:
    """difflib's ratio, with the common start and end counted directly; where the rest is too
    long to align within the budget only the common ends count (a lower bound)."""
    from .diff3 import MAX_PAIRS, common_ends
    from .similar import matching_blocks, quick_ratio, real_quick_ratio  # only edits need them

    total = len(a) + len(b)
    if real_quick_ratio(a, b) < LONE_GAP_SIMILARITY or quick_ratio(a, b) < LONE_GAP_SIMILARITY:
        return 0.0  # upper bounds of ratio(), far cheaper to compute
    head, tail = common_ends(a, b)
    mid_a, mid_b = a[head:len(a) - tail], b[head:len(b) - tail]
    if len(mid_a) * len(mid_b) > MAX_PAIRS:
        return 2.0 * (head + tail) / total
    matched = sum(block[2] for block in matching_blocks(mid_a, mid_b))
    return 2.0 * (head + tail + matched) / total


def _kind(u: Unit) -> str:
    return "h" if isinstance(u, Heading) else "t" if isinstance(u, Task) else "b"


def _in_gaps(old, new, keys_old, keys_new, pairs, taken, link, *, headings: bool) -> None:  # type: ignore[no-untyped-def]
    """Between consecutive anchors, pair unmatched units of one kind by similarity (an edit)."""
    want = (lambda u: isinstance(u, Heading)) if headings else (lambda u: not isinstance(u, Heading))
    loose = [n for n in range(len(new)) if n not in pairs and want(new[n])]
    if not loose or len(taken) == len(old):
        return
    anchors = [(-1, -1)] + _stable_pairs(pairs) + [(len(new), len(old))]
    starts = [a[0] for a in anchors]
    gaps = sorted({bisect_left(starts, n) for n in loose})  # anchor k closes the gap of n
    for k in gaps:
        (n0, o0), (n1, o1) = anchors[k - 1], anchors[k]
        gap_new = [n for n in range(n0 + 1, n1) if n not in pairs and want(new[n])]
        gap_old = [o for o in range(o0 + 1, o1) if o not in taken and want(old[o])]
        if not gap_new or not gap_old:
            continue
        for kind in ("h", "t", "b"):
            gn = [n for n in gap_new if _kind(new[n]) == kind and keys_new[n][0] == keys_new[n][0]]
            go = [o for o in gap_old if _kind(old[o]) == kind]
            if not gn or not go:
                continue
            lone = len(gn) == 1 and len(go) == 1
            threshold = LONE_GAP_SIMILARITY if lone else GAP_SIMILARITY
            _greedy(gn, go, old, new, keys_old, keys_new, threshold, link, pairs, taken)


def _anywhere(old, new, keys_old, keys_new, pairs, taken, link) -> None:  # type: ignore[no-untyped-def]
    """Last pass: very similar tasks anywhere (edited and moved)."""
    gn = [n for n, u in enumerate(new) if n not in pairs and isinstance(u, Task)]
    go = [o for o, u in enumerate(old) if o not in taken and isinstance(u, Task)]
    if gn and go and len(gn) * len(go) <= GLOBAL_BUDGET:
        _greedy(gn, go, old, new, keys_old, keys_new, GLOBAL_SIMILARITY, link, pairs, taken)


GAP_BUDGET = 2500  # pairs compared in one gap before only nearby positions are compared
WINDOW = 12


def _greedy(gn, go, old, new, keys_old, keys_new, threshold, link, pairs, taken) -> None:  # type: ignore[no-untyped-def]
    """Pair the most similar candidates first; a same-kind heading must keep its level.

    In a large gap (a rewritten section), a candidate is only compared with those at about
    the same relative position, which keeps the pass linear.
    """
    scored: list[tuple[float, int, int]] = []
    wide = len(gn) * len(go) > GAP_BUDGET
    for i, n in enumerate(gn):
        near = go
        if wide:
            centre = i * len(go) // max(1, len(gn))
            near = go[max(0, centre - WINDOW): centre + WINDOW + 1]
        for o in near:
            if keys_new[n][0] != keys_old[o][0]:
                continue
            score = similarity(keys_new[n][1], keys_old[o][1])
            a, b = new[n], old[o]
            if isinstance(a, Task) and isinstance(b, Task) and a.label and a.label == b.label:
                score += 0.1
            if score >= threshold:
                scored.append((-score, n, o))
    scored.sort()
    for _, n, o in scored:
        if n not in pairs and o not in taken:
            link(n, o)
