"""Where JSON is written without the json module (a hot path), it is json.dumps's output."""

from __future__ import annotations

import json
from types import SimpleNamespace

from hypothesis import given
from hypothesis import strategies as st

from zyflow_git.core.globs import check_pattern
from zyflow_git.reconcile import _patterns_key
from zyflow_git.store import json_list, read_json_list


@given(st.lists(st.one_of(st.from_regex(r"t[0-9a-f]{10}", fullmatch=True), st.text(max_size=12))))
def test_ids_as_the_event_cache_stores_them(ids: list[str]) -> None:
    assert json_list(ids) == json.dumps(ids)


@given(st.lists(st.one_of(st.sampled_from(["tasks.md", "**/tasks.md", "/openspec/changes/*/tasks.md", "/specs/ü/tasks.md"]),
                          st.text(min_size=1, max_size=20)), max_size=6))
def test_patterns_as_the_store_records_them(patterns: list[str]) -> None:
    valid = tuple(p for p in patterns if check_pattern(p) is None)
    repo = SimpleNamespace(config=SimpleNamespace(patterns=valid))
    assert _patterns_key(repo) == json.dumps(list(valid))  # type: ignore[arg-type]


@given(st.lists(st.one_of(st.text(max_size=12), st.sampled_from(["1. Setup", "Fase 2: Configuración", "設計", 'say "hi"', "a\\b", "tab\there", "\u2028", "\x7f"]))))
def test_sections_as_the_store_keeps_them(headings: list[str]) -> None:
    assert json_list(headings, ensure_ascii=False) == json.dumps(headings, ensure_ascii=False)


@given(st.lists(st.text(max_size=12)), st.sampled_from([(", ", ": "), (",", ":")]), st.booleans())
def test_lists_the_store_wrote_read_back_as_json_reads_them(items: list[str], separators: tuple[str, str], ascii_: bool) -> None:
    for text in (json.dumps(items, separators=separators, ensure_ascii=ascii_), json_list(items), json_list(items, ensure_ascii=False)):
        assert read_json_list(text) == json.loads(text)


@given(st.lists(st.one_of(st.text(max_size=10), st.sampled_from(["1. Setup", "bad \udcff byte", 'a "quote"']))))
def test_a_section_is_stored_as_json_of_its_printable_headings(headings: list[str]) -> None:
    """One writer for the section column of tasks (sync) and of events (the history walk)."""
    from zyflow_git.store import section_json
    from zyflow_git.tasklist import display

    made: dict[tuple[str, ...], str] = {}
    wanted = json.dumps([display(h) for h in headings], ensure_ascii=False)
    assert section_json(headings, made) == wanted
    assert section_json(tuple(headings), made) == wanted and len(made) == 1
