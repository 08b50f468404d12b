"""Issue 10's figures: the first sync of a repository with history, `tasks` and `set` as whole
processes, with a git command of the same kind beside them in the same run.

A generated history (default 1,000 commits over 50 task files, as audit_bench builds it).
  - first sync: `zyflow-git tasks` on a store that does not exist yet (it walks the history
    once, for ids that are the same in every worktree and clone), beside `git log --oneline`;
  - `tasks`, warm (store fresh, runtime log caught up);
  - `set` (a commit on refs/zyflow/runtime by compare-and-swap, then the projection), beside
    `git update-ref` of a throwaway ref.
Usage: python benchmarks/runtime_bench.py [--commits N] [--runs N]
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys

from audit_bench import history, timed  # noqa: E402
from benchutil import EXE, p50_p90, scratch  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--commits", type=int, default=1000)
    ap.add_argument("--runs", type=int, default=11)
    args = ap.parse_args()
    with scratch("zyflow-runtime-") as (root, env):
        history(root, env, args.commits)
        store = root / ".git" / "zyflow"
        first = []
        for _ in range(3):
            shutil.rmtree(store, ignore_errors=True)
            first.append(timed([EXE, "tasks"], root, env))
        log = [timed(["git", "log", "--oneline"], root, env) for _ in range(3)]
        print(f"first sync ({args.commits:,} commits): p50 {sorted(first)[1]:7.1f} ms"
              f"   (git log --oneline: {sorted(log)[1]:.1f} ms)")
        tasks = [timed([EXE, "tasks"], root, env) for _ in range(args.runs)]
        print(f"tasks, warm:                  {p50_p90(tasks)}")
        tid = json.loads(subprocess.run([EXE, "tasks", "--json"], cwd=root, env=env, capture_output=True,
                                        text=True, check=True).stdout)[0]["id"]
        sets = [timed([EXE, "set", tid, "--note", f"n{i}"], root, env) for i in range(args.runs)]
        print(f"set (runtime log in git):     {p50_p90(sets)}")
        head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=root, env=env, capture_output=True, text=True).stdout.strip()
        refs = [timed(["git", "update-ref", "refs/bench/x", head], root, env) for _ in range(args.runs)]
        print(f"git update-ref:               {p50_p90(refs)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
