"""core.memo and core.tally: what lru_cache and Counter did for the parser, without their imports."""

from __future__ import annotations

from collections import Counter

from hypothesis import given
from hypothesis import strategies as st

from zyflow_git.core.memo import memo
from zyflow_git.core.tally import tally


def test_a_memo_answers_as_the_function_and_asks_it_once_per_argument_within_its_bound() -> None:
    calls: list[object] = []

    @memo(3)
    def double(x: object) -> object:
        calls.append(x)
        return None if x == "none" else (x, x)

    assert [double(x) for x in ("a", "b", "a", "none", "none")] == [("a", "a"), ("b", "b"), ("a", "a"), None, None]
    assert calls == ["a", "b", "none"]  # None is an answer too, remembered like any other
    double("c")  # the bound: it starts over, and answers alike
    assert double("a") == ("a", "a") and calls == ["a", "b", "none", "c", "a"]
    double.cache_clear()  # type: ignore[attr-defined]
    double("a")
    assert calls[-1] == "a" and len(calls) == 6
    assert double.__name__ == "double"


@given(st.lists(st.one_of(st.text(max_size=3), st.integers(-3, 3))))
def test_tally_counts_as_counter_counts(items: list[object]) -> None:
    assert tally(items) == dict(Counter(items))
