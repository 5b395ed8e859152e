"""xarray operations beyond tests/xarray/test_chunkmanager.py's list, on gpuscale arrays, compared with the same
operations on xarray-on-dask (same chunks), and with xarray on NumPy where dask cannot run them.

Quantiles, medians, rolling max/min/median, polyfit, corr/cov, coarsen, ``groupby().map``, ``resample``,
``weighted`` along a chunked time axis, and ``interp`` (which needs gpuscale as xarray's default chunk manager:
xarray chunks the interpolation coordinates with it).
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

xr = pytest.importorskip("xarray")

import gpuscale  # noqa: E402
import gpuscale.array as ga  # noqa: E402


@pytest.fixture(autouse=True)
def _numpy_chunks():
    with gpuscale.config.set(backend="numpy"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN slices, as in NumPy and dask
        yield


@pytest.fixture(scope="module")
def ds() -> xr.Dataset:
    rng = np.random.default_rng(2)
    n = 150
    a = rng.random((n, 3, 5))
    a[rng.random(a.shape) < 0.08] = np.nan
    return xr.Dataset(
        {"a": (("time", "lat", "lon"), a), "b": (("time",), rng.random(n) + 0.5),
         "i": (("time", "lon"), rng.integers(0, 9, (n, 5)))},
        coords={"time": pd.date_range("2001-01-01", periods=n, freq="D"), "lat": [-30.0, 0.0, 30.0],
                "lon": np.arange(5) * 72.0})


CHUNKS = {"time": 20, "lat": 2}


def _both(ds: xr.Dataset, op) -> tuple:
    ours = op(ds.chunk(CHUNKS, chunked_array_type="gpuscale"))
    theirs = op(ds.chunk(CHUNKS))
    return ours, theirs


def _assert_gpuscale(obj) -> None:
    variables = obj.data_vars.values() if hasattr(obj, "data_vars") else [obj]
    assert any(isinstance(v.data, ga.Array) for v in variables)
    assert not any(type(v.data).__module__.startswith("dask") for v in variables)


OPERATIONS = {
    "quantile": lambda d: d.quantile(0.3, dim="time"),
    "quantile_list_two_dims": lambda d: d.quantile([0.1, 0.5, 0.9], dim=("time", "lat")),
    "quantile_method": lambda d: d.a.quantile([0.25, 0.75], dim="lon", method="nearest"),
    "quantile_no_skipna": lambda d: d.a.quantile(0.5, dim="time", skipna=False),
    "median_lon": lambda d: d.median("lon"),
    "groupby_quantile": lambda d: d.a.groupby("time.month").quantile(0.9),
    "rolling_max": lambda d: d.rolling(time=5).max(),
    "rolling_min_center": lambda d: d.rolling(time=4, center=True, min_periods=2).min(),
    "rolling_median": lambda d: d.a.rolling(time=3).median(),
    "rolling_mean_2d": lambda d: d.a.rolling(time=7, lon=2).mean(),
    "rolling_sum_int": lambda d: d.i.rolling(time=3).sum(),
    "rolling_std": lambda d: d.rolling(time=6).std(),
    "polyfit": lambda d: d.a.polyfit("time", 2),
    "polyfit_full": lambda d: d.b.polyfit("time", 1, full=True),
    "polyfit_cov": lambda d: d.a.polyfit("time", 1, cov=True),
    "polyfit_no_skipna": lambda d: d.a.fillna(0.5).polyfit("time", 2, skipna=False),  # least squares of blocks
    "polyval": lambda d: xr.polyval(d.time, d.b.polyfit("time", 3).polyfit_coefficients),
    "corr": lambda d: xr.corr(d.a, d.b, dim="time"),
    "cov": lambda d: xr.cov(d.a, d.a.shift(time=1), dim="time", ddof=1),
    "coarsen_mean": lambda d: d.coarsen(time=10, lon=5, boundary="trim").mean(),
    "coarsen_max_pad": lambda d: d.coarsen(time=7, boundary="pad").max(),
    "coarsen_construct_sum": lambda d: d.a.coarsen(time=5).construct(time=("week", "day")).sum("day"),
    "groupby_map_anomaly": lambda d: d.groupby("time.month").map(lambda g: g - g.mean("time")),
    "groupby_map_reduce": lambda d: d.a.groupby("time.season").map(lambda g: g.std("time")),
    "groupby_std": lambda d: d.groupby("time.month").std(),
    "resample_mean": lambda d: d.resample(time="1MS").mean(),
    "resample_sum_weekly": lambda d: d.resample(time="7D").sum(),
    "resample_map": lambda d: d.a.resample(time="1MS").map(lambda g: g.max("time") - g.min("time")),
    "weighted_time": lambda d: d.a.weighted(d.b).mean("time"),
    "weighted_area": lambda d: d.a.weighted(np.cos(np.deg2rad(d.lat))).mean(("lat", "lon")),
    "weighted_sum_std": lambda d: d.a.weighted(d.b).sum("time") + d.a.weighted(d.b).std("time"),
    "round_decimals": lambda d: d.round(2),
    "round_tens": lambda d: (d.a * 1000).round(-1) + d.i.round(-1),
}


@pytest.mark.parametrize("name", OPERATIONS)
def test_operations_match_xarray_on_dask(ds, name):
    ours, theirs = _both(ds, OPERATIONS[name])
    _assert_gpuscale(ours)
    xr.testing.assert_allclose(ours.compute(), theirs.compute())
    xr.testing.assert_allclose(ours.compute(), OPERATIONS[name](ds))


# dask refuses these (its nanmedian needs an axis that is not every axis); gpuscale makes the axes whole
BEYOND_DASK = {
    "median_all": lambda d: d.a.median(),
    "median_1d": lambda d: d.b.median("time"),
    "groupby_median": lambda d: d.groupby("time.month").median(),
}


@pytest.mark.parametrize("name", BEYOND_DASK)
def test_medians_dask_refuses_match_xarray_on_numpy(ds, name):
    op = BEYOND_DASK[name]
    with pytest.raises(NotImplementedError):
        op(ds.chunk(CHUNKS)).compute()
    result = op(ds.chunk(CHUNKS, chunked_array_type="gpuscale"))
    _assert_gpuscale(result)
    xr.testing.assert_allclose(result.compute(), op(ds))


def test_argsort_matches_xarray_on_numpy(ds):
    # dask arrays have no argsort method, so xarray's argsort fails on dask; gpuscale's sorts along the axis
    ours = ds.a.fillna(0).chunk(CHUNKS, chunked_array_type="gpuscale").argsort(kind="stable")  # ties: the NaNs
    _assert_gpuscale(ours)
    xr.testing.assert_identical(ours.compute(), ds.a.fillna(0).argsort(kind="stable"))


def test_quantile_keeps_other_axes_blocks(ds):
    g = ds.a.chunk(CHUNKS, chunked_array_type="gpuscale")
    q = g.quantile([0.2, 0.8], dim="time")
    assert q.chunks == ((2,), (2, 1), (5,))  # time became one block; lat kept its two


def test_interp_with_gpuscale_as_default_chunk_manager(ds):
    pytest.importorskip("scipy")
    numeric = ds.drop_vars("i").assign_coords(time=np.arange(ds.sizes["time"], dtype=float))
    ops = {"linear": lambda d: d.interp(lon=[10.0, 100.5, 250.0]),
           "time": lambda d: d.interp(time=np.linspace(0.5, 140.5, 30)),
           "cubic": lambda d: d.b.interp(time=np.linspace(3.0, 120.0, 17), method="cubic"),
           "like": lambda d: d.a.interp_like(d.lon[1:].assign_coords(lon=d.lon[1:] - 30.0))}
    for name, op in ops.items():
        with xr.set_options(chunk_manager="gpuscale"):
            ours = op(numeric.chunk(CHUNKS))
        _assert_gpuscale(ours)
        theirs = op(numeric.chunk(CHUNKS))  # xarray's default manager: dask
        xr.testing.assert_allclose(ours.compute(), theirs.compute())
        xr.testing.assert_allclose(ours.compute(), op(numeric))


# datetime64 / timedelta64 on NumPy chunks: what xarray does with time coordinates
TIMES = {
    "idxmax": lambda d: d.a.idxmax("time"),
    "idxmin_skipna_false": lambda d: d.b.idxmin(skipna=False),
    "time_variable_max": lambda d: d.t.max("time"),
    "time_variable_where_min": lambda d: d.t.where(d.a > 0.5).min("time"),
    "time_variable_take": lambda d: d.t.isel(time=[140, 3, 3, 77], lon=[4, 0]),
    "time_differences": lambda d: (d.t - d.time[0]).max(),
    "time_variable_mean": lambda d: d.t.mean("time"),  # xarray's datetime checks see gpuscale's time dtypes
}


@pytest.mark.parametrize("name", TIMES)
def test_datetime_operations_match_xarray_on_dask(ds, name):
    op = TIMES[name]
    with_times = ds.assign(t=ds.time.broadcast_like(ds.a))  # a datetime64 variable, chunked by each library
    ours, theirs = _both(with_times, op)
    assert isinstance(ours.data, ga.Array) and ours.dtype.kind in "mM"
    xr.testing.assert_identical(ours.compute(), theirs.compute())
    xr.testing.assert_identical(ours.compute(), op(with_times))


def test_polyval_of_a_datetime_variable(ds):
    with_times = ds.assign(t=ds.time.broadcast_like(ds.a))
    coeffs = xr.DataArray([1e-18, 2.0, -3e-20], dims="degree", coords={"degree": [0, 1, 2]})
    ours, theirs = _both(with_times, lambda d: xr.polyval(d.t, coeffs))
    assert isinstance(ours.data, ga.Array)
    xr.testing.assert_allclose(ours.compute(), theirs.compute())
    xr.testing.assert_allclose(ours.compute(), xr.polyval(with_times.t, coeffs))


def test_interp_along_a_datetime_coordinate(ds):
    pytest.importorskip("scipy")
    new_times = pd.date_range("2001-01-03T12:00", periods=20, freq="5D")
    with xr.set_options(chunk_manager="gpuscale"):
        ours = ds.a.chunk(CHUNKS).interp(time=new_times)
    _assert_gpuscale(ours)
    xr.testing.assert_allclose(ours.compute(), ds.a.chunk(CHUNKS).interp(time=new_times).compute())
    xr.testing.assert_allclose(ours.compute(), ds.a.interp(time=new_times))


def test_interp_under_dask_default_refuses_mixing(ds):
    pytest.importorskip("scipy")
    with pytest.raises(TypeError, match="Mixing chunked array types"):
        ds.chunk(CHUNKS, chunked_array_type="gpuscale").interp(lon=[10.0, 20.0])


# lists along several dimensions at once: xarray's outer (orthogonal) indexing, which gpuscale arrays give through
# x.oindex (x[list, list] stays point-wise, as in NumPy and the Array API)
OUTER = {
    "isel_two_lists": lambda d: d.a.isel(time=[3, 0, 41, 41, 149], lat=[2, 0]),
    "isel_three_lists": lambda d: d.isel(time=[5, 1, 60], lat=[0, 2], lon=[4, 0, 1]),
    "isel_list_int_slice": lambda d: d.a.isel(time=[140, 2, 77], lat=1, lon=slice(1, 4)),
    "isel_bool_and_list": lambda d: d.a.isel(lat=np.array([True, False, True]), lon=[3, 1]),
    "sel_two_lists": lambda d: d.a.sel(lat=[30.0, -30.0], lon=[288.0, 0.0, 144.0]),
    "sortby_two_dims": lambda d: d.sortby([-d.lat, -d.lon]),
    "sortby_values": lambda d: d.a.sortby(d.b),
    "reindex_two_dims": lambda d: d.a.reindex(lat=[30.0, 0.0], lon=[72.0, 0.0, 288.0]),
}


@pytest.mark.parametrize("name", OUTER)
def test_outer_indexing_along_several_dimensions(ds, name):
    ours, theirs = _both(ds, OUTER[name])
    _assert_gpuscale(ours)
    xr.testing.assert_identical(ours.compute(), theirs.compute())
    xr.testing.assert_identical(ours.compute(), OUTER[name](ds))


def test_outer_indexing_keeps_point_wise_getitem(ds):
    g = ds.a.chunk(CHUNKS, chunked_array_type="gpuscale").data
    np.testing.assert_array_equal(g[[0, 1], [0, 2]].compute(), ds.a.values[[0, 1], [0, 2]])  # points
    np.testing.assert_array_equal(g.oindex[[0, 1], [0, 2]].compute(), ds.a.values[[0, 1]][:, [0, 2]])


def test_interp_like_over_several_dimensions(ds):
    pytest.importorskip("scipy")
    numeric = ds.drop_vars("i").assign_coords(time=np.arange(ds.sizes["time"], dtype=float))
    target = xr.Dataset(coords={"time": np.linspace(0.5, 140.5, 9), "lat": [-20.0, 10.0], "lon": [10.0, 200.0, 250.0]})
    with xr.set_options(chunk_manager="gpuscale"):
        ours = numeric.a.chunk(CHUNKS).interp_like(target)
        sorted_ = numeric.a.chunk(CHUNKS).interp(lat=[20.0, -10.0], lon=[250.0, 10.0], method="nearest")
    _assert_gpuscale(ours)
    xr.testing.assert_allclose(ours.compute(), numeric.a.chunk(CHUNKS).interp_like(target).compute())
    xr.testing.assert_allclose(ours.compute(), numeric.a.interp_like(target))
    xr.testing.assert_allclose(sorted_.compute(), numeric.a.interp(lat=[20.0, -10.0], lon=[250.0, 10.0],
                                                                     method="nearest"))


# an in-memory operand beside a chunked one: xarray casts and stacks both with the chunked array's namespace
MIXED = {
    "where_numpy_data_chunked_cond": lambda d, c: d.i.where(c.b > 0.7),  # the integers become floats
    "corr_numpy_and_chunked": lambda d, c: xr.corr(d.i, c.a, dim="time"),
    "concat_numpy_and_chunked": lambda d, c: xr.concat([d.b, c.b.astype("float32")], dim="run"),
    "variable_concat": lambda d, c: xr.Variable.concat([d.b.variable, c.b.variable], dim="run"),
}


@pytest.mark.parametrize("name", MIXED)
def test_in_memory_and_chunked_operands_match_xarray_on_dask(ds, name):
    op = MIXED[name]
    ours = op(ds, ds.chunk(CHUNKS, chunked_array_type="gpuscale"))
    theirs = op(ds, ds.chunk(CHUNKS))
    assert isinstance(ours.data, ga.Array)
    xr.testing.assert_allclose(ours.compute(), theirs.compute())
    xr.testing.assert_allclose(ours.compute(), op(ds, ds))


# xarray's map_blocks builds a dask graph over the blocks of its inputs; on gpuscale inputs the results are
# gpuscale arrays over that graph (so they combine with the inputs, as dask's results with dask inputs)
MAP_BLOCKS = {
    "dataset_plus_input": lambda d: d.map_blocks(lambda b: b * 2) - d,
    "block_anomaly": lambda d: xr.map_blocks(lambda b: b - b.mean("time"), d.a) + d.a,
    "args": lambda d: xr.map_blocks(lambda b, w: b * w, d.a, args=[d.b]),
    "template": lambda d: d.a.map_blocks(lambda b: b.mean("lon"), template=d.a.mean("lon")).cumsum("time"),
    # arguments whose plans are optimized into nodes of other names (a fused chain, a rechunk fused into the
    # step reading it): xarray names their blocks after ``x.name``
    "fused_args": lambda d: xr.map_blocks(lambda b, w: b * w, d.a, args=[d.b * 2 + 1]),
    "rechunked_args": lambda d: xr.map_blocks(lambda a, b: (a + b).sum("time"), d.a.chunk({"time": -1}),
                                              args=[d.a.chunk({"time": -1}) + 1],
                                              template=d.a.chunk({"time": -1}).sum("time")),
}


@pytest.mark.parametrize("name", MAP_BLOCKS)
def test_map_blocks_match_xarray_on_dask(ds, name):
    ours, theirs = _both(ds, MAP_BLOCKS[name])
    _assert_gpuscale(ours)
    xr.testing.assert_allclose(ours.compute(), theirs.compute())
    assert ours.chunks == theirs.chunks


def test_map_blocks_of_a_dataset_with_a_zero_dimensional_result():
    """A 0-d variable of the template: dask gives its keys as ``[(name,)]``, which was taken as a list of
    blocks (the result had shape (1,) under a 0-d variable and failed at compute)."""
    ds = xr.Dataset({"a": ("t", np.arange(6.0)), "b": (("t", "x"), np.ones((6, 2)))})
    chunked = ds.chunk(t=6, chunked_array_type="gpuscale")
    out = chunked.map_blocks(lambda block: block.mean("t"), template=chunked.mean("t"))
    xr.testing.assert_identical(out.compute(), ds.mean("t"))


def test_map_blocks_of_a_running_total_indexed_by_a_list():
    # a task of the running total's output starts with the index array (a take of positions [1, 0]): the
    # protocol's renaming compared it with the output's name ("truth value of an array ... is ambiguous")
    da = xr.DataArray(np.arange(20.0).reshape(10, 2), dims=("x", "y"))
    chunked = da.chunk({"x": 3}, chunked_array_type="gpuscale").cumsum("x").isel(y=[1, 0])
    out = xr.map_blocks(lambda block: block * 2, chunked)
    xr.testing.assert_allclose(out.compute(), da.cumsum("x").isel(y=[1, 0]) * 2)
