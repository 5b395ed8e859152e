"""TPC-H benchmark and correctness suite for gpuscale.dataframe (see docs/tpch.md).

* :mod:`benchmarks.tpch.data` generates the parquet tables (``tpchgen-cli``), cached per scale factor.
* :mod:`benchmarks.tpch.queries` holds the 22 queries once, written against the dask.dataframe API.
* :mod:`benchmarks.tpch.sql` holds the 22 queries as SQL (DuckDB reference, polars SQL).
* :mod:`benchmarks.tpch.reference` computes DuckDB answers and compares other answers with them.
* :mod:`benchmarks.tpch.engines` runs one query on gpuscale, dask, pandas, polars or DuckDB.
* :mod:`benchmarks.tpch.run` measures engines side by side (one :mod:`measure` process per engine and
  query) and writes the results with :mod:`report`.
* :mod:`benchmarks.tpch.status` lists the queries gpuscale fails, for docs/tpch.md and the xfail list.
"""
