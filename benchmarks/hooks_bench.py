"""`git checkout` with zyflow-git's hooks beside the same checkout with hooks off, in one run.

A repository with 50 task files of 200 tasks each (10,000 tasks). Measured as whole `git
checkout` processes switching between two branches:
  - that differ only in a non-task file (the hooks must add almost nothing),
  - that differ in one task file (one file re-parsed and reconciled),
and a full rebuild of the store (database deleted, `zyflow-git sync`).
Usage: python benchmarks/hooks_bench.py [--runs N]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

from benchutil import EXE, against_copy, p50_p90, scratch  # noqa: E402





def run(args: list[str], cwd: Path, env: dict[str, str]) -> None:
    subprocess.run(args, cwd=cwd, env=env, check=True, capture_output=True)


def build(root: Path, env: dict[str, str]) -> None:
    run(["git", "init", "-q", "-b", "main"], root, env)
    for f in range(50):
        lines = [f"# Change {f}", ""]
        for s in range(10):
            lines += [f"## {s + 1}. Section", ""]
            lines += [f"- [ ] {s + 1}.{t + 1} Task {f}-{s}-{t} with a reasonably long title" for t in range(20)]
            lines.append("")
        path = root / "openspec" / "changes" / f"change-{f:02}" / "tasks.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("\n".join(lines))
    (root / "README.md").write_text("readme\n")
    run(["git", "add", "-A"], root, env)
    run(["git", "commit", "-q", "-m", "base"], root, env)
    run(["git", "branch", "other-readme"], root, env)
    run(["git", "branch", "other-task"], root, env)
    run(["git", "checkout", "-q", "other-readme"], root, env)
    (root / "README.md").write_text("readme changed\n")
    run(["git", "commit", "-q", "-am", "readme"], root, env)
    run(["git", "checkout", "-q", "other-task"], root, env)
    task = root / "openspec" / "changes" / "change-07" / "tasks.md"
    task.write_text(task.read_text().replace("- [ ] 3.4", "- [x] 3.4"))
    run(["git", "commit", "-q", "-am", "check a task"], root, env)
    run(["git", "checkout", "-q", "main"], root, env)


def switch_times(root: Path, env: dict[str, str], other: str, runs: int, hooks: bool) -> list[float]:
    extra = [] if hooks else ["-c", "core.hooksPath=/dev/null"]
    out = []
    for i in range(runs * 2):
        target = other if i % 2 == 0 else "main"
        start = time.perf_counter()
        run(["git", *extra, "checkout", "-q", target], root, env)
        out.append((time.perf_counter() - start) * 1000)
    return out


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=15)
    ap.add_argument("--against", type=Path, help="a checkout of earlier code: its hooks in a copy of the repository, same rounds")
    args = ap.parse_args()
    with scratch("zyflow-hooks-bench-") as (root, env):
        build(root, env)
        old_root = root.parent / "against"
        if args.against:
            _, old_root = against_copy(args.against, root, env, ["install"])
        run([EXE, "install"], root, env)
        print("repository: 50 task files, 10,000 tasks")
        for label, other in (("no task file changed", "other-readme"), ("one task file changed", "other-task")):
            on, off, old = [], [], []
            for _ in range(args.runs):  # alternating, so that a slow moment of the machine hits all
                on += switch_times(root, env, other, 1, hooks=True)
                off += switch_times(root, env, other, 1, hooks=False)
                if args.against:
                    old += switch_times(old_root, env, other, 1, hooks=True)
            added = statistics.median(on) - statistics.median(off)
            print(f"git checkout, {label}:")
            print(f"  hooks on   {p50_p90(on)}")
            print(f"  hooks off  {p50_p90(off)}")
            print(f"  added by zyflow-git (p50): {added:6.1f} ms")
            if old:
                print(f"  --against's hooks on {p50_p90(old)}   added (p50): {statistics.median(old) - statistics.median(off):6.1f} ms")
        db = subprocess.run(["git", "rev-parse", "--path-format=absolute", "--git-path", "zyflow/state.db"],
                            cwd=root, env=env, capture_output=True, text=True, check=True).stdout.strip()
        rebuild = []
        for _ in range(max(3, args.runs // 3)):
            for suffix in ("", "-wal", "-shm"):
                Path(db + suffix).unlink(missing_ok=True)
            start = time.perf_counter()
            run([EXE, "sync"], root, env)
            rebuild.append((time.perf_counter() - start) * 1000)
        print(f"full rebuild of 10,000 tasks (zyflow-git sync, no database): {p50_p90(rebuild)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
