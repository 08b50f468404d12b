"""Blobs read through one ``git cat-file --batch`` that works ahead of the reader.

A long history walk reads a task file's versions one commit after another. pygit2 read them
in the walk's own thread (and importing pygit2 alone costs a cold ``zyflow-git log``
~150 ms here); git reads them on the other core while the walk works on earlier commits:
the walk names the blobs of the commits it will come to (``want``), in the order it will
ask for them (``read``).

Requests and answers go through two pipes, and git answers one request before it reads the
next: with more requests written than the pipes hold, and no answer read, both processes
would wait for each other. So no more than ``AHEAD`` requests are ever sent and unanswered
(at most ~8 KB of them, with SHA-256 ids: a pipe holds 16-64 KB); the rest wait here and are
sent as answers are read.
"""

from __future__ import annotations

import os
from collections import deque

AHEAD = 128  # requests sent and not yet answered, at most


class BlobReader:
    """``git cat-file --batch`` in ``cwd``, started at construction; ``close`` ends it."""

    def __init__(self, cwd: str) -> None:
        import subprocess

        self._proc = subprocess.Popen(["git", "-C", cwd, "cat-file", "--batch"], stdin=subprocess.PIPE,
                                      stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        assert self._proc.stdin is not None and self._proc.stdout is not None
        self._in, self._out = self._proc.stdin.fileno(), self._proc.stdout.fileno()
        self._unsent: deque[str] = deque()
        self._sent: deque[str] = deque()  # in the order git answers them
        self._asked: set[str] = set()  # unsent or sent, not answered yet
        self._answers: dict[str, bytes | None] = {}  # answered before they were read (None: missing)
        self._buffer = bytearray()

    def want(self, blobs: list[str]) -> None:
        """Ask for these blobs now (the ones not asked for yet), to ``read`` them later."""
        for blob in blobs:
            if blob not in self._asked and blob not in self._answers:
                self._asked.add(blob)
                self._unsent.append(blob)
        self._send()

    def read(self, blob: str) -> bytes:
        """The blob's bytes (``KeyError`` when the repository does not have it)."""
        if blob not in self._answers:
            self.want([blob])
            while blob not in self._answers:
                sha, data = self._answer()
                self._answers[sha] = data
                self._send()
        data = self._answers.pop(blob)
        if data is None:
            raise KeyError(blob)
        return data

    def close(self) -> None:
        """End git (at once: what it has not answered is not needed)."""
        for stream in (self._proc.stdin, self._proc.stdout):
            if stream is not None:
                stream.close()
        if self._proc.poll() is None:
            self._proc.kill()
        self._proc.wait()

    def _send(self) -> None:
        room = AHEAD - len(self._sent)
        if room <= 0 or not self._unsent:
            return
        batch = [self._unsent.popleft() for _ in range(min(room, len(self._unsent)))]
        self._sent.extend(batch)
        data = "".join(f"{blob}\n" for blob in batch).encode()
        while data:
            data = data[os.write(self._in, data):]

    def _answer(self) -> tuple[str, bytes | None]:
        """The next answer: ``<sha> blob <size>`` and the content, or ``<sha> missing``."""
        blob = self._sent.popleft()
        self._asked.discard(blob)
        end = self._fill_line()
        header = bytes(self._buffer[:end]).split()
        del self._buffer[:end + 1]
        if len(header) < 3 or header[1] == b"missing":
            return blob, None
        size = int(header[2])
        self._fill(size + 1)
        data = bytes(memoryview(self._buffer)[:size])
        del self._buffer[:size + 1]
        return blob, data

    def _fill_line(self) -> int:
        while (end := self._buffer.find(b"\n")) < 0:
            self._more()
        return end

    def _fill(self, size: int) -> None:
        while len(self._buffer) < size:
            self._more()

    def _more(self) -> None:
        chunk = os.read(self._out, 1 << 16)
        if not chunk:
            raise OSError("git cat-file --batch ended before it answered")
        self._buffer += chunk
