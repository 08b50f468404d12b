"""Generated three-way merge scenarios in four task-file formats, with the merge each must give.

A scenario is a small model (sections of tasks, each task known by a ``q<uid>`` token in its
title, each section by ``s<uid>`` in its name), two sides' edits of one kind (plus unrelated
toggles on either side), the three rendered files, and the expected merge as the model
it must read back as: which tasks, in which section, in which order, checked or not, with
which title and detail lines; or, for true conflicts, which task must be in conflict.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field

from hypothesis import strategies as st

FORMATS = ("openspec", "speckit", "kiro", "plain")
KINDS = ("one-sided", "both-append", "both-insert-after", "section-vs-append", "move", "toggle-by-delete",
         "both-add-section", "reword-vs-check", "true-conflict")
WORDS = ("parser", "renderer", "store", "hooks", "docs", "bench", "login", "cache", "schema", "api", "렌더러", "настройка")


@dataclass
class Task:
    uid: int
    words: list[str]
    done: bool = False
    details: list[str] = field(default_factory=list)
    tid: int = 0  # spec-kit's T-number, fixed when the task is written

    @property
    def title(self) -> str:
        return " ".join(self.words + [f"q{self.uid}"])


@dataclass
class Section:
    uid: int
    name: str
    tasks: list[Task] = field(default_factory=list)

    @property
    def title(self) -> str:
        return f"{self.name} s{self.uid}"


Doc = list[Section]


def render(doc: Doc, fmt: str) -> bytes:
    """The model written as a real file of the format (labels as its authors would write them)."""
    out = {"openspec": ["# Tasks", ""], "speckit": ["# Tasks: Feature", ""], "kiro": ["# Implementation Plan", ""],
           "plain": ["# TODO", ""]}[fmt]
    number = 0
    for i, s in enumerate(doc, 1):
        out += [{"openspec": f"## {i}. {s.title}", "speckit": f"## Phase {i}: {s.title}"}.get(fmt, f"## {s.title}"), ""]
        for j, t in enumerate(s.tasks, 1):
            number += 1
            label = {"openspec": f"{i}.{j} ", "speckit": f"T{t.tid:03d} ", "kiro": f"{number}. "}.get(fmt, "")
            out.append(f"- [{'x' if t.done else ' '}] {label}{t.title}")
            out += [f"  - {d}" for d in t.details]
        out.append("")
    return ("\n".join(out).rstrip("\n") + "\n").encode()


class Scenario:
    """Base, the two sides and the expected merge, as models, and how to render them."""

    def __init__(self, fmt: str, kind: str, base: Doc, ours: Doc, theirs: Doc, expected: Doc, conflict: tuple[str, str] | None) -> None:
        self.fmt, self.kind = fmt, kind
        self.base, self.ours, self.theirs, self.expected = base, ours, theirs, expected
        self.conflict = conflict  # ours' and theirs' titles of the task that must end in conflict

    def files(self) -> tuple[bytes, bytes, bytes]:
        return render(self.base, self.fmt), render(self.ours, self.fmt), render(self.theirs, self.fmt)

    def __repr__(self) -> str:
        b, o, t = (x.decode() for x in self.files())
        return f"Scenario({self.fmt}, {self.kind})\n--- base\n{b}--- ours\n{o}--- theirs\n{t}"


class _Sides:
    """Builds the two sides and the expected merge together, one edit at a time."""

    def __init__(self, base: Doc, next_uid: int) -> None:
        self.docs = {"o": copy.deepcopy(base), "t": copy.deepcopy(base), "e": copy.deepcopy(base)}
        self.next_uid = next_uid
        self.new: dict[str, set[int]] = {"o": set(), "t": set()}  # uids each side added
        highest = max((t.tid for s in base for t in s.tasks), default=0)
        self.next_tid = {"o": highest + 1, "t": highest + 1}

    def task(self, side: str, words: list[str], details: list[str]) -> Task:
        self.next_uid += 1
        t = Task(self.next_uid, words, False, details, self.next_tid[side])
        self.next_tid[side] += 1
        self.new[side].add(self.next_uid)
        return t

    @staticmethod
    def find(doc: Doc, uid: int) -> tuple[Section, int]:
        for s in doc:
            for i, t in enumerate(s.tasks):
                if t.uid == uid:
                    return s, i
        raise KeyError(uid)

    def apply(self, side: str, op: str, *args: object) -> None:
        """Apply an edit to one side and to the expected merge (theirs' inserts after ours')."""
        for key in (side, "e"):
            doc = self.docs[key]
            after_ours = key == "e" and side == "t"
            if op == "toggle":
                s, i = self.find(doc, args[0])  # type: ignore[arg-type]
                s.tasks[i].done = not s.tasks[i].done
            elif op == "reword":
                s, i = self.find(doc, args[0])  # type: ignore[arg-type]
                s.tasks[i].words = s.tasks[i].words + [args[1]]  # type: ignore[list-item]
            elif op == "delete":
                s, i = self.find(doc, args[0])  # type: ignore[arg-type]
                del s.tasks[i]
            elif op == "append":
                s = next(x for x in doc if x.uid == args[0])
                s.tasks.append(copy.deepcopy(args[1]))  # type: ignore[arg-type]
            elif op == "insert_after":
                s, i = self.find(doc, args[0])  # type: ignore[arg-type]
                i += 1
                while after_ours and i < len(s.tasks) and s.tasks[i].uid in self.new["o"]:
                    i += 1
                s.tasks.insert(i, copy.deepcopy(args[1]))  # type: ignore[arg-type]
            elif op == "add_section":
                at = next((k + 1 for k, x in enumerate(doc) if x.uid == args[0]), 0)
                while after_ours and at < len(doc) and doc[at].uid in self.new["o"]:
                    at += 1
                doc.insert(at, copy.deepcopy(args[1]))  # type: ignore[arg-type]
            elif op == "move":
                s, i = self.find(doc, args[0])  # type: ignore[arg-type]
                t = s.tasks.pop(i)
                next(x for x in doc if x.uid == args[1]).tasks.append(t)
            else:
                raise ValueError(op)

    def section(self, side: str, words: str, tasks: list[Task]) -> Section:
        self.next_uid += 1
        self.new[side].add(self.next_uid)
        return Section(self.next_uid, words, tasks)


@st.composite
def scenarios(draw: st.DrawFn, formats: tuple[str, ...] = FORMATS, kinds: tuple[str, ...] = KINDS) -> Scenario:
    """A base plan, a scenario of one kind on top of it, and the merge it must give."""
    fmt, kind = draw(st.sampled_from(formats)), draw(st.sampled_from(kinds))
    uid = iter(range(1, 10_000))
    words = st.lists(st.sampled_from(WORDS), min_size=1, max_size=3)
    detail = st.sampled_from(["files: src/app.py", "_Requirements: 1.1, 2.3_", "see the design doc", "테스트 포함"])
    base: Doc = []
    for _ in range(draw(st.integers(2, 4))):
        s = Section(next(uid), draw(st.sampled_from(["Setup", "Build", "Ship", "Polish", "Docs"])))
        for _ in range(draw(st.integers(1, 4))):
            s.tasks.append(Task(next(uid), draw(words), draw(st.booleans()), draw(st.lists(detail, max_size=2))))
        base.append(s)
    tid = iter(range(1, 10_000))
    for s in base:
        for t in s.tasks:
            t.tid = next(tid)
    sides = _Sides(base, next(uid))
    tasks = [t.uid for s in base for t in s.tasks]
    first, second = draw(st.sampled_from([("o", "t"), ("t", "o")]))
    involved: set[int] = set()
    conflict: tuple[str, str] | None = None

    def new_task(side: str) -> Task:
        return sides.task(side, draw(words), draw(st.lists(detail, max_size=2)))

    if kind == "one-sided":
        for _ in range(draw(st.integers(1, 3))):
            live = [t.uid for s in sides.docs[first] for t in s.tasks]
            op = draw(st.sampled_from(["toggle", "reword", "delete", "append", "insert_after"] if live else ["append"]))
            if op in ("toggle", "reword", "delete", "insert_after"):
                target = draw(st.sampled_from(live))
                involved.add(target)
                extra = {"reword": ("extra",), "insert_after": (new_task(first),)}.get(op, ())
                sides.apply(first, op, target, *extra)
            else:
                sides.apply(first, "append", draw(st.sampled_from(base)).uid, new_task(first))
    elif kind == "both-append":
        s = draw(st.sampled_from(base)).uid
        sides.apply("o", "append", s, new_task("o"))
        sides.apply("t", "append", s, new_task("t"))
    elif kind == "both-insert-after":
        target = draw(st.sampled_from(tasks))
        involved.add(target)
        sides.apply("o", "insert_after", target, new_task("o"))
        sides.apply("t", "insert_after", target, new_task("t"))
    elif kind == "section-vs-append":
        k = draw(st.integers(0, len(base) - 1))
        new = sides.section(first, draw(st.sampled_from(["Baseline", "Hardening", "Release"])), [new_task(first)])
        sides.apply(first, "add_section", base[k].uid, new)
        sides.apply(second, "append", base[k].uid, new_task(second))
    elif kind == "move":
        target = draw(st.sampled_from(tasks))
        involved.add(target)
        home = _Sides.find(base, target)[0].uid
        to = draw(st.sampled_from([s.uid for s in base if s.uid != home]))
        sides.apply(first, "move", target, to)
        if draw(st.booleans()):
            sides.apply(second, "toggle", target)
    elif kind == "toggle-by-delete":
        s = draw(st.sampled_from([s for s in base if len(s.tasks) >= 2] or base))
        if len(s.tasks) >= 2:
            i = draw(st.integers(0, len(s.tasks) - 2))
            gone, toggled = (s.tasks[i].uid, s.tasks[i + 1].uid) if draw(st.booleans()) else (s.tasks[i + 1].uid, s.tasks[i].uid)
            involved |= {gone, toggled}
            sides.apply(first, "delete", gone)
            sides.apply(second, "toggle", toggled)
    elif kind == "both-add-section":
        after = draw(st.sampled_from(base)).uid
        sides.apply("o", "add_section", after, sides.section("o", "Ours", [new_task("o"), new_task("o")]))
        sides.apply("t", "add_section", after, sides.section("t", "Theirs", [new_task("t")]))
    elif kind == "reword-vs-check":
        target = draw(st.sampled_from(tasks))
        involved.add(target)
        sides.apply(first, "reword", target, "carefully")
        sides.apply(second, "toggle", target)
    elif kind == "true-conflict":  # both reword one task: the same words, or beyond recognition
        target = draw(st.sampled_from(tasks))
        involved.add(target)
        rewrite = draw(st.booleans())
        titles = []
        for side, word, new in (("o", "today", "move every secret into the vault"),
                                ("t", "tomorrow", "drop the legacy config loader entirely")):
            s, i = _Sides.find(sides.docs[side], target)
            s.tasks[i].words = new.split() if rewrite else s.tasks[i].words + [word]
            titles.append(s.tasks[i].title)
        conflict = (titles[0], titles[1])
    # Unrelated toggles on either side, never on the same task.
    free = [u for u in tasks if u not in involved and _alive(sides, u)]
    picked = draw(st.lists(st.sampled_from(free), max_size=3, unique=True)) if free else []
    for n, target in enumerate(picked):
        sides.apply("o" if n % 2 == 0 else "t", "toggle", target)
    return Scenario(fmt, kind, base, sides.docs["o"], sides.docs["t"], sides.docs["e"], conflict)


def _alive(sides: _Sides, uid: int) -> bool:
    """Still in all three: on both sides and in the expected merge."""
    return all(any(t.uid == uid for s in doc for t in s.tasks) for doc in sides.docs.values())


_TOKEN = re.compile(r"\bq(\d+)\b")
_SECTION = re.compile(r"\bs(\d+)\b")


def read_back(data: bytes) -> list[tuple[int, list[tuple[int, str, bool, tuple[str, ...], str]]]]:
    """A merged file as (section uid, [(task uid, title, done, detail lines, label)]) in order."""
    from zyflow_git.core.model import Heading, Task as TaskUnit
    from zyflow_git.core.parse import parse_bytes

    out: list[tuple[int, list[tuple[int, str, bool, tuple[str, ...], str]]]] = []
    for unit in parse_bytes(data).units:
        if isinstance(unit, Heading):
            m = _SECTION.search(unit.text)
            if m:
                out.append((int(m.group(1)), []))
        elif isinstance(unit, TaskUnit):
            m = _TOKEN.search(unit.title)
            assert m and out, f"a task outside any section: {unit.head()!r}"
            details = tuple(line.strip()[2:] for line in unit.body if line.strip())
            out[-1][1].append((int(m.group(1)), unit.title, unit.done, details, unit.label))
    return out


def expected_view(doc: Doc) -> list[tuple[int, list[tuple[int, str, bool, tuple[str, ...]]]]]:
    return [(s.uid, [(t.uid, t.title, t.done, tuple(t.details)) for t in s.tasks]) for s in doc]
