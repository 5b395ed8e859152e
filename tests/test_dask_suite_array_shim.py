"""The dask-suite harness for dask.array's tests: module paths, the submodule stand-ins, the failure causes."""

import importlib

import dask.array.overlap
import pytest

import gpuscale.array as ga
import gpuscale.array.overlap
from tests.dask_api import dask_suite
from tests.dask_api.dask_suite_shim import _array_computed, _array_standin


def test_array_modules_are_dask_array_test_files():
    for module in dask_suite.ARRAY_MODULES:
        path = dask_suite._test_file(module)
        assert path.is_file() and path.parent.parent.name == "array", path
    assert dask_suite._test_file("test_boolean").parent.parent.name == "dataframe"


def test_a_submodule_stand_in_gives_gpuscale_names_and_refuses_dask_internals():
    overlap = _array_standin("overlap", dask.array.overlap, gpuscale.array.overlap, ga)
    assert overlap.overlap is gpuscale.array.overlap.overlap  # the function, not gpuscale.array's module
    assert overlap.map_overlap is gpuscale.array.overlap.map_overlap
    with pytest.raises(NotImplementedError, match="dask.array.overlap.ensure_minimum_chunksize is a dask internal"):
        overlap.ensure_minimum_chunksize(2, ((1, 3),))
    with pytest.raises(AttributeError):
        overlap.not_a_dask_name  # noqa: B018
    theirs = importlib.import_module("dask.array.reshape")  # the module: ``dask.array.reshape`` is the function
    reshape = _array_standin("reshape", theirs, None, ga)
    assert reshape.reshape is ga.reshape  # from gpuscale.array when gpuscale has no such module


def test_dask_internals_named_like_gpuscale_functions_and_internal_exceptions_are_refused():
    import dask.array.chunk
    import dask.array.slicing
    import numpy as np

    slicing = _array_standin("slicing", dask.array.slicing, None, ga)
    with pytest.raises(NotImplementedError, match="dask.array.slicing.take is a dask internal"):
        slicing.take("y", "x", [(20, 20)], [5, 1], axis=0)  # dask's graph builder, not gpuscale's take
    noop = slicing.SlicingNoop  # an exception class stays one, so ``pytest.raises(SlicingNoop)`` can be written
    assert issubclass(noop, Exception) and noop is not dask.array.slicing.SlicingNoop
    creation = _array_standin("creation", importlib.import_module("dask.array.creation"), None, ga)
    assert creation.AxisError is np.exceptions.AxisError  # NumPy's exception, not a dask internal
    chunk = _array_standin("chunk", dask.array.chunk, None, ga)
    with pytest.raises(NotImplementedError, match="dask.array.chunk.coarsen is a dask internal"):
        chunk.coarsen(sum, [[1]], {0: 1})
    assert chunk.sum is ga.sum  # the other names still come from gpuscale


def test_assert_eq_input_is_computed_and_unknown_lengths_pass_the_shape_check():
    import numpy as np

    x = ga.arange(6, chunks=4) * 2
    np.testing.assert_array_equal(_array_computed(x, True), np.arange(6) * 2)
    picked = x[x > 4]  # a length known only once computed (NaN in the metadata)
    np.testing.assert_array_equal(_array_computed(picked, True), np.array([6, 8, 10]))
    plain = np.arange(3)
    assert _array_computed(plain, True) is plain


def test_failures_are_grouped_by_cause():
    causes = dask_suite.top_causes([
        "TypeError: empty() got an unexpected keyword argument 'order'",
        "TypeError: ones() got an unexpected keyword argument 'order'",
        "NotImplementedError: dask.array.rechunk.plan_rechunk is a dask internal that gpuscale does not have",
        "ValueError: something else / detail",
    ])
    assert causes == [["keyword argument 'order' not accepted", 2, "empty, ones"],
                      ["uses a dask-internal helper (fails by construction)", 1, "rechunk.plan_rechunk"],
                      ["ValueError: something else", 1, ""]]


def test_a_float_index_array_is_its_own_cause():
    # dask's ``x[mask] = 1`` takes a float dask array as a mask; gpuscale refuses it as NumPy does
    message = "IndexError: arrays used as indices must be of integer or boolean type, not float64"
    assert dask_suite.cause(message) == ("a float index array refused, as NumPy refuses it", None)


def test_assert_eq_keeps_the_object_dtype_of_a_full_reduction_of_objects():
    import numpy as np

    data = np.array([1, 2.5, 4], dtype=object)
    computed = _array_computed(ga.sum(ga.from_array(data, chunks=2)), True)
    assert computed.dtype == object and computed.shape == () and computed[()] == np.sum(data)
    assert type(_array_computed(ga.sum(ga.asarray([1.0, 2.0])), True)) is np.float64  # numbers stay scalars
