"""Three-way merge of task files, task by task.

Units are matched across base, ours and theirs (``identity``), their order is merged
(``order``), and each unit's fields merge on their own: the checkbox and the title of a task
independently, its detail lines line by line. Only a unit changed two different ways becomes a
conflict, and its markers wrap that unit alone. The result is checked before it is returned:
re-parsed, it must hold exactly the tasks the merge meant to write (``MergeUnsafe`` otherwise,
and the caller falls back to git's line merge).
"""

from __future__ import annotations

from .conflicts import Markers
from .diff3 import Clash, TooBig, merge3
from .identity import match_new_units, match_units
from .labels import relabel
from .lazyre import lazy
from .model import Block, Document, Heading, Task
from .order import both_replaced, cut, merge_order, reinsert
from .parse import parse_text
from .placement import has_content, misplaced, sections_fixed
from .record import Record
from .tally import tally
from .text import Text, decode, dominant_eol, encode, split_eol, with_eol

TYPE_CHECKING = False
if TYPE_CHECKING:
    from .model import Unit
    from .frontmatter import Rules
    from .order import Chunks
    from .runs import Trimmed

    Id = tuple[str, int]  # ("b", base index), ("o", ours index) or ("t", theirs index)


class MergeUnsafe(Exception):
    """The structured merge cannot vouch for its result; use git's line merge instead."""


class Conflict(Record):
    """A unit changed two ways (lead, ours, base, theirs): each side's text, with the other
    clean changes applied on both sides."""

    __slots__ = ("lead", "ours", "base", "theirs")
    lead: tuple[str, ...]
    ours: str
    base: str
    theirs: str


class Raw(Record):
    """A prose block merged line by line (lead, chunks), with clashing hunks to wrap in markers."""

    __slots__ = ("lead", "chunks")
    lead: tuple[str, ...]
    chunks: tuple[object, ...]

    @property
    def conflicts(self) -> int:
        return sum(isinstance(c, Clash) for c in self.chunks)


class MergeResult(Record):
    """The merged bytes, the number of conflict regions in them, and a note per relabelled task."""

    __slots__ = ("data", "conflicts", "notes")
    data: bytes
    conflicts: int
    notes: tuple[str, ...]


_CONFLICT = object()


def _body(u: Unit) -> str:
    """A unit's text without its leading blank lines."""
    if isinstance(u, Task):
        return u.head() + "".join(u.body)
    return "".join(u.lines)


def merge_bytes(base: bytes, ours: bytes, theirs: bytes, markers: Markers | None = None,
                rules: Rules | None = None, *, trim: bool | None = None) -> MergeResult:
    """Merge three versions of a task file. Line endings, BOM and final newline follow ours.
    ``rules``: how front-matter keys both sides changed merge (defaults: see ``frontmatter``).
    ``trim``: merge only what changed, with the runs no side touched standing for themselves
    (``runs``), for files of ``TRIM_FROM`` lines or more (True: always, False: never); the
    result is the whole merge's, byte for byte."""
    markers = markers or Markers()
    t_ours = decode(ours)
    eol = dominant_eol(t_ours.lines)
    t_base, t_theirs = _to_eol(decode(base), eol), _to_eol(decode(theirs), eol)
    if trim if trim is not None else len(t_base.lines) >= TRIM_FROM:
        trimmed = merge_by_runs(t_base, t_ours, t_theirs, markers, rules, eol, worth=1.0 if trim else WORTH)
        if trimmed is not None:
            return trimmed
    return _merge_texts(t_base, t_ours, t_theirs, t_ours, markers, rules, eol, None)


TRIM_FROM = 300  # lines of base from which merging by runs pays for its import and scan
WORTH = 0.7  # merge by runs when they take out at least 30% of base's lines


def merge_by_runs(t_base: Text, t_ours: Text, t_theirs: Text, markers: Markers, rules: Rules | None,
                  eol: str, worth: float = 1.0) -> MergeResult | None:
    """The merge of the texts with the runs no side touched standing for themselves (``runs``),
    or None where that might not give the whole merge's bytes (then merge the whole texts), or
    where the smaller base would keep more than ``worth`` of base's lines."""
    from .runs import Declined, find_runs

    trimmed = find_runs(t_base, t_ours, t_theirs, worth)
    if trimmed is None or len(trimmed.base.lines) > len(t_base.lines) * worth:
        return None
    try:
        return _merge_texts(trimmed.base, trimmed.ours, trimmed.theirs, t_ours, markers, rules, eol, trimmed)
    except (Declined, MergeUnsafe, TooBig):
        return None


