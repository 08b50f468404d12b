"""Parsing is lossless: render(parse(bytes)) == bytes, for real files and for anything."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zyflow_git.core.parse import parse_bytes
from zyflow_git.core.render import render_bytes

from .docgen import documents, task_lists
from .gitutil import SHARED

CORPUS = sorted(p for p in (SHARED / "corpus").rglob("*.md") if p.is_file()) if (SHARED / "corpus").exists() else []
CASE_FILES = sorted(p for p in (SHARED / "merge-cases").rglob("*.md") if p.is_file()) if (SHARED / "merge-cases").exists() else []


def roundtrip(data: bytes, reference: bool = False) -> None:
    assert render_bytes(parse_bytes(data, reference=reference)) == data


@pytest.mark.skipif(not CORPUS, reason="../shared/corpus is absent")
@pytest.mark.parametrize("path", CORPUS, ids=lambda p: p.name)
def test_corpus_round_trip(path: Path) -> None:
    data = path.read_bytes()
    roundtrip(data)
    roundtrip(data, reference=True)
    assert parse_bytes(data).tasks, "every corpus file holds tasks"


@pytest.mark.skipif(not CASE_FILES, reason="../shared/merge-cases is absent")
def test_merge_case_files_round_trip() -> None:
    for path in CASE_FILES:
        data = path.read_bytes()
        assert render_bytes(parse_bytes(data)) == data, path


@pytest.mark.parametrize("data", [
    b"",
    b"\n",
    b"- [ ] a",
    b"- [ ] a\r\n- [x] b\r\n",
    b"- [ ] a\r- [x] b\r",
    b"\xef\xbb\xbf# T\n- [ ] a\n",
    b"- [ ] trailing spaces   \n\t- [ ] tab\n",
    b"- [ ] caf\xe9 latin-1 byte\n- [x] \xff\xfe junk\n",
    b"mixed\r\n- [ ] a\n- [ ] b\r",
    b"- [ ] a\n\n\n\n",
    b"\n\n# T\n\n\n- [ ] a\n\n  \n",
    b"- [ ] nul \x00 byte\n",
    "line\x0bwith\x0cvt and\x1cfs\u2028 and \x85\n".encode(),
])
def test_edge_round_trip(data: bytes) -> None:
    roundtrip(data)
    roundtrip(data, reference=True)


def test_bom_is_restored_and_heading_seen() -> None:
    doc = parse_bytes(b"\xef\xbb\xbf# Title\n- [ ] a\n")
    assert doc.bom
    assert doc.units[0].text == "Title"  # type: ignore[union-attr]


@given(documents())
def test_any_document_round_trips(text: str) -> None:
    data = text.encode("utf-8", "surrogateescape")
    roundtrip(data)


@given(task_lists())
def test_task_lists_round_trip(text: str) -> None:
    roundtrip(text.encode())


@given(st.binary(max_size=300))
def test_any_bytes_round_trip(data: bytes) -> None:
    roundtrip(data)
