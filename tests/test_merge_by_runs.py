"""Merging by runs (core.runs) gives the whole merge's bytes, or declines.

The whole merge (``trim=False``) is the reference: on the generated scenarios, the corpus with
scattered edits of every kind, generated long files full of the constructs that could make a
run read differently in place (fences, HTML, tables, lazy lines, duplicate lines and labels,
moves, CRLF) and the real merges of ../shared/merge-cases, ``trim=True`` must give the same
bytes, conflict count and notes, or refuse alike.
"""

from __future__ import annotations

import os
import random
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zyflow_git.core.conflicts import Markers
from zyflow_git.core.merge import MergeUnsafe, merge_by_runs, merge_bytes
from zyflow_git.core.runs import Trimmed, find_runs
from zyflow_git.core.text import decode, dominant_eol

from . import runs_reference
from .scenarios import scenarios
from .test_roundtrip import CORPUS, SHARED

MARKERS = (Markers(), Markers(7, "diff3", "ours", "base", "theirs"))
SEEDS = 2 if os.environ.get("CI") else 4  # edit sets per corpus file
CASES = sorted(p for p in (SHARED / "merge-cases").glob("*/*") if (p / "base.md").exists()) if (SHARED / "merge-cases").exists() else []
CORPUS_FILES = CORPUS


def outcome(base: bytes, ours: bytes, theirs: bytes, trim: bool, markers: Markers | None = None) -> tuple[object, ...]:
    try:
        r = merge_bytes(base, ours, theirs, markers, trim=trim)
    except MergeUnsafe as err:
        return ("unsafe", str(err))
    return (r.data, r.conflicts, r.notes)


def same(base: bytes, ours: bytes, theirs: bytes) -> None:
    for markers in MARKERS:
        whole = outcome(base, ours, theirs, False, markers)
        assert outcome(base, ours, theirs, True, markers) == whole, (base, ours, theirs)
    runs_alike(base, ours, theirs)


def runs_alike(base: bytes, ours: bytes, theirs: bytes) -> None:
    """The line-based find_runs trims as the segment-by-segment reference does (but for a lone
    CR, where the reference missed task lines twice: see runs_reference)."""
    texts = [decode(v) for v in (base, ours, theirs)]
    if not any("\r" in line[:-1] or line.endswith("\r") for t in texts for line in t.lines):
        assert find_runs(*texts) == runs_reference.find_runs(*texts), (base, ours, theirs)


def by_runs(base: bytes, ours: bytes, theirs: bytes) -> bool:
    """Whether the merge by runs answered (rather than declined)."""
    t_ours = decode(ours)
    eol = dominant_eol(t_ours.lines)
    return merge_by_runs(decode(base), t_ours, decode(theirs), Markers(), None, eol) is not None


# -- generated long files ----------------------------------------------------------------------------

PIECES = [
    "- [ ] {n}.{k} Plain task {n}-{k}\n",
    "- [x] {n}.{k} Done task {n}-{k}\n  - detail line {k}\n",
    "- [ ] {n}.{k} Parent {n}-{k}\n  - [ ] {n}.{k}.1 Child of {k}\n  - [x] {n}.{k}.2 Other child {k}\n",
    "- [ ] T{n}{k:02d} [P] spec-kit style {k}\n",
    "- [ ]* {n}.{k} Kiro optional {k}\n  - _Requirements: 1.{k}_\n",
    "- [ ] {n}.{k} Wrapped title that goes\n  on the next line {k}\n",
    "- [ ] {n}.{k} With a fence\n\n  ```sh\n  - [ ] not a task {k}\n  ```\n",
    "```\n- [ ] {n}.{k} inside a top-level fence\n",
    "```\n",
    "<!--\n- [ ] {n}.{k} inside a comment\n-->\n",
    "| a | b |\n| --- | --- |\n| {k} | x |\n",
    "Lazy paragraph {k}\n- [ ] {n}.{k} after a paragraph\n",
    "- [ ] {n}.{k} Duplicate line\n",
    "- [ ] 1.1 Same label everywhere\n",
    "\n",
    "\n\n",
    "Some prose {k}.\n\n",
    "- plain bullet {k}\n  - [ ] {n}.{k} task under a bullet\n",
    "- [ ] {n}.{k} then indented code\n\n        code {k}\n",
    "* [ ] {n}.{k} star bullet\n",
    "- [ ] {n}.{k} Title | with a pipe\n",
    "  - [ ] {n}.{k} indented at the start\n",
    "1. [ ] {n}.{k} ordered\n",
]
HEADINGS = ["## {n}. Section {n}\n\n", "### Sub {n}\n", "# Title\n\n", "Setext {n}\n======\n\n"]