def _merge_texts(t_base: Text, t_ours: Text, t_theirs: Text, ours_file: Text, markers: Markers,
                 rules: Rules | None, eol: str, trimmed: Trimmed | None) -> MergeResult:
    """Parse, match, merge, relabel, render and verify; with ``trimmed``, the smaller texts,
    declining wherever they might not merge as the whole ones (see ``runs``)."""
    docs = [parse_text(t) for t in (t_base, t_ours, t_theirs)]
    if trimmed is not None and not all(trimmed.placeholders(d.tasks) for d in docs):
        raise _declined("a run is not read as top-level tasks")
    try:
        pieces, theirs_new = merge_documents(docs[0], docs[1], docs[2], rules, in_order=trimmed is not None)
    except TooBig as err:
        raise MergeUnsafe(f"a unit is too large to merge line by line ({err})") from None
    relabelled, notes = relabel(pieces, theirs_new, docs[1].units, docs[2].units)
    if trimmed is not None:
        _check_trimmed(pieces, relabelled, notes, trimmed)
    text, conflicts = _render(relabelled, markers, eol)
    text = _final_newline(text, ours_file)
    if not conflicts:
        _verify(text, relabelled)
    if trimmed is not None:
        text = trimmed.expand(text)
    return MergeResult(encode(ours_file.bom, text), conflicts, tuple(notes))


def _declined(why: str) -> Exception:
    from .runs import Declined

    return Declined(why)


def _check_trimmed(pieces: list[object], relabelled: list[object], notes: list[str], trimmed: Trimmed) -> None:
    """Decline the smaller merge where the runs' tasks could have changed the outcome: a
    relabel, a label the runs also use, or a unit after a run that is not a top-level line."""
    from .runs import stands_alone

    if notes or len(relabelled) != len(pieces) or any(a is not b for a, b in zip(pieces, relabelled)):
        raise _declined("labels were changed")
    labels = tally([*(p.label for p in pieces if type(p) is Task and p.label), *trimmed.labels()])
    if any(n > 1 for n in labels.values()):
        raise _declined("a label occurs twice")
    if not stands_alone(pieces, trimmed.runs):
        raise _declined("a unit after a run is not a top-level line")


def _to_eol(text: Text, eol: str) -> Text:
    if not text.lines or dominant_eol(text.lines) == eol:
        return text
    return Text(text.bom, tuple(with_eol(line, eol) for line in text.lines))


def merge_documents(base: Document, ours: Document, theirs: Document, rules: Rules | None = None,
                    *, in_order: bool = False) -> tuple[list[object], set[int]]:
    """Merged pieces in order (clean units, ``Conflict``s and ``Raw`` text), and the indexes
    of the pieces only theirs added. ``in_order``: decline (``runs.Declined``) where a side
    moved a unit."""
    bu, ou, tu = base.units, ours.units, theirs.units
    to_base_o = match_units(bu, ou)
    to_base_t = match_units(bu, tu)
    if in_order:
        from .runs import ordered

        if not (ordered(to_base_o) and ordered(to_base_t)):
            raise _declined("a side moved a unit")
    new_o = [j for j in range(len(ou)) if j not in to_base_o]
    new_t = [k for k in range(len(tu)) if k not in to_base_t]
    both_new = _match_new(ou, tu, set(new_o), set(new_t))

    ids_o: list[Id] = [("b", to_base_o[j]) if j in to_base_o else ("o", j) for j in range(len(ou))]
    ids_t: list[Id] = []
    for k in range(len(tu)):
        if k in to_base_t:
            ids_t.append(("b", to_base_t[k]))
        elif k in both_new:
            ids_t.append(("o", both_new[k]))
        else:
            ids_t.append(("t", k))
    _pair_rival_titles(ou, tu, ids_o, ids_t)
    _pair_rival_blocks(ou, tu, ids_o, ids_t)
    ids_b: list[Id] = [("b", i) for i in range(len(bu))]
    unit: dict[Id, list[Unit | None]] = {x: [bu[x[1]], None, None] for x in ids_b}  # type: ignore[index]
    for x, u in zip(ids_o, ou):
        unit.setdefault(x, [None, None, None])[1] = u
    for x, u in zip(ids_t, tu):
        unit.setdefault(x, [None, None, None])[2] = u

    # A unit deleted on one side but changed on the other stays in play (a conflict).
    eff_o, eff_t = list(ids_o), list(ids_t)
    for x in ids_b:
        b, o, t = unit[x]
        if o is None and t is not None and _body(t) != _body(b):  # type: ignore[arg-type]
            reinsert(eff_o, x, ids_b)
        if t is None and o is not None and _body(o) != _body(b):  # type: ignore[arg-type]
            reinsert(eff_t, x, ids_b)

    levels = {x: u.level for x, sides in unit.items() for u in sides[::-1] if isinstance(u, Heading)}
    chunks = cut(ids_b, eff_o, eff_t)
    order = merge_order(ids_b, eff_o, eff_t, levels, chunks)
    if not sections_fixed(levels, chunks[0], (ids_b, ids_o, ids_t)) and misplaced(order, (ids_b, ids_o, ids_t), unit, levels):
        raise MergeUnsafe("a task would land in another section than its side put it in")
    replaced = _replacements(ids_b, eff_o, eff_t, chunks, unit)
    pieces: list[object] = []
    theirs_new: set[int] = set()
    for x in order:
        if x in replaced:
            piece = replaced[x]
        else:
            b, o, t = unit[x]
            piece = merge_unit(b, o, t, rules)
        if piece is not None:
            if x[0] == "t":
                theirs_new.add(len(pieces))
            pieces.append(piece)
    return pieces, theirs_new


