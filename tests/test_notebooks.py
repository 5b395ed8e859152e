"""Every notebook in notebooks/ runs top to bottom on a CPU (so they cannot rot).

Each is executed with nbclient in a fresh kernel of this Python (a kernelspec written for
the test names ``sys.executable``: the stock ``python3`` spec runs whatever ``python`` is
first on PATH), on a small dataset in a temporary folder; a cell that raises fails the test.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
KERNEL = "gpuscale-tests"
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


def test_the_five_notebooks_are_there():
    assert [p.name for p in NOTEBOOKS] == [
        "01_quickstart.ipynb", "02_etl_pipeline.ipynb", "03_arrays.ipynb", "04_multi_gpu_cluster.ipynb",
        "05_climate.ipynb"]


@pytest.fixture(scope="module")
def notebook_env(tmp_path_factory):
    """The kernel inherits os.environ: point it at this checkout and a temporary data folder."""
    saved = dict(os.environ)
    os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), saved.get("PYTHONPATH")]))
    os.environ["GPUSCALE_NOTEBOOK_DATA"] = str(tmp_path_factory.mktemp("notebook-data"))
    os.environ["GPUSCALE_NOTEBOOK_SIZE"] = "20MB"
    os.environ["TMPDIR"] = str(tmp_path_factory.mktemp("notebook-tmp"))  # the kernels' temporary files
    os.environ["MPLBACKEND"] = "Agg"
    jupyter_path = tmp_path_factory.mktemp("jupyter")
    spec = jupyter_path / "kernels" / KERNEL
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(json.dumps({
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "gpuscale tests", "language": "python"}))
    os.environ["JUPYTER_PATH"] = os.pathsep.join(filter(None, [str(jupyter_path), saved.get("JUPYTER_PATH")]))
    yield
    os.environ.clear()
    os.environ.update(saved)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_runs_top_to_bottom(path, tmp_path, notebook_env):
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    notebook = nbformat.read(path, as_version=4)
    assert not any(cell.get("outputs") for cell in notebook.cells if cell.cell_type == "code"), \
        f"{path.name} is committed with outputs; clear them"
    client = nbclient.NotebookClient(notebook, timeout=180, kernel_name=KERNEL,
                                     resources={"metadata": {"path": str(tmp_path)}})
    client.execute()
    errors = [output for cell in notebook.cells if cell.cell_type == "code"
              for output in cell.get("outputs", []) if output.get("output_type") == "error"]
    assert not errors
