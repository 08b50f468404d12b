"""Issue 11's figures: each verb as a whole process on a 2,000-task file, beside `tasks` (the
aim: within 1.5x of it) and `git status` in the same run.

A repository with one generated 2,000-task OpenSpec file (20 sections of 100 tasks), committed,
installed (hooks on). Each write is measured as people run it: `check`/`uncheck` pairs, `edit`,
`claim`/`release` pairs on one task, `add` (the file is reset between runs with git, outside
the timing). Reads: `tasks`, `show` (with history), `ready`, `prime`.
Usage: python benchmarks/actions_bench.py [--runs N]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

from benchutil import EXE, p50_p90, scratch  # noqa: E402

PATH = "openspec/changes/big/tasks.md"


def plan(sections: int = 20, per: int = 100) -> str:
    out = ["# Tasks", ""]
    for s in range(1, sections + 1):
        out += [f"## {s}. Section {s}", ""]
        out += [f"- [{'x' if (s * per + t) % 3 == 0 else ' '}] {s}.{t} Task {t} of section {s}: do the thing"
                for t in range(1, per + 1)]
        out.append("")
    return "\n".join(out)


def planned_repo(root: Path, env: dict[str, str]) -> None:
    """``root`` as a repository holding the 2,000-task file, zyflow-git installed, committed."""
    run = lambda *a: subprocess.run(list(a), cwd=root, env=env, check=True, capture_output=True)  # noqa: E731
    run("git", "init", "-q")
    (root / PATH).parent.mkdir(parents=True)
    (root / PATH).write_text(plan())
    run("git", "add", "-A")
    run("git", "commit", "-qm", "plan")
    run(EXE, "install")
    run("git", "add", "-A")
    run("git", "commit", "-qm", "install")


def timed(args: list[str], root: Path, env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(args, cwd=root, env=env, check=True, capture_output=True)
    return (time.perf_counter() - start) * 1000


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=11)
    args = ap.parse_args()
    with scratch("zyflow-actions-") as (root, env):
        run = lambda *a: subprocess.run(list(a), cwd=root, env=env, check=True, capture_output=True, text=True)  # noqa: E731
        planned_repo(root, env)
        sel = f"{PATH}#10.51"  # open (every third task is done)
        tid = json.loads(run(EXE, "show", sel, "--json").stdout)["id"]
        n = args.runs
        rows: list[tuple[str, list[float]]] = []
        rows.append(("tasks", [timed([EXE, "tasks"], root, env) for _ in range(n)]))
        rows.append(("tasks --json", [timed([EXE, "tasks", "--json"], root, env) for _ in range(n)]))
        rows.append(("show PATH#LABEL", [timed([EXE, "show", sel], root, env) for _ in range(n)]))
        rows.append(("ready --limit 10", [timed([EXE, "ready", "--limit", "10"], root, env) for _ in range(n)]))
        rows.append(("prime", [timed([EXE, "prime"], root, env) for _ in range(n)]))
        checks = []
        for _ in range(n):
            checks.append(timed([EXE, "check", tid], root, env))
            checks.append(timed([EXE, "uncheck", tid], root, env))
        rows.append(("check / uncheck ID", checks))
        rows.append(("check PATH#LABEL", [timed([EXE, "check", sel], root, env)] +
                     [timed([EXE, "uncheck", sel], root, env) for _ in range(1)]))
        edits = []
        for k in range(n):
            edits.append(timed([EXE, "edit", tid, "--title", f"Task 51 of section 10: do the thing {k}"], root, env))
        rows.append(("edit ID --title", edits))
        run("git", "checkout", "--", PATH)
        claims = []
        for _ in range(n):
            claims.append(timed([EXE, "claim", tid, "--as", "bench"], root, env))
            claims.append(timed([EXE, "release", tid], root, env))
        rows.append(("claim / release ID", claims))
        adds = []
        for _ in range(n):
            adds.append(timed([EXE, "add", "One more", "--after", sel], root, env))
            run("git", "checkout", "--", PATH)
        rows.append(("add --after PATH#LABEL (renumbers 50)", adds))
        status = [timed(["git", "status", "--short"], root, env) for _ in range(n)]
        rows.append(("git status --short", status))
        base = sorted(rows[0][1])[len(rows[0][1]) // 2]
        for name, samples in rows:
            ratio = sorted(samples)[len(samples) // 2] / base
            print(f"{name:<40} {p50_p90(samples)}   {ratio:4.2f}x tasks")
    return 0


if __name__ == "__main__":
    sys.exit(main())
