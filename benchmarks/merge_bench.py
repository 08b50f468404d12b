"""The merge driver beside `git merge-file`, as whole processes, on the same inputs.

Inputs: a generated 2,000-task file with 100 scattered edits on each side (checks, text edits,
inserts), and the largest file of each ../shared/corpus/ folder with a few edits on each side.
Reports the median and p90 of repeated runs. Usage: python benchmarks/merge_bench.py [--runs N]
"""

from __future__ import annotations

import argparse
import random
import subprocess
import sys
import time
from pathlib import Path

from benchutil import EXE, launcher, p50_p90, scratch  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"


def big_file(tasks: int = 2000, seed: int = 7) -> tuple[str, str, str]:
    rnd = random.Random(seed)
    lines = ["# Tasks", ""]
    per = 50
    for s in range(tasks // per):
        lines += [f"## {s + 1}. Section {s + 1}", ""]
        for t in range(per):
            lines.append(f"- [ ] {s + 1}.{t + 1} Implement component {s}-{t} with care and tests")
            if t % 10 == 0:
                lines.append(f"  - detail about component {s}-{t}")
        lines.append("")
    base = lines
    task_idx = [i for i, l in enumerate(base) if l.startswith("- [")]

    def side(seed_: int, tag: str) -> list[str]:
        r = random.Random(seed_)
        out = list(base)
        picks = r.sample(task_idx, 100)
        for k, i in enumerate(sorted(picks, reverse=True)):
            if k % 3 == 0:
                out[i] = out[i].replace("- [ ]", "- [x]")
            elif k % 3 == 1:
                out[i] = out[i] + f" ({tag})"
            else:
                out.insert(i + 1, f"- [ ] new task from {tag} {k}")
        return out

    join = lambda ls: "\n".join(ls) + "\n"  # noqa: E731
    del rnd
    return join(base), join(side(1, "ours")), join(side(2, "theirs"))


def corpus_files() -> list[tuple[str, tuple[str, str, str]]]:
    """The largest file of each corpus folder (OpenSpec, spec-kit, Kiro), with edits."""
    folders = sorted(p for p in CORPUS.iterdir() if p.is_dir()) if CORPUS.exists() else []
    out = []
    for folder in folders:
        files = sorted(folder.glob("*.md"), key=lambda p: p.stat().st_size)
        if files:
            out.append((f"largest {folder.name} corpus file ({files[-1].name[:40]})", edited(files[-1])))
    return out


def edited(path: Path) -> tuple[str, str, str]:
    base = path.read_text(encoding="utf-8")
    lines = base.split("\n")
    idx = [i for i, l in enumerate(lines) if "- [" in l]
    ours, theirs = list(lines), list(lines)
    for i in idx[::7]:
        ours[i] = ours[i].replace("[x]", "[ ]", 1) if "[x]" in ours[i] else ours[i].replace("[ ]", "[x]", 1)
    for i in idx[3::7]:
        theirs[i] = theirs[i] + " (edited)"
    return base, "\n".join(ours), "\n".join(theirs)


def time_cmd(make_args, runs: int, workdir: Path, texts: tuple[str, str, str]) -> list[float]:  # type: ignore[no-untyped-def]
    samples = []
    for _ in range(runs):
        for name, text in zip(("base", "ours", "theirs"), texts):
            (workdir / name).write_text(text, encoding="utf-8")
        args = make_args(workdir)
        start = time.perf_counter()
        subprocess.run(args, capture_output=True, check=False)
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def report(name: str, samples: list[float]) -> str:
    return f"  {name:<28} {p50_p90(samples)}"


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=21)
    ap.add_argument("--against", type=Path, help="a checkout of earlier code (git worktree add /tmp/old REV): its driver too, same rounds")
    args = ap.parse_args()
    compare([("2,000-task file, 100 edits a side", big_file()), *corpus_files()], args.runs, args.against)
    return 0


def compare(cases: list[tuple[str, tuple[str, str, str]]], runs: int, against: Path | None = None) -> None:
    """Time the merge driver and git merge-file (and an older driver), as whole processes, on
    each case, one after the other in every round; print each."""
    with scratch("zyflow-bench-") as (tmp, _):
        exes = {"zyflow-git merge-driver": EXE}
        if against is not None:
            exes["--against's merge-driver"] = launcher(against, tmp.parent)
        for title, texts in cases:
            print(f"{title} ({len(texts[0].encode()):,} bytes):")
            samples: dict[str, list[float]] = {name: [] for name in [*exes, "git merge-file"]}
            for _ in range(runs):
                for name, exe in exes.items():
                    samples[name] += time_cmd(lambda d, exe=exe: [exe, "merge-driver", str(d / "base"), str(d / "ours"), str(d / "theirs"),
                                                                  "7", "tasks.md"], 1, tmp, texts)
                samples["git merge-file"] += time_cmd(lambda d: ["git", "merge-file", "-p", str(d / "ours"), str(d / "base"),
                                                                 str(d / "theirs")], 1, tmp, texts)
            for name, values in samples.items():
                print(report(name, values))


if __name__ == "__main__":
    sys.exit(main())
