"""A cold `zyflow-git log --json` on a stand-in for issue 15's real OpenSpec repository.

The issue measured 3.1 s on a repository of 969 commits, 179 task files and 4,314 tasks. The
stand-in: `tasks_bench.py`'s 179 files and 4,314 tasks, committed, then 968 commits (git
fast-import) that each check, uncheck, insert or reword a task in one file. Measured beside
`git log -p -- '*tasks.md'` in the same rounds, cold two ways: with no store at all (the
first sync and the whole walk) and with the store synced but its event cache emptied.
Usage: python benchmarks/log_bench.py [--runs N] [--against TREE]
"""

from __future__ import annotations

import argparse
import random
import statistics
import subprocess
import sys
from pathlib import Path

import tasks_bench
from audit_bench import drop_cache, timed
from benchutil import EXE, against_copy, scratch  # noqa: E402

COMMITS = 968


def history(root: Path, env: dict[str, str]) -> None:
    """The 968 commits on top of the planned files, each changing one task of one file."""
    rnd = random.Random(969)
    paths = sorted(p.relative_to(root).as_posix() for p in root.glob("openspec/changes/*/tasks.md"))
    files = {p: (root / p).read_text().splitlines() for p in paths}
    paths = [p for p in paths if any(line.startswith("- [") for line in files[p])]
    stream = []
    for n in range(COMMITS):
        path = rnd.choice(paths)
        lines = files[path]
        tasks = [i for i, line in enumerate(lines) if line.startswith("- [")]
        i, op = rnd.choice(tasks), rnd.random()
        if op < 0.55:
            lines[i] = lines[i].replace("[ ]", "[x]", 1) if "[ ]" in lines[i] else lines[i].replace("[x]", "[ ]", 1)
        elif op < 0.85:
            lines.insert(i + 1, f"- [ ] {n}.1 Added in commit {n}")
        else:
            lines[i] += " (reworded)"
        data = ("\n".join(lines) + "\n").encode()
        stream.append(f"commit refs/heads/main\ncommitter b <b@x> {1700000000 + n * 60} +0000\n"
                      f"data {len(f'commit {n}')}\ncommit {n}\n".encode())
        if n == 0:
            stream.append(b"from refs/heads/main^0\n")
        stream.append(f"M 100644 inline {path}\ndata {len(data)}\n".encode() + data + b"\n")
    subprocess.run(["git", "fast-import", "--quiet"], cwd=root, env=env, input=b"".join(stream), check=True)
    subprocess.run(["git", "reset", "-q", "--hard", "main"], cwd=root, env=env, check=True)


def no_store(root: Path) -> None:
    for path in (root / ".git" / "zyflow").glob("state.db*"):
        path.unlink()


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--against", type=Path, help="a checkout of earlier code, timed in a copy in the same rounds")
    args = ap.parse_args()
    with scratch("zyflow-log-bench-") as (root, env):
        tasks_bench.build(root, env, EXE)
        history(root, env)
        trees = [("zyflow-git log --json", EXE, root)]
        if args.against:
            old, old_root = against_copy(args.against, root, env, ["install"])
            trees.append(("--against's log --json", old, old_root))
        samples: dict[str, list[float]] = {"git log -p": []}
        for _ in range(args.runs):
            samples["git log -p"].append(timed(["git", "log", "-p", "--", "*tasks.md"], root, env))
            for name, exe, where in trees:
                no_store(where)
                samples.setdefault(f"{name}, no store", []).append(timed([exe, "log", "--json"], where, env))
                drop_cache(where / ".git" / "zyflow" / "state.db")
                samples.setdefault(f"{name}, events dropped", []).append(timed([exe, "log", "--json"], where, env))
        commits = subprocess.run(["git", "rev-list", "--count", "HEAD"], cwd=root, env=env, capture_output=True,
                                 text=True, check=True).stdout.strip()
        print(f"stand-in: {commits} commits, {tasks_bench.FILES} task files, {tasks_bench.TASKS} tasks at the start")
        for name, values in samples.items():
            print(f"  {name:42} p50 {statistics.median(values):8.1f} ms   range {min(values):.1f}-{max(values):.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
