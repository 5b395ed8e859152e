"""Plain pandas behind the few module-level names :mod:`queries` uses from a dask.dataframe-like module.

The queries only call ``dd.read_parquet``; everything else is a method on the frames, which pandas has with
the same names and meaning. Pandas frames have no ``.compute()``; :func:`queries.materialize` returns them as
they are. Tables are read whole (pandas has no optimizer to prune unused columns).
"""

from pandas import read_parquet  # noqa: F401
