"""Re-merge, by task, a file that a merge without the driver left with conflict markers."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .core.conflicts import Markers, split_markers
from .errors import BadInput
from .fsio import read_bytes, write_atomic
from .gitcli import index_entries, read_blobs


@dataclass(frozen=True)
class Resolution:
    before: int
    after: int
    source: str  # "index" (git's stages 1-3) or "markers"


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
    text = data.decode("utf-8", "surrogateescape")
    try:
        sides = split_markers(text[1:] if text.startswith("\ufeff") else text, markers.size)
    except ValueError as err:
        raise BadInput(f"{path}: {err}") from None
    if sides.regions == 0:
        return Resolution(0, 0, "none")
    bom = BOM if data.startswith(BOM) else b""
    enc = lambda s: bom + s.encode("utf-8", "surrogateescape")  # noqa: E731
    base, ours, theirs = enc(sides.base), enc(sides.ours), enc(sides.theirs)
    source = "markers"
    staged = index_stages(path)
    # git's stages carry the true base, but only stand for the file while the user has not
    # edited it: both sides of the markers must still be exactly stages 2 and 3.
    if staged is not None and staged[1] == ours and staged[2] == theirs:
        base, ours, theirs = staged
        source = "index"
    outcome = merge_three(base, ours, theirs, path=str(path), markers=markers)
    write_atomic(path, outcome.data)
    return Resolution(sides.regions, outcome.conflicts, source)