def _replacements(ids_b: list[Id], eff_o: list[Id], eff_t: list[Id], chunks: Chunks,
                  unit: dict[Id, list[Unit | None]]) -> dict[Id, object]:
    """Where both sides replaced the same base units with different new ones: one conflict in
    place of the first new unit (the other new units map to None, and are left out)."""
    counts = {x for x in ids_b if has_content(unit[x][0])}
    out: dict[Id, object] = {}
    for gone, new_o, new_t in both_replaced(ids_b, eff_o, eff_t, chunks, counts):
        ours = [unit[x][1] for x in new_o]
        theirs = [unit[x][2] for x in new_t]
        text_o, text_t = _run(ours), _run(theirs)  # type: ignore[arg-type]
        if text_o == text_t:
            continue
        first = ours[0]
        assert first is not None
        for x in new_o + new_t:
            out[x] = None
        out[new_o[0]] = Conflict(first.lead, text_o, _run([unit[x][0] for x in gone]), text_t)  # type: ignore[misc]
    return out


def _run(units: list[Unit]) -> str:
    """Consecutive units as text, without the first one's leading blank lines."""
    return _body(units[0]) + "".join(u.render() for u in units[1:])


def _match_new(ou: tuple[Unit, ...], tu: tuple[Unit, ...], new_o: set[int], new_t: set[int]) -> dict[int, int]:
    """Units both sides added (add/add): theirs index -> ours index."""
    if not new_o or not new_t:
        return {}
    return match_new_units(ou, tu, new_o, new_t)


def _pair_rival_titles(ou: tuple[Unit, ...], tu: tuple[Unit, ...], ids_o: list[Id], ids_t: list[Id]) -> None:
    """Both sides opened the file with a new heading of one level (add/add files that titled
    the same spec differently): that is one title written two ways, so it gets one id and
    merges as one unit (a conflict when they differ) instead of stacking two titles and
    moving everything after the first under the second."""
    j = next((i for i, u in enumerate(ou) if has_content(u)), None)
    k = next((i for i, u in enumerate(tu) if has_content(u)), None)
    if j is None or k is None or ids_o[j][0] != "o" or ids_t[k][0] != "t":
        return
    o, t = ou[j], tu[k]
    if isinstance(o, Heading) and isinstance(t, Heading) and o.level == t.level:
        ids_t[k] = ids_o[j]


