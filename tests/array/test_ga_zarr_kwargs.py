"""``to_zarr``'s options of the new Zarr array (dask's ``**zarr_array_kwargs``): ``chunks=``, ``dtype=`` and
``shape=`` override the array's, ``name=`` is ``component=``, and one ``zarr_array_kwargs={...}``
dictionary is accepted; compared with dask.array writing the same data."""

from __future__ import annotations

import warnings

import dask.array as da
import numpy as np
import pytest

import gpuscale.array as ga

zarr = pytest.importorskip("zarr")

DATA = np.arange(10.0) + 0.7


def _both(tmp_path, **kw):
    """The Zarr arrays dask and gpuscale write for ``DATA`` (blocks of 5) with the options ``kw``."""
    name = kw.get("name")
    da.to_zarr(da.from_array(DATA, chunks=5), str(tmp_path / "d.zarr"), **kw)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # rechunking to the asked-for grid is not warned about
        ga.to_zarr(ga.from_array(DATA, chunks=5), str(tmp_path / "g.zarr"), **kw)
    return (zarr.open_array(str(tmp_path / "d.zarr"), path=name or "", mode="r"),
            zarr.open_array(str(tmp_path / "g.zarr"), path=name or "", mode="r"))


@pytest.mark.parametrize("kw", [{"chunks": (2,)}, {"chunks": 3}, {"dtype": "f4"}, {"dtype": "i2"},
                                {"name": "arr"}, {"shape": (10,)},
                                {"chunks": (4,), "dtype": "f4", "name": "grp/arr"}])
def test_to_zarr_creation_options_override_as_dask(tmp_path, kw):
    d, g = _both(tmp_path, **kw)
    assert g.chunks == d.chunks and g.dtype == d.dtype and g.shape == d.shape
    # the values as NumPy casts them: dask writes its blocks of 5 unaligned with chunks= (2,) without a
    # lock and loses some; gpuscale rechunks them to the Zarr chunks first
    np.testing.assert_array_equal(g[:], DATA.astype(g.dtype))


def test_to_zarr_accepts_a_zarr_array_kwargs_dictionary(tmp_path):
    path = str(tmp_path / "g.zarr")
    ga.to_zarr(ga.from_array(DATA, chunks=5), path, zarr_array_kwargs={"chunks": (2,), "dtype": "f4"})
    z = zarr.open_array(path, mode="r")
    assert z.chunks == (2,) and z.dtype == np.dtype("f4")
    np.testing.assert_array_equal(z[:], DATA.astype("f4"))


def test_to_zarr_refuses_conflicting_creation_options(tmp_path):
    x, path = ga.from_array(DATA, chunks=5), str(tmp_path / "g.zarr")
    with pytest.raises(ValueError, match="component"):
        ga.to_zarr(x, path, component="a", name="b")
    with pytest.raises(ValueError, match="shape"):
        ga.to_zarr(x, path, shape=(12,))
    with pytest.raises(TypeError, match="zarr_array_kwargs"):
        ga.to_zarr(x, path, chunks=(2,), zarr_array_kwargs={"chunks": (3,)})
    assert not (tmp_path / "g.zarr").exists()  # refused before anything is created
