"""Generated scenarios in OpenSpec, spec-kit, Kiro and plain checklists (see scenarios.py).

For every scenario the merge must read back as the expected plan: each task in the section
where its side put it, in order, none lost or doubled, with its checkbox, title and detail
lines; no label twice; and a true conflict must be a conflict around that task.
"""

from __future__ import annotations

from collections import Counter

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zyflow_git.core.merge import merge_bytes

from .scenarios import FORMATS, KINDS, Scenario, expected_view, read_back, scenarios


def check(sc: Scenario) -> None:
    base, ours, theirs = sc.files()
    result = merge_bytes(base, ours, theirs)
    text = result.data.decode()
    if sc.conflict is not None:
        assert result.conflicts >= 1, f"{sc}\n--- merged\n{text}"
        region = text[text.index("<<<<<<<"): text.index(">>>>>>>")]
        ours_title, theirs_title = sc.conflict
        assert region.index(ours_title) < region.index("=======") < region.index(theirs_title), text
        assert text.count(ours_title) == text.count(theirs_title) == 1, text
        return
    assert result.conflicts == 0, f"{sc}\n--- merged\n{text}"
    got = read_back(result.data)
    want = expected_view(sc.expected)
    assert [(s, [t[:4] for t in ts]) for s, ts in got] == want, f"{sc}\n--- merged\n{text}"
    labels = Counter(t[4] for _, ts in got for t in ts if t[4])
    assert not [lb for lb, n in labels.items() if n > 1], f"duplicate labels\n{sc}\n--- merged\n{text}"


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("fmt", FORMATS)
@given(data=st.data())
def test_generated_scenarios_merge_as_expected(fmt: str, kind: str, data: st.DataObject) -> None:
    check(data.draw(scenarios((fmt,), (kind,)), label="scenario"))