def _pair_rival_blocks(ou: tuple[Unit, ...], tu: tuple[Unit, ...], ids_o: list[Id], ids_t: list[Id]) -> None:
    """Two new blocks, one per side, right after the same shared unit and alike by lines, are
    one block written two ways (a table one side extended, a paragraph both drafted): one id,
    so they merge as one unit (the longer where it holds the other, else a conflict) instead
    of the same table twice."""
    from .identity import GAP_SIMILARITY, similarity

    def _text_of(u: Unit) -> str:  # by their lines: a table's identity key is not its text
        return "\n".join(line.rstrip() for line in u.lines)  # type: ignore[union-attr]

    shared = set(ids_o) & set(ids_t)
    after: dict[Id, int] = {}
    for j in range(1, len(ou)):
        if ids_o[j][0] == "o" and ids_o[j] not in shared and type(ou[j]) is Block and ids_o[j - 1] in shared:
            after[ids_o[j - 1]] = j
    if not after:
        return
    for k in range(1, len(tu)):
        if ids_t[k][0] == "t" and type(tu[k]) is Block:
            mate = after.get(ids_t[k - 1])
            if mate is not None and similarity(_text_of(ou[mate]), _text_of(tu[k])) >= GAP_SIMILARITY:
                ids_t[k] = ids_o[mate]
                del after[ids_t[k - 1]]


def _holds(big: tuple[str, ...], small: tuple[str, ...]) -> bool:
    """Everything ``small`` says is in ``big``: its lines in order (one side added lines), or
    its text inside ``big``'s (one side went on writing a line)."""
    it = iter(big)
    if all(line in it for line in small):
        return True
    return "".join(small).rstrip("\r\n") in "".join(big)


def merge_unit(b: Unit | None, o: Unit | None, t: Unit | None, rules: Rules | None = None) -> object | None:
    """Merge one unit's three versions (None: absent on that side)."""
    if o is None and t is None:
        return None
    if b is not None and (o is None or t is None):
        kept = o if o is not None else t
        assert kept is not None
        if _body(kept) == _body(b):
            return None  # deleted on one side, untouched on the other
        return Conflict(kept.lead, _body(o) if o else "", _body(b), _body(t) if t else "")
    if o is None or t is None:
        return o if o is not None else t
    if o == t or t == b:  # field-for-field (line numbers aside): nothing to merge
        return o
    if o == b:
        return t
    if b is None:
        if _body(o) == _body(t):
            return o
        if isinstance(o, Block) and isinstance(t, Block):  # add/add: one side wrote more of it
            if _holds(o.lines, t.lines):
                return o
            if _holds(t.lines, o.lines):
                return t.replace(lead=o.lead)
        b = _empty_like(o)
    if isinstance(o, Task) and isinstance(t, Task) and isinstance(b, Task):
        return _merge_task(b, o, t)
    return _merge_lines(b, o, t, rules)


def _empty_like(u: Unit) -> Unit:
    """The same kind of unit with no content: the base of a unit both sides added."""
    if isinstance(u, Task):
        return u.replace(state=" ", title="", label="", body=())
    return u.replace(lines=())  # type: ignore[return-value]


def _pick(b: object, o: object, t: object, *, soft: bool = False) -> object:
    """A field's merged value; two different changes are a conflict (or ours, when ``soft``)."""
    if o == t or t == b:
        return o
    if o == b:
        return t
    return o if soft else _CONFLICT


def _merge_task(b: Task, o: Task, t: Task) -> object:
    if o.done == t.done:
        state = o.state if o.state != b.state else t.state
    else:
        state = t.state if o.done == b.done else o.state
    if b.title == "" and b.label == "" and o.done != t.done:
        state = o.state if o.done else t.state  # added on both sides: a check wins
    soft = {f: _pick(getattr(b, f), getattr(o, f), getattr(t, f), soft=True)
            for f in ("lead", "gap", "label", "label_sep", "eol")}
    title = _pick(b.title, o.title, t.title)
    if title is _CONFLICT:
        title = _merge_words(b.title, o.title, t.title)
    prefix = _pick(b.prefix, o.prefix, t.prefix)
    chunks = merge3(b.body, o.body, t.body)
    clean_body = not any(isinstance(c, Clash) for c in chunks)
    if title is not _CONFLICT and prefix is not _CONFLICT and clean_body:
        body = tuple(line for c in chunks for line in c)  # type: ignore[union-attr]
        return o.replace(state=state, title=title, prefix=prefix, body=body, **soft)

    def side(which: Task, index: int) -> Task:
        return which.replace(
            state=state, **soft,
            title=which.title if title is _CONFLICT else title,
            prefix=which.prefix if prefix is _CONFLICT else prefix,
            body=tuple(line for c in chunks for line in (c if isinstance(c, tuple) else (c.ours, c.theirs)[index])),
        )

    return Conflict(soft["lead"], _body(side(o, 0)), _body(b), _body(side(t, 1)))  # type: ignore[arg-type]


