"""The README's Python examples run as written (cluster examples excepted: they are covered in tests/cuda_workers)."""

import re
from pathlib import Path

import pytest

README = Path(__file__).resolve().parents[1] / "README.md"


def _python_blocks() -> list[str]:
    blocks = re.findall(r"```python\n(.*?)```", README.read_text(), flags=re.S)
    return [b for b in blocks if "LocalCUDACluster" not in b]


@pytest.mark.parametrize("code", _python_blocks(), ids=lambda c: c.splitlines()[0][:40])
def test_readme_example_runs(code, capsys):
    exec(compile(code, str(README), "exec"), {})
    assert capsys.readouterr().out  # the examples print their results


@pytest.mark.parametrize("code", _python_blocks()[:1], ids=["20-line example"])
def test_readme_example_runs_on_cudf_partitions(code, capsys, monkeypatch):
    """With backend="auto" on a GPU machine the frames are cuDF: run the example on the strict cuDF
    stand-in (tests/strict_cudf), which refuses what cuDF refuses (``sort_index(kind="stable")``...)."""
    import strict_cudf

    from gpuscale.backends import convert

    strict_cudf.install(monkeypatch)
    monkeypatch.setenv("GPUSCALE_BACKEND", "auto")  # the README's default
    convert.copy_counts.clear()
    exec(compile(code, str(README), "exec"), {})
    assert "tip" in capsys.readouterr().out
    assert convert.copy_counts["to_device"] > 0  # the frames were cuDF (stand-in) partitions


@pytest.mark.gpu
@pytest.mark.parametrize("code", _python_blocks()[:1], ids=["20-line example"])
def test_readme_example_runs_on_a_gpu(code, capsys, monkeypatch):
    """On a machine with a usable GPU, backend="auto" puts the example's frames on cuDF (skipped without one)."""
    from gpuscale.backends import convert

    monkeypatch.setenv("GPUSCALE_BACKEND", "auto")
    convert.copy_counts.clear()
    exec(compile(code, str(README), "exec"), {})
    assert "tip" in capsys.readouterr().out
    assert convert.copy_counts["to_device"] > 0
