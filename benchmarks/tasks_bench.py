"""`zyflow-git tasks` (warm) on a repository shaped like a real OpenSpec one, beside `git status`.

179 task files under openspec/changes/ with 4,314 tasks in all (5 to 45 a file, sections,
details, some checked), committed, zyflow-git installed, the store warm. Whole processes,
alternating in one run. With ``--against TREE`` (a checkout of an earlier commit, e.g. from
``git worktree add /tmp/old REV``) the same commands of that code run in a copy of the
repository with its own store, in the same rounds.
Usage: python benchmarks/tasks_bench.py [--runs N] [--against TREE]
"""

from __future__ import annotations

import argparse
import random
import subprocess
import sys
import time
from pathlib import Path

from benchutil import EXE, against_copy, p50_p90, scratch  # noqa: E402

FILES, TASKS = 179, 4314


def build(root: Path, env: dict[str, str], exe: str) -> None:
    rnd = random.Random(15)
    sizes = [5 + rnd.randrange(41) for _ in range(FILES)]
    sizes[-1] += TASKS - sum(sizes)  # exactly TASKS in all
    subprocess.run(["git", "init", "-q", "-b", "main"], cwd=root, env=env, check=True)
    for f, size in enumerate(sizes):
        lines = [f"# Tasks: change {f}", ""]
        for t in range(size):
            if t % 8 == 0:
                lines += ["", f"## {t // 8 + 1}. Part {t // 8 + 1}", ""]
            lines.append(f"- [{'x' if rnd.random() < 0.4 else ' '}] {t // 8 + 1}.{t % 8 + 1} Implement piece {t} of change {f}")
            if t % 5 == 0:
                lines.append(f"  - detail for piece {t}")
        path = root / "openspec" / "changes" / f"change-{f:03}" / "tasks.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("\n".join(lines) + "\n")
    subprocess.run(["git", "add", "-A"], cwd=root, env=env, check=True)
    subprocess.run(["git", "commit", "-q", "-m", "plans"], cwd=root, env=env, check=True)
    subprocess.run([exe, "install"], cwd=root, env=env, check=True, capture_output=True)
    subprocess.run([exe, "tasks"], cwd=root, env=env, check=True, capture_output=True)  # warm store


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=21)
    ap.add_argument("--against", type=Path, help="a checkout of earlier code to time beside this one")
    args = ap.parse_args()
    with scratch("zyflow-tasks-bench-") as (root, env):
        cases = [("zyflow-git tasks", [EXE, "tasks"], root), ("zyflow-git tasks --json", [EXE, "tasks", "--json"], root)]
        build(root, env, EXE)
        if args.against:
            old, old_root = against_copy(args.against, root, env, ["install"], ["tasks"])
            cases += [("against: tasks", [old, "tasks"], old_root), ("against: tasks --json", [old, "tasks", "--json"], old_root)]
        cases.append(("git status", ["git", "status", "--short"], root))
        samples: dict[str, list[float]] = {name: [] for name, _, _ in cases}
        for _ in range(args.runs):
            for name, cmd, cwd in cases:
                start = time.perf_counter()
                subprocess.run(cmd, cwd=cwd, env=env, check=True, capture_output=True)
                samples[name].append((time.perf_counter() - start) * 1000)
        print(f"{FILES} task files, {TASKS:,} tasks, {args.runs} rounds:")
        for name, _, _ in cases:
            print(f"  {name:<28} {p50_p90(samples[name])}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
