"""core.similar is difflib's SequenceMatcher without junk: the same blocks and ratios, always."""

from __future__ import annotations

import os
from difflib import SequenceMatcher

from hypothesis import example, given, settings
from hypothesis import strategies as st

from zyflow_git.core.similar import matching_blocks, quick_ratio, ratio, real_quick_ratio

PROFILE = dict(max_examples=400 if os.environ.get("CI") else 3000, deadline=None, derandomize=bool(os.environ.get("CI")))
TEXTS = st.text(alphabet="ab c\u00e9", max_size=40)  # few letters: many repeated items and ties
TOKENS = st.lists(st.sampled_from(["Add", "the", "task", "x", "1.2", "-", "(ours)", "tests"]), max_size=30)


def same_as_difflib(a, b) -> None:  # type: ignore[no-untyped-def]
    sm = SequenceMatcher(None, a, b, autojunk=False)
    assert matching_blocks(a, b) == [tuple(m) for m in sm.get_matching_blocks()]
    assert ratio(a, b) == sm.ratio()
    assert quick_ratio(a, b) == sm.quick_ratio()
    assert real_quick_ratio(a, b) == sm.real_quick_ratio()


@settings(**PROFILE)
@given(TEXTS, TEXTS)
@example("", "")
@example("abcab", "")
@example("aaaa", "aa")
def test_characters_match_as_difflib_matches_them(a: str, b: str) -> None:
    same_as_difflib(a, b)


@settings(**PROFILE)
@given(TOKENS, TOKENS)
def test_tokens_match_as_difflib_matches_them(a: list[str], b: list[str]) -> None:
    same_as_difflib(a, b)


def test_long_repeated_sequences_match_as_difflib_matches_them() -> None:
    """Past 200 items difflib's autojunk would treat popular items as junk; off, as here."""
    a = ["- [ ] task\n", "\n"] * 150 + ["- [x] done\n"]
    b = ["\n", "- [ ] task\n"] * 140 + ["- [x] done\n", "- [ ] task\n"]
    same_as_difflib(a, b)
    same_as_difflib("ab" * 300 + "c", "ba" * 290 + "cab")