def long_file(rnd: random.Random, sections: int, per: int) -> list[str]:
    out: list[str] = []
    for n in range(1, sections + 1):
        out.append(rnd.choice(HEADINGS).format(n=n))
        for k in range(1, per + 1):
            weights = [30, 10, 8, 6, 4, 3, 1, 0.3, 0.3, 0.5, 0.5, 1, 1, 0.5, 3, 1, 1, 1, 0.5, 1, 1, 0.5, 0.5]
            out.append(rnd.choices(PIECES, weights)[0].format(n=n, k=k))
    return out


def edit(rnd: random.Random, pieces: list[str], edits: int, tag: str) -> list[str]:
    out = list(pieces)
    for e in range(edits):
        if not out:
            break
        i = rnd.randrange(len(out))
        kind = rnd.randrange(9)
        if kind == 0:
            out[i] = out[i].replace("[ ]", "[x]", 1) if "[ ]" in out[i] else out[i].replace("[x]", "[ ]", 1)
        elif kind == 1:
            out[i] = out[i].replace("\n", f" ({tag} {e})\n", 1)
        elif kind == 2:
            out.insert(i, f"- [ ] {tag} new task {e}\n")
        elif kind == 3:
            del out[i]
        elif kind == 4:  # a move
            j = rnd.randrange(len(out))
            out.insert(j, out.pop(i))
        elif kind == 5:
            out.insert(i, rnd.choice(PIECES).format(n=1, k=e % 5 + 1))  # may repeat a label or a line
        elif kind == 6:
            out.insert(i, f"{tag} lazy line {e}\n")
        elif kind == 7:
            out.insert(i, rnd.choice(HEADINGS).format(n=e))
        else:
            out[i] = out[i].replace("- [ ] ", f"- [ ] {tag}-", 1)
    return out


@settings(deadline=None)  # the profile's count: 60 in CI, 150 locally, 2,000 thorough
@given(seed=st.integers(0, 2**32 - 1), sections=st.integers(1, 6), per=st.integers(2, 25),
       edits=st.integers(0, 12), crlf=st.booleans(), trailing=st.booleans())
def test_generated_long_files_merge_alike(seed: int, sections: int, per: int, edits: int, crlf: bool, trailing: bool) -> None:
    rnd = random.Random(seed)
    base = long_file(rnd, sections, per)
    ours, theirs = edit(rnd, base, edits, "ours"), edit(rnd, base, rnd.randrange(edits + 1), "theirs")

    def data(pieces: list[str]) -> bytes:
        text = "".join(pieces)
        text = text if trailing else text.rstrip("\n")
        return (text.replace("\n", "\r\n") if crlf else text).encode()

    same(data(base), data(ours), data(theirs))


@settings(deadline=None)
@given(scenarios())
def test_generated_scenarios_merge_alike(sc) -> None:  # type: ignore[no-untyped-def]
    same(*sc.files())


# -- the corpus and real merges -----------------------------------------------------------------------


@pytest.mark.skipif(not CORPUS_FILES, reason="../shared/corpus is absent")
@pytest.mark.parametrize("path", CORPUS_FILES, ids=lambda p: p.name[:40])
def test_corpus_files_with_scattered_edits_merge_alike(path: Path) -> None:
    lines = path.read_bytes().decode("utf-8", "surrogateescape").splitlines(keepends=True)
    for seed in range(SEEDS):
        rnd = random.Random(seed)
        ours, theirs = edit(rnd, lines, 3 + seed * 4, "ours"), edit(rnd, lines, 2 + seed * 3, "theirs")
        same(*("".join(v).encode("utf-8", "surrogateescape") for v in (lines, ours, theirs)))


