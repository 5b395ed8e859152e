"""``DataFrame.to_records`` as dask's: a gpuscale array of NumPy records, a block per partition."""

from __future__ import annotations

import dask.dataframe as dd
import numpy as np
import pandas as pd
import pytest

import gpuscale.dataframe as gd


@pytest.fixture
def pdf():
    return pd.DataFrame({"x": [0.5, 1.5, 2.5, 3.5, 4.5], "y": [2, 3, 4, 5, 6]},
                        index=pd.Index([1.0, 2.0, 3.0, 4.0, 5.0], name="ind"))


def test_records_with_the_index_as_pandas_and_dask(pdf):
    df = gd.from_pandas(pdf, npartitions=2)
    result = df.to_records()
    assert np.isnan(result.chunks[0]).all() and result.dtype == pdf.to_records().dtype == result.compute().dtype
    np.testing.assert_array_equal(result.compute(), pdf.to_records())
    np.testing.assert_array_equal(result.compute(), dd.from_pandas(pdf, npartitions=2).to_records().compute())
    np.testing.assert_array_equal(df.to_records(index=False).compute(), pdf.to_records(index=False))


@pytest.mark.parametrize("lengths", [True, (3, 2)])
def test_lengths_give_the_block_lengths(pdf, lengths):
    df = gd.from_pandas(pdf, npartitions=2)
    result = df.to_records(lengths=lengths)
    assert result.chunks == ((3, 2),)  # (from_pandas: the longer part first, as dask)
    np.testing.assert_array_equal(result[1:4].compute(), pdf.to_records()[1:4])


@pytest.mark.parametrize("lengths", [(2, 2, 1), 5])
def test_wrong_lengths_are_an_error(pdf, lengths):
    with pytest.raises(ValueError, match="to_records: .*lengths"):
        gd.from_pandas(pdf, npartitions=2).to_records(lengths=lengths)


def test_record_dtype_reads_as_numpy(pdf):
    result = gd.from_pandas(pdf, npartitions=2).to_records()
    assert str(result.dtype) == str(pdf.to_records().dtype)  # the fields, as NumPy writes them
