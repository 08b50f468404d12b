"""Re-merge, by task, a file that a merge without the driver left with conflict markers.

A region can only be merged with a real base. diff3-style markers carry theirs; for two-way
markers the base comes from git's index (stages 1-3, mid-merge or mid-rebase): when the file
still stands exactly for stages 2 and 3, the stages are merged whole; otherwise each two-way
region is looked up in the diff3 merges of the stages (git's line merge and ours), which give
its base. A region with no base found is kept as it is, markers and all: without a base,
"both changed this task" and "both added a task" look the same, and guessing would invent a
clean merge.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .core.conflicts import Markers, Region, count_regions, read_regions
from .errors import BadInput
from .fsio import read_bytes, write_output
from .gitcli import index_entries, read_blobs


@dataclass(frozen=True)
class Resolution:
    before: int
    after: int
    source: str  # "index" (git's stages 1-3), "markers", or "none"
    kept: int = 0  # two-way regions left as they were: no base to merge them with


def index_stages(path: Path) -> tuple[bytes, bytes, bytes] | None:
    """Base, ours and theirs from git's index when ``path`` is unmerged there."""
    entries = index_entries("-u", "--", path.name, cwd=path.parent)
    blobs = read_blobs([sha for sha, _, _ in entries], cwd=path.parent)
    stages = {stage: blobs[sha] for sha, stage, _ in entries if sha in blobs}
    if 2 not in stages or 3 not in stages:
        return None
    return stages.get(1, b""), stages[2], stages[3]


def resolve_file(path: Path, markers: Markers) -> Resolution:
    """Rewrite ``path`` with its conflicts re-merged by task (atomically)."""
    from .core.text import BOM
    from .mergedriver import merge_three

    data = read_bytes(path)
    bom = BOM if data.startswith(BOM) else b""
    text = data[len(bom):].decode("utf-8", "surrogateescape")
    try:
        segments = read_regions(text, markers.size)
    except ValueError as err:
        raise BadInput(f"{path}: {err}") from None
    regions = [s for s in segments if isinstance(s, Region)]
    if not regions:
        return Resolution(0, 0, "none")
    enc = lambda s: bom + s.encode("utf-8", "surrogateescape")  # noqa: E731
    staged = index_stages(path)
    ours, theirs = (enc(_side(segments, side)) for side in ("ours", "theirs"))
    if staged is not None and staged[1] == ours and staged[2] == theirs:
        outcome = merge_three(*staged, path=str(path), markers=markers)
        source, kept = "index", 0
    else:
        bases = _bases_from(staged, path, markers) if staged and any(r.base is None for r in regions) else {}
        views = _views(segments, bases)
        kept = sum(1 for r in regions if r.base is None and (r.ours, r.theirs) not in bases)
        base, ours, theirs = (enc(v) for v in views)
        outcome = merge_three(base, ours, theirs, path=str(path), markers=markers, markers_kept=kept > 0)
        source = "markers"
    write_output(path, outcome.data)
    after = count_regions(outcome.data[len(bom):].decode("utf-8", "surrogateescape"), markers.size)
    return Resolution(len(regions), after, source, kept)


def _side(segments: list[str | Region], side: str) -> str:
    return "".join(s if isinstance(s, str) else getattr(s, side) for s in segments)


def _bases_from(staged: tuple[bytes, bytes, bytes], path: Path, markers: Markers) -> dict[tuple[str, str], str]:
    """(ours, theirs) of each region in the diff3 merges of the stages -> that region's base."""
    from .mergedriver import line_merge, merge_three

    diff3 = markers.replace(style="diff3")
    merged = [line_merge(*staged, diff3)[0], merge_three(*staged, path=str(path), markers=diff3).data]  # type: ignore[arg-type]
    found: dict[tuple[str, str], str] = {}
    for data in merged:
        text = data.decode("utf-8", "surrogateescape").removeprefix("\ufeff")
        for r in read_regions(text, markers.size):
            if isinstance(r, Region) and r.base is not None:
                found.setdefault((r.ours, r.theirs), r.base)
    return found


def _views(segments: list[str | Region], bases: dict[tuple[str, str], str]) -> tuple[str, str, str]:
    """Base, ours and theirs the file stands for; a region with no base is the same text, markers
    included, in all three, so the merge keeps it as it is."""
    views: tuple[list[str], list[str], list[str]] = ([], [], [])
    for s in segments:
        if isinstance(s, str):
            parts = (s, s, s)
        else:
            base = s.base if s.base is not None else bases.get((s.ours, s.theirs))
            parts = (base, s.ours, s.theirs) if base is not None else (s.text, s.text, s.text)
        for view, part in zip(views, parts):
            view.append(part)
    return "".join(views[0]), "".join(views[1]), "".join(views[2])
