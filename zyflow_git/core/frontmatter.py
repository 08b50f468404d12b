"""YAML front matter, merged key by key (Backlog.md task files, GSD's STATE.md, ...).

Only the top level is read: a line ``key: ...`` at column 0 opens a record, every other line
(list items, indented values, comments) belongs to the record above it. A key changed on one
side wins; keys both sides changed differently follow a rule, each conservative:

- ``max`` / ``min``: both values are ISO dates or date-times (one kind, both with or both
  without a zone): the later (earlier) one. Keys that name an update time (``updated``,
  ``updated_date``, ``updated_at``, ``last_updated``, ``modified``...) take ``max`` by default.
- ``order``: both values are in a known order (``status``: Backlog.md's To Do < In Progress <
  Done by default): the one furthest along; the keys tied to it (``assignee``) follow the
  side whose value won, where they too were changed two ways.
- ``union``: both values are lists (``[a, b]`` or ``- a`` lines): additions of both sides,
  removals of either win, in ours' order then theirs' additions, in ours' style. The default
  for any key whose three values are lists.
- ``ours`` / ``theirs``: that side's value. ``conflict``: never merged.
- anything else: a conflict around that key's lines alone.

Bytes are kept wherever a key was not merged by a rule.
"""

from __future__ import annotations

from .diff3 import Clash
from .keyed import merge_keyed, unique_keys
from .lazyre import lazy
from .record import Record

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Sequence

_KEY = lazy(r"([A-Za-z0-9_][\w.\-]*)[ \t]*:(?:[ \t]|\r?\n|$)")
_FENCE = lazy(r"(?:---|\.\.\.)[ \t]*\r?\n?$")
_TIMESTAMP_KEY = lazy(
    r"(?i)(?:last[_-]?)?(?:updated|modified)(?:[_-]?(?:at|on|date|time))?|date[_-]?(?:updated|modified)|last[_-]?activity")
# A list item's indent and dash; its text is the rest without trailing blanks (_item). (One
# pattern for both, "(.*?)[ \t]*(\r?\n)?$", tried every split of a run of spaces inside the
# text: quadratic, ~6 minutes for 80,000 spaces.)
_ITEM_HEAD = lazy(r"([ \t]*)-[ \t]+")
# A comment after a value: it starts where a run of white space starts (the lookbehind), else
# every start inside a long run of spaces was tried to its end (quadratic).
_COMMENT = lazy(r"(?<!\s)\s+#.*$")
_QUOTE = lazy(r"[\"']")

DEFAULT_ORDERS: dict[str, tuple[str, ...]] = {"status": ("To Do", "In Progress", "Done")}
TIED: dict[str, tuple[str, ...]] = {"status": ("assignee",)}
RULES = ("max", "min", "order", "union", "ours", "theirs", "conflict")


class Rules(Record):
    """Per-key rules (key -> one of ``RULES``), value orders (key -> values, least first),
    and whether rules apply at all (off: every key changed two ways is a conflict)."""

    __slots__ = ("keys", "orders", "enabled")

    def __init__(self, keys: dict[str, str] | None = None, orders: dict[str, tuple[str, ...]] | None = None,
                 enabled: bool = True) -> None:
        self.keys = keys or {}
        self.orders = {**DEFAULT_ORDERS, **(orders or {})}
        self.enabled = enabled

    def rule_for(self, key: str) -> str | None:
        if key in self.keys:
            return self.keys[key]
        if key in self.orders:
            return "order"
        if _TIMESTAMP_KEY.fullmatch(key):
            return "max"
        return None


