"""Reference answers from DuckDB (the SQL in :mod:`sql`) and the comparison of dataframe answers with them.

:func:`compare` normalises both results before comparing them: column names are lower-cased and matched
by position, dates become ``datetime64[ns]``, decimals and integers become float64, strings become Python
strings. Rows are compared as a multiset (floats to ``rtol``), and the columns named in the query's
``ORDER BY`` must appear in the SQL answer's order, so ties inside the sort keys may come in any order.

Usage::

    python -m benchmarks.tpch.reference --sf 0.01 --engine dask    # compare all 22 with DuckDB
"""

from __future__ import annotations

import argparse
import os

import numpy as np
import pandas as pd

from . import sql as tpch_sql

RTOL = 1e-6


def duckdb_connection(path: str | os.PathLike):
    """A DuckDB connection with one view per TPC-H table over ``<path>/<table>/*.parquet``."""
    import duckdb

    con = duckdb.connect()
    for table in tpch_sql.TABLES:
        pattern = os.path.join(os.fspath(path), table, "*.parquet").replace("'", "''")
        con.execute(f"create view {table} as select * from read_parquet('{pattern}')")
    return con


def duckdb_answer(n: int, path: str | os.PathLike, con=None) -> pd.DataFrame:
    """Query ``n`` answered by DuckDB over the parquet files in ``path``, as a pandas DataFrame."""
    con = con or duckdb_connection(path)
    return con.execute(tpch_sql.query_sql(n, "duckdb")).df()


def polars_answer(n: int, path: str | os.PathLike) -> pd.DataFrame:
    """Query ``n`` answered by polars' SQL interface over the same files, as a pandas DataFrame."""
    import polars as pl

    frames = {t: pl.scan_parquet(os.path.join(os.fspath(path), t, "*.parquet")) for t in tpch_sql.TABLES}
    with pl.SQLContext(frames=frames, eager=True) as ctx:
        return ctx.execute(tpch_sql.query_sql(n, "polars")).to_pandas()


def normalise(df: pd.DataFrame) -> pd.DataFrame:
    """Lower-case names; dates -> datetime64[ns], numbers -> float64, text -> object of str."""
    if isinstance(df, pd.Series):
        df = df.to_frame()
    out = pd.DataFrame({name.lower(): _normalise_column(df.iloc[:, i]) for i, name in enumerate(df.columns)})
    return out.reset_index(drop=True)


def _normalise_column(col: pd.Series) -> pd.Series:
    col = col.reset_index(drop=True)
    if pd.api.types.is_datetime64_any_dtype(col.dtype):
        return col.astype("datetime64[ns]")
    if pd.api.types.is_bool_dtype(col.dtype) or pd.api.types.is_numeric_dtype(col.dtype):
        return col.astype("float64")
    values = col.tolist()
    if values and all(_is_number(v) for v in values):  # decimal.Decimal or mixed numbers
        return pd.Series([float(v) for v in values], dtype="float64")
    if values and all(hasattr(v, "year") for v in values):  # datetime.date objects
        return pd.to_datetime(pd.Series(values)).astype("datetime64[ns]")
    return pd.Series([None if v is None or v is pd.NA else str(v) for v in values], dtype=object)


def _is_number(value) -> bool:
    import decimal
    import numbers

    return isinstance(value, (numbers.Number, decimal.Decimal)) and not isinstance(value, bool)


def compare(actual: pd.DataFrame, expected: pd.DataFrame, n: int, rtol: float = RTOL) -> None:
    """Raise AssertionError naming the first difference between an answer to query ``n`` and the reference."""
    actual, expected = normalise(actual), normalise(expected)
    if not tpch_sql.ORDER_BY[n]:  # one-row aggregates: SQL's SUM over no rows is NULL, pandas' is 0
        actual, expected = actual.fillna(0.0), expected.fillna(0.0)
    if list(actual.columns) != list(expected.columns):
        raise AssertionError(f"Q{n}: columns {list(actual.columns)} != expected {list(expected.columns)}")
    if len(actual) != len(expected):
        raise AssertionError(f"Q{n}: {len(actual)} rows != expected {len(expected)}\n{actual.head()}\n"
                             f"{expected.head()}")
    for name in tpch_sql.ORDER_BY[n]:
        _assert_column_equal(actual[name], expected[name], f"Q{n} ORDER BY column {name!r}", rtol)
    actual, expected = _sorted_rows(actual), _sorted_rows(expected)
    for name in expected.columns:
        _assert_column_equal(actual[name], expected[name], f"Q{n} column {name!r}", rtol)


def _sorted_rows(df: pd.DataFrame) -> pd.DataFrame:
    """Rows in a canonical order: text and dates first, then floats rounded (their last bits may differ)."""
    exact = [c for c in df.columns if df[c].dtype != "float64"]
    floats = [c for c in df.columns if df[c].dtype == "float64"]
    keys = df[exact].copy()
    for name in floats:
        keys[name] = df[name].round(2)
    order = keys.sort_values(list(keys.columns), kind="stable").index if len(keys.columns) else df.index
    return df.loc[order].reset_index(drop=True)


def _assert_column_equal(actual: pd.Series, expected: pd.Series, what: str, rtol: float) -> None:
    if expected.dtype == "float64" and actual.dtype == "float64":
        ok = np.isclose(actual.to_numpy(), expected.to_numpy(), rtol=rtol, atol=1e-9, equal_nan=True)
    else:
        ok = (actual.astype(object) == expected.astype(object)).to_numpy(dtype=bool)
    if not ok.all():
        i = int(np.flatnonzero(~ok)[0])
        raise AssertionError(f"{what}: row {i} is {actual.iloc[i]!r}, expected {expected.iloc[i]!r} "
                             f"({int((~ok).sum())} of {len(ok)} rows differ)")


def describe_error(exc: BaseException) -> str:
    """``Type: first line of message (at queries.py:LINE `code`)``, LINE being the line of ``qN`` that raised."""
    import traceback

    message = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    frames = [f for f in traceback.extract_tb(exc.__traceback__)
              if f.filename.endswith("queries.py") and f.name[1:].isdigit()]
    where = f" (at queries.py:{frames[-1].lineno} `{frames[-1].line}`)" if frames else ""
    return f"{type(exc).__name__}: {message}{where}"


def main(argv: list[str] | None = None) -> None:
    from . import data, engines

    parser = argparse.ArgumentParser(description="Compare an engine's TPC-H answers with DuckDB's")
    parser.add_argument("--sf", type=float, default=0.01)
    parser.add_argument("--engine", default="dask", choices=sorted(engines.ENGINES))
    parser.add_argument("--queries", default="1-22")
    args = parser.parse_args(argv)
    path = data.generate(args.sf)
    con = duckdb_connection(path)
    passed = 0
    for n in engines.parse_queries(args.queries):
        try:
            compare(engines.run_query(args.engine, n, path), duckdb_answer(n, path, con), n)
            passed += 1
            print(f"Q{n}: ok", flush=True)
        except Exception as exc:  # report every query, not just the first failure
            print(f"Q{n}: {describe_error(exc)}", flush=True)
    print(f"{args.engine}: {passed} of {len(engines.parse_queries(args.queries))} queries match DuckDB")


if __name__ == "__main__":
    main()
