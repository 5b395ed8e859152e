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


def _info_summary(block_info):
    return {k: (v["shape"], v["num-chunks"], v["chunk-location"], list(v["array-location"]),
                v.get("chunk-shape"), v.get("dtype")) for k, v in block_info.items()}


@pytest.mark.parametrize("case", ["plain", "broadcast", "drop_axis", "new_axis"])
def test_map_blocks_block_info_matches_dask(case):
    seen = {"ga": [], "da": []}

    def recorder(tag):
        def func(*blocks, block_info=None):
            seen[tag].append(_info_summary(block_info))
            if case == "drop_axis":
                return blocks[0].sum(axis=1)
            if case == "new_axis":
                return blocks[0][:, None] * np.ones((1, 3))
            return sum(blocks[1:], blocks[0])
        return func

    data = np.arange(24.0).reshape(4, 6)
    for tag, m in (("ga", ga), ("da", da)):
        x = m.from_array(data, chunks=(2, 3))
        if case == "plain":
            out = m.map_blocks(recorder(tag), x, 100, x + 1, dtype=x.dtype)
        elif case == "broadcast":
            out = m.map_blocks(recorder(tag), x, m.from_array(data[:1], chunks=(1, 3)), dtype=x.dtype)
        elif case == "drop_axis":
            out = m.map_blocks(recorder(tag), m.from_array(data, chunks=(2, 6)), drop_axis=1, dtype=x.dtype)
        else:
            out = m.map_blocks(recorder(tag), m.from_array(data[:, 0], chunks=2), chunks=((2, 2), 3),
                               new_axis=1, dtype=x.dtype)
        seen[tag + "-result"] = out.compute(scheduler="sync")
    key = lambda info: repr(info[None][2])  # noqa: E731 - order the blocks by their output location
    assert sorted(seen["ga"], key=key) == sorted(seen["da"], key=key)
    np.testing.assert_array_equal(seen["ga-result"], seen["da-result"])


def test_map_blocks_without_arrays_and_with_block_pairing():
    def ramp(dtype, block_info=None):
        (start, stop), = block_info[None]["array-location"]
        return np.arange(start, stop, dtype=dtype)

    for m in (ga, da):
        x = m.map_blocks(ramp, np.float32, chunks=((5, 3),), dtype=np.float32)
        assert x.chunks == ((5, 3),)
        np.testing.assert_array_equal(x.compute(), np.arange(8, dtype=np.float32))
    # arrays of different lengths are paired block by block (one block broadcast), as dask pairs them
    a, b = np.array([1, 2, 3]), np.array([0, 1, 2, 0, 1, 2])
    ours = ga.map_blocks(operator.add, ga.from_array(a, chunks=3), ga.from_array(b, chunks=3), chunks=((3, 3),))
    theirs = da.map_blocks(operator.add, da.from_array(a, chunks=3), da.from_array(b, chunks=3), chunks=((3, 3),))
    np.testing.assert_array_equal(ours.compute(), theirs.compute())
    # more dimensions in chunks= than the input has are new leading axes
    y = ga.map_blocks(lambda block: block[None], ga.ones((5, 3), chunks=2), chunks=((1,), (2, 2, 1), (2, 1)))
    np.testing.assert_array_equal(y.compute(), np.ones((1, 5, 3)))


@pytest.mark.parametrize("kwargs", [{"chunks": ((4, 4, 4),), "drop_axis": 0}, {"chunks": (), "drop_axis": 0},
                                    {"new_axis": (3, 4)}])
def test_map_blocks_refuses_chunks_that_do_not_fit(kwargs):
    x = np.arange(56).reshape(7, 8)
    for m in (ga, da):
        with pytest.raises(ValueError):
            m.from_array(x, chunks=(7, 4)).map_blocks(lambda b: b.sum(axis=0), dtype=x.dtype, **kwargs)


def test_atop_is_blockwise_with_dasks_warning():
    x = ga.ones(10, chunks=(5,))
    with pytest.warns(UserWarning, match="The da.atop function has moved to da.blockwise"):
        y = ga.atop(operator.neg, "i", x, "i", dtype=x.dtype)
    z = ga.blockwise(operator.neg, "i", x, "i", dtype=x.dtype)
    np.testing.assert_array_equal(np.asarray(gpuscale.backends.to_host(y.compute())), np.full(10, -1.0))
    assert y.chunks == z.chunks == ((5, 5),) and y.name == z.name