def split(lines: Sequence[str]) -> tuple[str, list[tuple[str, str]], str, tuple[str, ...]] | None:
    """(opening fence, records, closing fence, the lines after it) of a block that opens with
    front matter; None when it does not, or when a key repeats."""
    if not lines or lines[0].rstrip("\r\n") != "---":
        return None
    end = next((i for i in range(1, len(lines)) if _FENCE.match(lines[i])), None)
    if end is None:
        return None
    records: list[list[str]] = []
    keys: list[str] = []
    waiting: list[str] = []  # comments and blank lines at column 0: they belong to the next key
    for line in lines[1:end]:
        m = _KEY.match(line)
        if m is not None:
            keys.append(m.group(1))
            records.append(waiting + [line])
            waiting = []
        elif records and not waiting and line[:1] not in ("#", "\r", "\n", ""):
            records[-1].append(line)  # an indented value or a list item of the key above
        else:
            waiting.append(line)
    if waiting and records:
        records[-1] += waiting  # trailing comments stay with the last key
    elif waiting:
        keys.append("\0lead")
        records.append(waiting)
    out = [(k, "".join(r)) for k, r in zip(keys, records)]
    if not unique_keys(out):
        return None
    return lines[0], out, lines[end], tuple(lines[end + 1:])


def merge_front_matter(base: Sequence[str], ours: Sequence[str], theirs: Sequence[str],
                       rules: Rules) -> tuple[list[str | Clash], tuple[tuple[str, ...], ...]] | None:
    """The merged front matter (texts and clashes, fences included) and the three versions'
    lines after it; None when a version has no front matter to merge by key."""
    parts = [split(v) for v in (base, ours, theirs)]
    if any(p is None for p in parts):
        return None
    (fb, rb, cb, tb), (fo, ro, co, to), (ft, rt, ct, tt) = parts  # type: ignore[misc]
    won: dict[str, int] = {}  # key -> 1 (ours) or 2 (theirs), where an order rule chose

    tied_to = {key: head for head, keys in TIED.items() for key in keys}

    def resolve(key: str, bv: str | None, ov: str, tv: str) -> str | None:
        if not rules.enabled or key in tied_to:
            return None  # a tied key waits for its head (below)
        return _rule(key, bv, ov, tv)

    def _rule(key: str, bv: str | None, ov: str, tv: str) -> str | None:
        merged = _apply(key, rules.rule_for(key), bv, ov, tv, rules, won)
        if merged is None and rules.rule_for(key) is None:
            merged = _apply(key, "union", bv, ov, tv, rules, won)  # lists by default
        return merged

    body = merge_keyed(rb, ro, rt, resolve)
    values = (dict(rb), dict(ro), dict(rt))
    for i, piece in enumerate(body):
        key = _key_of(piece)
        if isinstance(piece, Clash) and key in tied_to and rules.enabled and key in values[1] and key in values[2]:
            head = tied_to[key]
            # The side whose head value won (its status) brings its own (assignee); else the key's rule.
            merged = values[won[head]][key] if head in won else _rule(key, values[0].get(key), values[1][key], values[2][key])
            if merged is not None:
                body[i] = merged
    return [fo, *body, co], (tb, to, tt)


def _key_of(piece: str | Clash) -> str | None:
    texts = (piece.ours[0], piece.theirs[0]) if isinstance(piece, Clash) else (piece,)
    for text in texts:
        for line in text.splitlines():
            m = _KEY.match(line)
            if m is not None:
                return m.group(1)
    return None


def _apply(key: str, rule: str | None, bv: str | None, ov: str, tv: str, rules: Rules, won: dict[str, int]) -> str | None:
    if rule == "ours":
        return ov
    if rule == "theirs":
        return tv
    if rule in ("max", "min"):
        # A date or date-time, or one that leads a note ("2026-03-10 — Completed plan 12-03").
        (a, rest_a), (b, rest_b) = leading_date(_scalar(ov)), leading_date(_scalar(tv))
        if a is None or b is None or (a.tzinfo is None) != (b.tzinfo is None):
            return None
        if a == b:
            return ov if rest_a == rest_b else None  # the same moment, two notes: theirs to choose
        return ov if (a > b) == (rule == "max") else tv
    if rule == "order":
        order = [v.casefold() for v in rules.orders.get(key, ())]
        a, b = (_scalar(ov) or "").casefold(), (_scalar(tv) or "").casefold()
        if a not in order or b not in order:
            return None
        won[key] = 1 if order.index(a) >= order.index(b) else 2
        return ov if won[key] == 1 else tv
    if rule == "union":
        b_items = _items(bv) if bv is not None else []
        o_items, t_items = _items(ov), _items(tv)
        if b_items is None or o_items is None or t_items is None:
            return None
        removed = {x for x in b_items if x not in o_items or x not in t_items}
        merged = [x for x in o_items if x not in removed]
        merged += [x for x in t_items if x not in merged and x not in removed]
        return _render_list(ov, merged)
    return None


