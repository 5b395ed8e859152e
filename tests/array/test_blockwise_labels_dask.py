"""blockwise as dask.array's: any hashable index labels, no array arguments, dask's index errors, object
blocks; full's scalar fill value."""

from __future__ import annotations

import operator

import dask.array as da
import numpy as np
import pytest

import gpuscale
import gpuscale.array as ga


@pytest.fixture(autouse=True)
def backend():
    """Object blocks and functions returning NumPy blocks: NumPy chunks."""
    with gpuscale.config.set(backend="numpy", scheduler="sync"):
        yield "numpy"


def test_word_labels_and_a_new_axis_match_dask():
    def signs(x):
        return np.stack([x, -x], axis=-1)

    data = np.arange(6.0).reshape(2, 3)
    args = (signs, ("x", "y", "sign"))
    kwargs = {"dtype": data.dtype, "new_axes": {"sign": 2}, "concatenate": True}
    result = ga.blockwise(*args, ga.from_array(data, chunks=1), ("x", "y"), **kwargs)
    expected = da.blockwise(*args, da.from_array(data, chunks=1), ("x", "y"), **kwargs)
    assert result.chunks == expected.chunks
    np.testing.assert_array_equal(result.compute(), expected.compute())


def test_int_and_letter_labels_stay_apart():
    x = np.arange(12.0).reshape(3, 4)
    # label 0 of the second operand is not the letter "a"
    result = ga.blockwise(np.outer, ("a", 0), ga.from_array(x[0], chunks=2), "a", ga.from_array(x[1], chunks=3),
                          (0,), dtype=x.dtype)
    np.testing.assert_array_equal(result.compute(), np.outer(x[0], x[1]))


def test_no_array_arguments_take_their_shape_from_new_axes():
    def block(dtype):
        return np.ones((2, 3), dtype)

    result = ga.blockwise(block, "ab", np.float32, None, new_axes={"a": 2, "b": (3, 3)}, dtype=np.float32)
    expected = da.blockwise(block, "ab", np.float32, None, new_axes={"a": 2, "b": (3, 3)}, dtype=np.float32)
    assert result.chunks == expected.chunks == ((2,), (3, 3))
    np.testing.assert_array_equal(result.compute(), expected.compute())


@pytest.mark.parametrize(("out", "ind", "words"), [("jk", "ij", ["unknown dimension", "k"]),
                                                   ("ii", "ij", ["repeated", "i"])])
def test_bad_output_index_raises_dask_error(out, ind, words):
    x = ga.ones((4, 4), chunks=2)
    with pytest.raises(ValueError) as info:
        ga.blockwise(abs, out, x, ind, dtype=x.dtype)
    with pytest.raises(ValueError) as dask_info:
        da.blockwise(abs, out, da.ones((4, 4), chunks=2), ind, dtype=x.dtype)
    for word in words:
        assert word in str(info.value).lower() and word in str(dask_info.value).lower()


def test_object_blocks():
    words = np.array(["a", "bb", "ccc"], dtype=object)
    result = ga.blockwise(operator.add, "i", ga.from_array(words, chunks=2), "i", "_", None, dtype=object)
    assert result.dtype == np.dtype(object)
    np.testing.assert_array_equal(result.compute(), words + "_")


@pytest.mark.parametrize("make", [lambda m: m.full((3, 3), [100, 100], chunks=2),
                                  lambda m: m.full_like(np.ones((3, 3)), [100, 100], chunks=2)])
def test_full_needs_one_fill_value(make):
    with pytest.raises(ValueError, match="fill_value must be scalar"):
        make(ga)
    with pytest.raises(ValueError, match="fill_value must be scalar"):
        make(da)


def test_delayed_arguments_run_first():
    import dask

    hundred = dask.delayed(lambda: 100)()
    x = np.arange(10)
    positional = ga.blockwise(operator.add, "i", ga.from_array(x, chunks=5), "i", hundred, None, dtype=x.dtype)
    keyword = ga.blockwise(lambda a, b: a + b, "i", ga.from_array(x, chunks=5), "i", b=hundred, dtype=x.dtype)
    expected = da.blockwise(operator.add, "i", da.from_array(x, chunks=5), "i", hundred, None, dtype=x.dtype)
    np.testing.assert_array_equal(positional.compute(), expected.compute())
    np.testing.assert_array_equal(keyword.compute(), x + 100)