@pytest.mark.skipif(not CASES, reason="../shared/merge-cases is absent")
def test_real_merges_merge_alike() -> None:
    for case in CASES:
        base, ours, theirs = ((case / f"{n}.md").read_bytes() for n in ("base", "ours", "theirs"))
        assert outcome(base, ours, theirs, True) == outcome(base, ours, theirs, False), case.name


# -- it answers where it should, and declines where it must --------------------------------------------


def plan(tasks: int, edits: dict[int, str] | None = None, extra: str = "") -> bytes:
    lines = ["# Tasks\n\n## 1. Work\n\n"]
    for k in range(1, tasks + 1):
        lines.append((edits or {}).get(k, f"- [ ] 1.{k} Task number {k}\n"))
    return ("".join(lines) + extra).encode()


def test_scattered_edits_merge_by_runs() -> None:
    base = plan(60)
    ours = plan(60, {10: "- [x] 1.10 Task number 10\n", 40: "- [ ] 1.40 Task number 40, reworded\n"})
    theirs = plan(60, {25: "- [x] 1.25 Task number 25\n"}, "- [ ] 1.61 Added by theirs\n")
    assert by_runs(base, ours, theirs)
    trimmed = find_runs(decode(base), decode(ours), decode(theirs))
    assert isinstance(trimmed, Trimmed) and len(trimmed.ours.lines) < 20
    merged = merge_bytes(base, ours, theirs, trim=True)
    assert merged.conflicts == 0 and merged.data == plan(60, {10: "- [x] 1.10 Task number 10\n", 25: "- [x] 1.25 Task number 25\n",
                                                             40: "- [ ] 1.40 Task number 40, reworded\n"}, "- [ ] 1.61 Added by theirs\n")


@pytest.mark.parametrize("why, ours_edit", [
    ("a task moved across a run", {5: "", 50: "- [ ] 1.50 Task number 50\n- [ ] 1.5 Task number 5\n"}),
    ("a new task takes a label a run holds", {10: "- [ ] 1.10 Task number 10\n- [ ] 1.30 Claims a label\n"}),
    ("a top-level fence opened before a run", {10: "- [ ] 1.10 Task number 10\n```\n"}),
])
def test_runs_decline_where_they_could_differ(why: str, ours_edit: dict[int, str]) -> None:
    base = plan(60)
    ours = plan(60, ours_edit)
    theirs = plan(60, {45: "- [x] 1.45 Task number 45\n"})
    assert not by_runs(base, ours, theirs), why
    same(base, ours, theirs)


def test_a_line_twice_keeps_its_segment_out_of_runs() -> None:
    base = plan(40, {7: "- [ ] 1.7 Same\n", 30: "- [ ] 1.7 Same\n"})
    ours = plan(40, {7: "- [ ] 1.7 Same\n", 30: "- [ ] 1.7 Same\n", 3: "- [x] 1.3 Task number 3\n"})
    theirs = plan(40, {7: "- [ ] 1.7 Same\n", 30: "- [ ] 1.7 Same\n", 35: "- [x] 1.35 Task number 35\n"})
    trimmed = find_runs(decode(base), decode(ours), decode(theirs))
    assert trimmed is not None
    assert all("1.7 Same" not in run for run in trimmed.runs.values())
    same(base, ours, theirs)


LINE_PIECES = ["- [ ] 1.1 Task", "- [", "- ", "-  x", "-\tx", "* b", "+ c", "-x", "- \u3000wide", "- \x85", "# H", "####### seven",
               "###### six", "#", "#x", "  - [x] nested", "text", "", "---", "...", "title: x", " # not", "-\u00a0nbsp"]


@settings(max_examples=300 if os.environ.get("CI") else 2000, deadline=None, derandomize=bool(os.environ.get("CI")))
@given(st.lists(st.tuples(st.sampled_from(LINE_PIECES), st.sampled_from(["\n", "\r\n", "\r", ""])), max_size=14))
def test_cuts_are_where_the_line_by_line_reference_cuts(lines: list[tuple[str, str]]) -> None:
    """cuts() takes a shortcut (task lines without a pattern); the plain line-by-line cut of
    the reference is what it must give, with front matter, CRLF and lone CRs."""
    from zyflow_git.core.runs import cuts

    text = decode("".join(piece + eol for piece, eol in lines).encode())
    bounds = cuts(text.lines)
    first = bounds[0] if bounds else len(text.lines)
    segments = ["".join(text.lines[a:b]) for a, b in zip(bounds, [*bounds[1:], len(text.lines)])]
    assert ["".join(text.lines[:first]), *segments] == runs_reference.segments(text)