_WORD = lazy(r"\w+|\s+|[^\w\s]")


def _merge_words(b: str, o: str, t: str) -> object:
    """Both sides edited a title: merge word by word; overlapping edits (or a title too long
    to align, which git's line merge would also conflict on) are a conflict."""
    try:
        chunks = merge3(_WORD.findall(b), _WORD.findall(o), _WORD.findall(t))
    except TooBig:
        return _CONFLICT
    if any(isinstance(c, Clash) for c in chunks):
        return _CONFLICT
    return "".join(w for c in chunks for w in c)  # type: ignore[union-attr]


def _merge_lines(b: Unit, o: Unit, t: Unit, rules: Rules | None) -> object:
    """Headings and blocks: their lines merge like git's, scoped to the unit; where that
    clashes in a block, its front matter merges key by key, its tables row by row, and a
    "last updated" line takes the later date."""
    lead = _pick(b.lead, o.lead, t.lead, soft=True)
    chunks = merge3(b.lines, o.lines, t.lines)  # type: ignore[union-attr]
    clashes = sum(isinstance(c, Clash) for c in chunks)
    if clashes and isinstance(o, Block):
        from .blocks import merge_block  # front matter, tables and dates: only where lines clash
        from .frontmatter import Rules

        chunks = merge_block(b.lines, o.lines, t.lines, rules or Rules(), front=b.line == o.line == t.line == 0)  # type: ignore[union-attr]
        clashes = sum(isinstance(c, Clash) for c in chunks)
    if not clashes:
        lines = tuple(line for c in chunks for line in c)  # type: ignore[union-attr]
        return o.replace(lead=lead, lines=lines)
    if isinstance(o, Heading):
        return Conflict(lead, _body(o), _body(b), _body(t))  # type: ignore[arg-type]
    return Raw(lead, tuple(chunks))  # type: ignore[arg-type]


def _render(pieces: list[object], markers: Markers, eol: str) -> tuple[str, int]:
    parts: list[str] = []
    conflicts = 0
    for piece in pieces:
        if parts and parts[-1] and not parts[-1].endswith(("\n", "\r")):
            parts[-1] += eol  # a side's last line had no newline, but more follows
        if isinstance(piece, Conflict):
            conflicts += 1
            parts.append("".join(piece.lead) + markers.wrap(piece.ours, piece.base, piece.theirs, eol))
        elif isinstance(piece, Raw):
            conflicts += piece.conflicts
            parts.append("".join(piece.lead) + "".join(
                markers.wrap("".join(c.ours), "".join(c.base), "".join(c.theirs), eol)
                if isinstance(c, Clash) else "".join(c) for c in piece.chunks))  # type: ignore[arg-type]
        else:
            parts.append(piece.render())  # type: ignore[attr-defined]
    return "".join(parts), conflicts


def _final_newline(text: str, ours: Text) -> str:
    """Give the result ours' final newline, or ours' lack of one."""
    if not text or not ours.lines:
        return text
    ours_ends = split_eol(ours.lines[-1])[1] != ""
    content, ending = split_eol(text)
    if ours_ends and not ending:
        return text + (split_eol(ours.lines[-1])[1] or "\n")
    if not ours_ends and ending:
        return content
    return text


def _verify(text: str, pieces: list[object]) -> None:
    """Re-parse the merged text: its task lines must be exactly the ones the merge wrote, in order.

    This catches a merge whose pieces interact once joined (a task glued to a paragraph as a
    lazy continuation line, a fence that swallows what follows), like mdformat's own check.
    """
    from .parse import structure_of
    from .text import split_lines

    lines = split_lines(text)
    structure, _ = structure_of(lines)
    found = [lines[t.start] for t in structure.tasks]
    meant = [p.head() for p in pieces if isinstance(p, Task)]
    if len(meant) != len(found) or any(a != b and split_eol(a)[0] != split_eol(b)[0] for a, b in zip(meant, found)):
        from collections import Counter

        missing = Counter(split_eol(m)[0] for m in meant) - Counter(split_eol(f)[0] for f in found)
        extra = Counter(split_eol(f)[0] for f in found) - Counter(split_eol(m)[0] for m in meant)
        raise MergeUnsafe(f"merged text re-parses differently (missing {sum(missing.values())}, extra {sum(extra.values())} tasks)")
