"""Run the structured merge over ../shared/merge-cases and report how it compares.

For each case: clean or not, against git merge-file, and the invariants (no task lost, no task
duplicated, every one-sided toggle kept). Usage: python benchmarks/merge_cases_report.py [-v]
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

from zyflow_git.core.conflicts import Markers
from zyflow_git.core.identity import normalize_title
from zyflow_git.core.parse import parse_bytes
from zyflow_git.mergedriver import line_merge, merge_three

CASES = Path(__file__).resolve().parents[2] / "shared" / "merge-cases"


def titles(data: bytes) -> Counter[str]:
    return Counter(normalize_title(t.title) for t in parse_bytes(data).tasks)


def states(data: bytes) -> dict[str, bool]:
    return {normalize_title(t.title): t.done for t in parse_bytes(data).tasks}


def check(case: Path) -> dict[str, object]:
    base, ours, theirs, merged = ((case / f"{n}.md").read_bytes() for n in ("base", "ours", "theirs", "merged"))
    out = merge_three(base, ours, theirs, path=str(case / "tasks.md"), markers=Markers())
    git_data, git_conflicts = line_merge(base, ours, theirs, Markers())
    problems: list[str] = []
    if out.conflicts == 0:
        got = titles(out.data)
        b, o, t = titles(base), titles(ours), titles(theirs)
        for title in (o | t):
            # kept: on a side and not deleted by the other side (present in base, absent there)
            deleted = (title in b) and (title not in o or title not in t)
            if not deleted and got[title] < max(o[title], t[title]) and not (title in b and (o[title] < b[title] or t[title] < b[title])):
                problems.append(f"lost: {title[:50]}")
        for title, n in got.items():
            if n > max(o[title], t[title]):
                problems.append(f"duplicated: {title[:50]}")
        sb, so, st, sg = states(base), states(ours), states(theirs), states(out.data)
        for title in sg:
            for side, other in ((so, st), (st, so)):
                if title in sb and title in side and title in other and side[title] != sb[title] and other[title] == sb[title] and sg[title] != side[title]:
                    problems.append(f"toggle lost: {title[:50]}")
    return {
        "case": case.parent.name + "/" + case.name,
        "clean": out.conflicts == 0, "conflicts": out.conflicts, "structured": out.structured,
        "note": out.note, "git_clean": git_conflicts == 0,
        "equals_merged": out.data == merged, "equals_git": out.data == git_data,
        "problems": problems,
    }


def main() -> int:
    verbose = "-v" in sys.argv
    rows = [check(c) for c in sorted(CASES.glob("*/*")) if (c / "base.md").exists()]
    n = len(rows)
    print(f"cases: {n}")
    print(f"clean (zyflow): {sum(r['clean'] for r in rows)}   clean (git merge-file): {sum(r['git_clean'] for r in rows)}")
    print(f"git clean but zyflow not: {sum(r['git_clean'] and not r['clean'] for r in rows)}")
    print(f"structured: {sum(r['structured'] for r in rows)}   fell back: {sum(not r['structured'] for r in rows)}")
    print(f"equal to the human merge: {sum(r['equals_merged'] for r in rows)}")
    print(f"invariant problems: {sum(bool(r['problems']) for r in rows)}")
    notes = Counter(str(r["note"]) for r in rows if r["note"])
    for note, k in notes.most_common():
        print(f"  fallback: {k} x {note}")
    if verbose:
        for r in rows:
            if r["problems"] or not r["clean"] or not r["structured"]:
                print(json.dumps(r, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
