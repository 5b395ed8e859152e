"""TPC-H benchmark and correctness suite for gpuscale.dataframe.

* :mod:`benchmarks.tpch.data` generates the parquet tables (``tpchgen-cli``), cached per scale factor.
* :mod:`benchmarks.tpch.queries` holds the 22 queries once, written against the dask.dataframe API.
* :mod:`benchmarks.tpch.sql` holds the 22 queries as SQL (DuckDB reference, polars SQL).
* :mod:`benchmarks.tpch.reference` computes DuckDB answers and compares dataframe answers with them.
* :mod:`benchmarks.tpch.run` runs engines side by side and writes the results table and plot.
"""
