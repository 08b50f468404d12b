"""Run the structured merge over ../shared/merge-cases and report how it compares.

For each case: clean or not, against git merge-file, and the invariants (no task lost, no task
duplicated, every one-sided toggle kept). Usage: python benchmarks/merge_cases_report.py [-v]
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.merge_invariants import problems as invariant_problems  # noqa: E402
from zyflow_git.core.conflicts import Markers  # noqa: E402
from zyflow_git.mergedriver import line_merge, merge_three  # noqa: E402

CASES = Path(__file__).resolve().parents[2] / "shared" / "merge-cases"


def check(case: Path) -> dict[str, object]:
    base, ours, theirs, merged = ((case / f"{n}.md").read_bytes() for n in ("base", "ours", "theirs", "merged"))
    out = merge_three(base, ours, theirs, path=str(case / "tasks.md"), markers=Markers())
    git_data, git_conflicts = line_merge(base, ours, theirs, Markers())
    problems: list[str] = []
    if out.conflicts == 0:
        problems = invariant_problems(base, ours, theirs, out.data)
    return {
        "repo": case.parent.name, "add_add": not base,
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
    print("per repository (format): cases, add/add, conflicted with git merge-file, conflicted with zyflow-git")
    for repo in sorted({str(r["repo"]) for r in rows}):
        mine = [r for r in rows if r["repo"] == repo]
        print(f"  {repo:<42} {len(mine):>4} {sum(bool(r['add_add']) for r in mine):>4}"
              f" {sum(not r['git_clean'] for r in mine):>4} {sum(not r['clean'] for r in mine):>4}")
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
