"""A lazy Scalar given to DataFrame.apply(axis=1), Series.apply or map_partitions (through args= or a keyword)
reaches the function as its computed value, in every partition, as dask gives it."""

import warnings

import pandas as pd

import gpuscale.dataframe as gd
from frame_helpers import to_host


def _frames():
    pdf = pd.DataFrame({"a": [0.0, 1, 2, 3, 4]})
    return pdf, gd.from_pandas(pdf, npartitions=2)


def _quiet(make):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return to_host(make().compute())


def test_frame_apply_lazy_keyword():
    pdf, ddf = _frames()
    expected = pdf.apply(lambda r, mu=0: r["a"] - mu, axis=1, mu=pdf.a.mean())
    got = _quiet(lambda: ddf.apply(lambda r, mu=0: r["a"] - mu, axis=1, mu=ddf.a.mean()))
    pd.testing.assert_series_equal(got, expected)
    got = _quiet(lambda: ddf.apply(lambda r, mu=0: r["a"] - mu, axis=1, mu=ddf.a.mean(), meta=(None, "f8")))
    pd.testing.assert_series_equal(got, expected)


def test_frame_apply_lazy_args():
    pdf, ddf = _frames()
    expected = pdf.apply(lambda r, mu: r["a"] - mu, axis=1, args=(pdf.a.max(),))
    got = _quiet(lambda: ddf.apply(lambda r, mu: r["a"] - mu, axis=1, args=(ddf.a.max(),)))
    pd.testing.assert_series_equal(got, expected)


def test_series_apply_lazy_args_and_keyword():
    pdf, ddf = _frames()
    expected = pdf.a.apply(lambda x, mu, k=1: (x - mu) * k, args=(pdf.a.mean(),), k=pdf.a.max())
    got = _quiet(lambda: ddf.a.apply(lambda x, mu, k=1: (x - mu) * k, args=(ddf.a.mean(),), k=ddf.a.max()))
    pd.testing.assert_series_equal(got, expected)
    got = _quiet(lambda: ddf.a.apply(lambda x, mu, k=1: (x - mu) * k, args=(ddf.a.mean(),), k=ddf.a.max(),
                                     meta=("a", "f8")))
    pd.testing.assert_series_equal(got, expected)


def test_map_partitions_lazy_keyword_of_elementwise_function():
    pdf, ddf = _frames()
    expected = pdf.a.apply(lambda x, mu: x - mu, mu=pdf.a.mean())
    got = _quiet(lambda: ddf.map_partitions(lambda p, mu=0: p.a.apply(lambda x: x - mu), mu=ddf.a.mean()))
    pd.testing.assert_series_equal(got, expected)
