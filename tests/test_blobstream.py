"""BlobReader: blobs through one git cat-file that works ahead, in a real repository. It must
give every blob's exact bytes in any order asked, never wait on git while git waits on it (more
blobs named ahead than the pipes hold), and leave a long walk without pygit2 (~150 ms)."""

from __future__ import annotations

import random
import subprocess
import sys
from pathlib import Path

import pytest

from zyflow_git import blobstream
from zyflow_git.blobstream import BlobReader

from .gitutil import ZYFLOW, Repo


def stored(repo: Repo, contents: list[bytes]) -> list[str]:
    """The blob ids of ``contents``, written to the repository's object database."""
    ids = []
    for data in contents:
        proc = subprocess.run(["git", "hash-object", "-w", "--stdin"], cwd=repo.root, env=repo.env, input=data,
                              capture_output=True, check=True)
        ids.append(proc.stdout.decode().strip())
    return ids


@pytest.fixture
def blobs(tmp_path: Path) -> tuple[Repo, list[str], list[bytes]]:
    repo = Repo.create(tmp_path)
    rnd = random.Random(3)
    contents = [f"- [ ] 1.{n} Task {n}\n".encode() * rnd.randrange(1, 40) for n in range(300)]
    contents += [b"", b"no newline at the end", b"\x00\xff binary\r\n", b"x" * 200_000]  # empty, odd, over a pipe's size
    return repo, stored(repo, contents), contents


def test_reads_every_blob_named_ahead_past_what_the_pipes_hold(blobs: tuple[Repo, list[str], list[bytes]],
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    repo, ids, contents = blobs
    monkeypatch.setattr(blobstream, "AHEAD", 16)  # far fewer than are named: the rest wait their turn
    reader = BlobReader(str(repo.root))
    try:
        reader.want(ids + ids[:5])  # named twice: asked for once
        assert [reader.read(blob) for blob in ids] == contents
        assert reader.read(ids[7]) == contents[7]  # read again after it was taken: asked for anew
    finally:
        reader.close()


def test_reads_in_any_order_with_or_without_naming_first(blobs: tuple[Repo, list[str], list[bytes]]) -> None:
    repo, ids, contents = blobs
    order = list(range(len(ids)))
    random.Random(5).shuffle(order)
    reader = BlobReader(str(repo.root))
    try:
        reader.want(ids[:150])
        assert [reader.read(ids[n]) for n in order] == [contents[n] for n in order]
    finally:
        reader.close()


def test_a_missing_blob_is_a_key_error_and_the_reader_goes_on(blobs: tuple[Repo, list[str], list[bytes]]) -> None:
    repo, ids, contents = blobs
    reader = BlobReader(str(repo.root))
    try:
        reader.want([ids[0], "0" * 40, ids[1]])
        with pytest.raises(KeyError):
            reader.read("0" * 40)
        assert reader.read(ids[1]) == contents[1] and reader.read(ids[0]) == contents[0]
    finally:
        reader.close()


def test_a_long_walk_reads_history_without_pygit2(tmp_path: Path) -> None:
    """More commits than a short walk takes (treechanges.SHORT_WALK): the cold `log` reads its
    blobs through git cat-file, and imports no pygit2."""
    from zyflow_git.treechanges import SHORT_WALK

    repo = Repo.installed(tmp_path, {"tasks.md": "- [ ] 1.1 One\n"})
    stream = []
    for n in range(SHORT_WALK + 20):
        data = "".join(f"- [{'x' if k < n % 7 else ' '}] 1.{k + 1} Task {k}\n" for k in range(3 + n // 20)).encode()
        stream.append(b"commit refs/heads/main\ncommitter b <b@x> %d +0000\ndata 1\nc\n" % (1700000000 + n)
                      + (b"from refs/heads/main^0\n" if n == 0 else b"")
                      + b"M 100644 inline tasks.md\ndata %d\n%s\n" % (len(data), data))
    repo.run("git", "fast-import", "--quiet", input=b"".join(stream).decode())
    repo.git("reset", "-q", "--hard", "main")
    proc = subprocess.run([sys.executable, "-X", "importtime", ZYFLOW, "log", "--json"], cwd=repo.root, env=repo.env,
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr[-2000:]
    imported = {line.split("|")[-1].strip() for line in proc.stderr.splitlines() if line.startswith("import time:")}
    assert "zyflow_git.blobstream" in imported and "pygit2" not in imported
    assert proc.stdout.count('"event": "checked"') > SHORT_WALK // 2