def _own(text: str) -> tuple[str, str]:
    """A record's comment lines before its key, and the key's own lines."""
    lines = text.splitlines(keepends=True)
    k = next((i for i, line in enumerate(lines) if _KEY.match(line)), 0)
    return "".join(lines[:k]), "".join(lines[k:])


def _scalar(text: str) -> str | None:
    """The value of a one-line ``key: value`` record, unquoted; None for anything else."""
    lines = _own(text)[1].splitlines()
    if len(lines) != 1:
        return None
    value = lines[0].split(":", 1)[1].strip()
    if value.startswith("#"):
        return None
    value = _COMMENT.sub("", value)
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
        value = value[1:-1]
    return value


DATE = lazy(r"\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?")


def leading_date(value: str | None):  # type: ignore[no-untyped-def]
    """(the ISO date or date-time a value starts with, the rest), or (None, value)."""
    m = DATE.match(value or "")
    if m is None:
        return None, value
    moment = when(m.group())
    return (moment, value[m.end():].strip()) if moment is not None else (None, value)  # type: ignore[index]


def when(value: str | None):  # type: ignore[no-untyped-def]
    """An ISO date or date-time as a datetime (a date as its midnight), or None."""
    if not value or not DATE.match(value):
        return None
    from datetime import datetime

    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None


def _items(text: str) -> list[str] | None:
    """The items of a list value: ``key: [a, b]`` or ``key:`` then ``- a`` lines; None if not a list."""
    lines = _own(text)[1].splitlines(keepends=True)
    if not lines:
        return None
    value = lines[0].split(":", 1)[1].strip()
    if len(lines) == 1:
        if value.startswith("[") and value.endswith("]") and "[" not in value[1:-1] and not _QUOTE.search(value):
            return [x.strip() for x in value[1:-1].split(",") if x.strip()]
        return None
    if value:
        return None
    out = []
    for line in lines[1:]:
        item = _item(line)
        if item is None:
            return None
        out.append(item[1])
    return out


def _item(line: str) -> tuple[str, str] | None:
    """(indent, text) of a ``- item`` line (one line, as ``splitlines`` gives them), the text
    without the blanks and the line end after it; None for another line."""
    head = _ITEM_HEAD.match(line)
    if head is None:
        return None
    rest = line[head.end():]
    rest = rest[:-2] if rest.endswith("\r\n") else rest[:-1] if rest.endswith("\n") else rest
    rest = rest.rstrip(" \t")
    return None if "\n" in rest else (head.group(1), rest)


def _render_list(style_of: str, items: list[str]) -> str:
    """``items`` written as ``style_of`` writes its list (inline or one ``- item`` a line)."""
    prefix, own = _own(style_of)
    lines = own.splitlines(keepends=True)
    head = lines[0]
    eol = head[len(head.rstrip("\r\n")):] or "\n"
    key = head.split(":", 1)[0]
    if len(lines) == 1:
        return f"{prefix}{key}: [{', '.join(items)}]{eol}"
    item = _item(lines[1])
    indent = item[0] if item else ""
    return f"{prefix}{key}:{eol}" + "".join(f"{indent}- {x}{eol}" for x in items)
