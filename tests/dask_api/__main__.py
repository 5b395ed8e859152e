"""``python -m tests.dask_api``: rewrite docs/dask_api.md."""

from tests.dask_api import DOC, render

DOC.write_text(render())
print(f"wrote {DOC}")
