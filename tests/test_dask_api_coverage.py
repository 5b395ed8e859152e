"""docs/dask_api.md is what the code has (regenerate with `python -m tests.dask_api`)."""

from tests import dask_api


def test_the_dask_api_table_is_current():
    assert dask_api.DOC.read_text() == dask_api.render(), (
        "docs/dask_api.md is out of date: run `.venv/bin/python -m tests.dask_api`")


def test_not_planned_names_are_dask_names_gpuscale_lacks():
    listed = {q: s for _, q, s, _ in dask_api.rows()}
    stale = [name for name in dask_api.NOT_PLANNED if listed.get(name) != "not planned"]
    assert stale == []
