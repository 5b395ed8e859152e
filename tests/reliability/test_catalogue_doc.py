"""docs/reliability.md stays true to the suite: every test it names exists, every strict xfail of the catalogue is
listed as a defect, and the summary line adds up the entries' classes."""

from __future__ import annotations

import ast
import collections
import re

from _subproc import ROOT

DOC = ROOT / "docs" / "reliability.md"
CLASSES = {"clear error": "clear error", "right answer": "right answer", "wrong answer": "wrong answer",
           "hang": "hang", "leak": "leaked", "unclear error": "unclear error"}


def _entries() -> list[list[str]]:
    rows = [line for line in DOC.read_text().splitlines() if re.match(r"\| [A-Z]\d+ \|", line)]
    return [[cell.strip() for cell in re.split(r"(?<!\\)\|", row)[1:-1]] for row in rows]


def _functions(path) -> set[str]:
    tree = ast.parse((ROOT / path).read_text())
    return {node.name for node in ast.walk(tree) if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))}


def test_every_named_test_exists():
    named = set(re.findall(r"`(tests/[^`\[:]+)::([A-Za-z0-9_]+)", DOC.read_text()))
    missing = [f"{path}::{name}" for path, name in sorted(named)
               if not (ROOT / path).exists() or name not in _functions(path)]
    assert not missing, missing


def test_entries_are_unique_and_classified():
    entries = _entries()
    ids = [cells[0] for cells in entries]
    assert len(ids) == len(set(ids)) and len(entries) >= 120
    assert all(len(cells) == 6 and cells[3].strip("*") in CLASSES for cells in entries), [
        cells[0] for cells in entries if len(cells) != 6 or cells[3].strip("*") not in CLASSES]


def test_summary_line_adds_up():
    counts = collections.Counter(CLASSES[cells[3].strip("*")] for cells in _entries())
    summary = DOC.read_text().strip().splitlines()[-1]
    expected = (f"**tried {sum(counts.values())} / clear error {counts['clear error']} / right answer "
                f"{counts['right answer']} / wrong answer {counts['wrong answer']} / hang {counts['hang']} / "
                f"leaked {counts['leaked']} / unclear error {counts['unclear error']}**")
    assert summary == expected


def test_defect_entries_are_held_by_strict_xfail_tests():
    text = DOC.read_text()
    for cells in _entries():
        if cells[3].strip("*") in ("wrong answer", "hang", "leak", "unclear error"):
            assert "(xfail)" in cells[4], cells[0]
            path, name = re.search(r"`(tests/[^`\[:]+)::([A-Za-z0-9_]+)", cells[4]).groups()
            source = (ROOT / path).read_text()
            start = source.index(f"def {name}(")
            decorators = source[source.rindex("\n\n", 0, start):start]
            assert "xfail(strict=True" in decorators, f"{cells[0]}: {name} is no strict xfail"
    assert "## Defects found" in text
