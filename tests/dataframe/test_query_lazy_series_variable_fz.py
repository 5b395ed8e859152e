"""``query``/``eval`` with ``@var`` naming a lazy gpuscale Series: it is aligned with the frame as ``df.t > s`` is
(it failed with "the truth value of a lazy gpuscale Scalar is unknown")."""

from __future__ import annotations

import pandas as pd
import pytest

import gpuscale.dataframe as gd
from tests.dataframe import host_testing as tm
from tests.dataframe.frame_helpers import skip_on_stand_in, to_host


def _frames(backend):
    pdf = pd.DataFrame({"t": [0., 3., 1., 4., 2., 5., 7., 6.], "u": range(8)})
    return pdf, gd.from_pandas(pdf, npartitions=3, backend=backend)


def test_query_and_eval_with_a_lazy_series_variable(backend):
    pdf, df = _frames(backend)
    expected = {"thr": pdf.t.rolling(2, min_periods=1).mean()}
    thr = df.t.rolling(2, min_periods=1).mean()  # (found in this frame by name, as pandas finds it)
    assert thr.npartitions == 3
    tm.assert_frame_equal(to_host(df.query("t > @thr").compute()), pdf.query("t > @thr", local_dict=expected))
    got = df.query("t > @a and u < @b", local_dict={"a": thr, "b": df.u.max() - 1})
    tm.assert_frame_equal(to_host(got.compute()), pdf.query("t > @thr and u < 6", local_dict=expected))
    skip_on_stand_in("cuDF's eval takes no Series variables (only numbers, booleans and strings)")
    tm.assert_frame_equal(to_host(df.eval("d = t - @thr").compute()), pdf.eval("d = t - @thr", local_dict=expected))
    tm.assert_series_equal(to_host(df.eval("t - @thr * 2").compute()),
                           pdf.eval("t - @thr * 2", local_dict=expected))


def test_query_with_a_lazy_series_of_other_partitions(backend):
    pdf, df = _frames(backend)
    other = gd.from_pandas(pdf.t * 0 + 2.5, npartitions=2, backend=backend)
    got = df.query("t < @other", local_dict={"other": other})
    tm.assert_frame_equal(to_host(got.compute()), pdf.query("t < @other", local_dict={"other": pdf.t * 0 + 2.5}))


def test_query_with_a_lazy_series_used_whole_is_refused(backend):
    pdf, df = _frames(backend)
    thr = df.t.rolling(2, min_periods=1).mean()
    with pytest.raises(NotImplementedError, match="thr"):
        df.query("t > @thr.mean()", local_dict={"thr": thr})
