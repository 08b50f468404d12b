"""The segment-by-segment ``find_runs`` (sessions 4-6), the reference the line-based one is held to.

It cuts all three versions into segment texts, and finds each base segment in ours and
theirs by its text; the task lines some version holds twice are found with "(?m)^", which does
not start a line after a lone CR (the line-based one checks every line: it may keep a
segment of a CR-only file out of a run where this one did not).
"""

from __future__ import annotations

import re

from zyflow_git.core.runs import _QUIET, _TASK, _TASK_LINE, _TOP, PLACEHOLDER, Trimmed, _eol_of
from zyflow_git.core.structure import front_matter_end
from zyflow_git.core.tally import tally
from zyflow_git.core.text import Text, split_lines

_TASKS = re.compile(r"(?m)^" + _TASK_LINE)
_LINE_END = re.compile(r" *(?:\r\n|\r|\n)?")


def segments(text: Text) -> list[str]:
    """The text cut before each top-level line after its front matter, line by line; the
    first segment is what comes before the first such line, possibly empty."""
    lines = text.lines
    cuts = [0]
    for i in range(front_matter_end(lines), len(lines)):
        line = lines[i]
        c = line[:1]
        if c == "-" or c == "*" or c == "+":
            if line[1:2] != " " or not line[2:3] or line[2:3].isspace():  # _TOP's "[-*+] \S"
                continue
        elif c != "#" or not _TOP.match(line):
            continue
        cuts.append(i)
    cuts.append(len(lines))
    if len(cuts) > 2 and cuts[1] == 0:
        cuts[1:2] = []  # the text opens with a top-level line: the first segment is empty
        return [""] + ["".join(lines[a:b]) for a, b in zip(cuts, cuts[1:])]
    return ["".join(lines[a:b]) for a, b in zip(cuts, cuts[1:])]


def find_runs(base: Text, ours: Text, theirs: Text) -> Trimmed | None:
    segs = [segments(t) for t in (base, ours, theirs)]
    where_o, where_t = _positions(segs[1]), _positions(segs[2])
    seen_b = _positions(segs[0])
    last_o, last_t = len(segs[1]) - 1, len(segs[2]) - 1
    twice = _twice_task_lines(base, ours, theirs)
    quiet: list[tuple[int, int, int]] = []
    for i in range(1, len(segs[0]) - 1):  # the first and the last segment always stay
        seg = segs[0][i]
        j = where_o.get(seg, -1)
        if j <= 0 or j == last_o:
            continue
        k = where_t.get(seg, -1)
        if k <= 0 or k == last_t or seen_b[seg] < 0 or _QUIET.fullmatch(seg) is None:
            continue
        if twice and any(line in twice for line in _TASKS.findall(seg)):
            continue
        quiet.append((i, j, k))
    groups: list[list[tuple[int, int, int]]] = []
    for q in quiet:
        if groups and groups[-1][-1][0] + 1 == q[0] and groups[-1][-1][1] + 1 == q[1] and groups[-1][-1][2] + 1 == q[2]:
            groups[-1].append(q)
        elif not groups or (q[1] > groups[-1][-1][1] and q[2] > groups[-1][-1][2]):
            groups.append([q])
    if not groups:
        return None
    joined = ["".join(s) for s in segs]
    n = 0
    while any(f"{n:x}@@" in j for j in joined):
        n += 1
    nonce = f"{n:x}"
    runs: dict[str, str] = {}
    plans: list[list[tuple[int, int, str]]] = [[], [], []]
    for n, group in enumerate(groups):
        title = PLACEHOLDER.format(n=n, nonce=nonce)
        text = "".join(segs[0][group[0][0]:group[-1][0] + 1])
        end = _LINE_END.match(text, len(text.rstrip(" \r\n")))
        body = text[:end.end()] if end else text
        runs[title] = body
        line = f"- [ ] {title}{_eol_of(body)}{text[len(body):]}"
        for v in range(3):
            plans[v].append((group[0][v], group[-1][v], line))
    trimmed = [Text(t.bom, split_lines(_replace(sv, plan))) for t, sv, plan in zip((base, ours, theirs), segs, plans)]
    return Trimmed(trimmed[0], trimmed[1], trimmed[2], runs, nonce)


def _positions(texts: list[str]) -> dict[str, int]:
    out = dict(zip(texts, range(len(texts))))
    for t, n in tally(texts).items():
        if n > 1:
            out[t] = -1
    return out


def _twice_task_lines(*texts: Text) -> set[str]:
    out: set[str] = set()
    for t in texts:
        out.update(line for line, n in tally(t.lines).items() if n > 1 and _TASK.fullmatch(line))
    return out


def _replace(segs: list[str], plan: list[tuple[int, int, str]]) -> str:
    out: list[str] = []
    pos = 0
    for first, last, line in plan:
        out += segs[pos:first]
        out.append(line)
        pos = last + 1
    out += segs[pos:]
    return "".join(out)