@settings(max_examples=300 if os.environ.get("CI") else 2000, deadline=None, derandomize=bool(os.environ.get("CI")))
@given(st.lists(st.sampled_from(["- [ ] 1.1 Task\n", "- [x] 1.2 Done\n", "  - [ ] 1.2.1 Child\n", "  - [ ] 1.1 Task\n",
                                 "  detail\n", "\n", "## H\n", "---\n", "- plain\n", "```\n", "- [ ] 1.1 Task"]),
                max_size=12),
       st.lists(st.tuples(st.integers(0, 12), st.sampled_from(["- [ ] 1.9 New\n", "- [x] 1.1 Task\n", "", "## H\n",
                                                            "- [ ] 1.1 Task\n", "  - [ ] 1.2.1 Child\n", "\n"])), max_size=4),
       st.lists(st.tuples(st.integers(0, 12), st.sampled_from(["- [ ] 1.8 Other\n", "", "- [x] 1.2 Done\n", "---\n"])),
                max_size=4))
def test_small_edits_trim_as_the_reference_does(lines: list[str], ours_edits: list[tuple[int, str]],
                                                theirs_edits: list[tuple[int, str]]) -> None:
    """Short texts with lines repeated, moved or swapped (the cases a lookup by first line
    must get right): the same runs and smaller texts as the segment-by-segment reference."""
    def edited(changes: list[tuple[int, str]]) -> bytes:
        out = list(lines)
        for at, line in changes:
            if at < len(out) and not line:
                del out[at]
            else:
                out.insert(min(at, len(out)), line)
        return "".join(out).encode()

    runs_alike("".join(lines).encode(), edited(ours_edits), edited(theirs_edits))


@settings(max_examples=200 if os.environ.get("CI") else 1000, deadline=None, derandomize=bool(os.environ.get("CI")))
@given(st.lists(st.lists(st.tuples(st.sampled_from(LINE_PIECES + ["- [ ] T001 x", "  - [x] 1.2.3 y", "- [ ]* 4. z", "- [~] a-1-2: w", "- [ ] 1.1"]),
                                   st.sampled_from(["\n", "\r\n", "\r"])), min_size=1, max_size=6), min_size=1, max_size=4))
def test_run_labels_are_read_as_at_each_line_start(runs_lines: list[list[tuple[str, str]]]) -> None:
    """Trimmed.labels finds each line by the newline before it; "(?m)^" is the reference."""
    import re

    from zyflow_git.core.runs import _LABELS

    texts = {f"@@zyflow-git run {n} 0@@": "".join(p + e for p, e in lines) for n, lines in enumerate(runs_lines)}
    reference = re.compile("(?m)^" + _LABELS.pattern[2:])
    trimmed = Trimmed(None, None, None, texts, "0")  # type: ignore[arg-type]
    assert trimmed.labels() == [label for label, _ in reference.findall("".join(texts.values()))]


@settings(max_examples=300 if os.environ.get("CI") else 3000, deadline=None, derandomize=bool(os.environ.get("CI")))
@given(st.lists(st.sampled_from(["-", "*", "+", " ", "[", "]", "x", "X", "~", "-", "*", "\t", "|", "a", "1.2", "é", "\u3000"]),
                max_size=12).map("".join),
       st.sampled_from(["- [ ]", "- [x]", "* [X]", "+ [~]", "- [-]", "- [ ]*", "- [ ]**", "-  [ ]", "- [y]", ""]),
       st.sampled_from(["\n", "\r\n", "\r"]))
def test_one_quiet_line_is_read_as_the_pattern_reads_it(rest: str, head: str, eol: str) -> None:
    """_quiet_line (a short pattern and two C searches) answers as _QUIET.fullmatch does for
    one line that ends with its line end."""
    from zyflow_git.core.runs import _QUIET, _quiet_line

    for line in (head + rest + eol, head + " " + rest + eol, head + eol):
        assert _quiet_line(line) == (_QUIET.fullmatch(line) is not None), repr(line)
