"""x[key] = value into record arrays (a tuple is one record; a field name sets that field), and indexing errors
worded as NumPy's (an out-of-bounds lazy index, index arrays that do not broadcast), against NumPy."""

import numpy as np
import pytest

import gpuscale.array as ga
from tests.array.array_helpers import assert_same

RECORD = np.dtype([("a", "i4"), ("b", "f8")])


def _records(backend: str) -> np.ndarray:
    if backend != "numpy":
        pytest.skip("record (structured) dtypes are NumPy chunks only")
    data = np.zeros(5, dtype=RECORD)
    data["a"] = np.arange(5)
    data["b"] = np.arange(5) / 2
    return data


MASK = np.array([True, False, True, False, True])


@pytest.mark.parametrize("key, value", [
    (slice(0, 2), (7, 2.5)), ([0, 2], (7, 2.5)), (1, (7, 2.5)), (-1, (7, 2.5)), (Ellipsis, (7, 2.5)),
    (MASK, (7, 2.5)), (slice(0, 2), [(7, 2.5)]), (MASK, [(7, 2.5)]), (Ellipsis, np.array((7, 2.5), dtype=RECORD)),
], ids=repr)
def test_a_tuple_is_one_record_as_numpy(key: object, value: object, backend: str) -> None:
    expected = _records(backend)
    ours = ga.from_array(expected, chunks=2)
    ours[key] = value
    expected[key] = value
    assert_same(ours, expected)


def test_a_list_of_tuples_is_records_as_numpy(backend: str) -> None:
    expected = _records(backend)
    ours = ga.from_array(expected, chunks=2)
    ours[1:4] = [(7, 2.5), (8, 3.5), (9, 4.5)]
    expected[1:4] = [(7, 2.5), (8, 3.5), (9, 4.5)]
    assert_same(ours, expected)


@pytest.mark.parametrize("entries, shown", [([-21, 1], "-21"), ([3, 20], "20"), ([-40, 25, 0], "-40")])
def test_a_lazy_index_out_of_bounds_shows_its_own_entry_and_the_axis(entries: list, shown: str) -> None:
    data = np.arange(20)
    with pytest.raises(IndexError, match=f"index {shown} is out of bounds for axis 0 with size 20"):
        data[np.array(entries)]  # NumPy's wording
    index = ga.from_array(np.array(entries), chunks=2) + 0  # lazy: checked when computed
    with pytest.raises(IndexError, match=f"index {shown} is out of bounds for axis 0 with size 20"):
        ga.from_array(data, chunks=6)[index].compute()


def test_a_lazy_index_out_of_bounds_along_a_later_axis_names_it() -> None:
    index = ga.from_array(np.array([0, -5]), chunks=1) + 0
    with pytest.raises(IndexError, match="index -5 is out of bounds for axis 1 with size 4"):
        ga.from_array(np.zeros((3, 4)), chunks=2)[:, index].compute()


@pytest.mark.parametrize("key", [([0, 1], [0, 1, 2]), (np.array([[0, 1]]), slice(None), np.array([0, 1, 2])),
                                 (np.array([0, 1]), None, np.zeros((3, 3), dtype=int))], ids=repr)
def test_index_arrays_that_do_not_broadcast_raise_numpys_index_error(key: tuple) -> None:
    data = np.arange(24).reshape(3, 4, 2)[..., 0] if len(key) == 2 else np.arange(24).reshape(2, 4, 3)
    with pytest.raises(IndexError) as numpy_error:
        data[key]
    with pytest.raises(IndexError, match="shape mismatch: indexing arrays could not be broadcast together with "
                                         r"shapes \(") as ours:
        ga.from_array(data, chunks=2)[key]
    assert str(ours.value).split(" with shapes ")[1].strip() == str(numpy_error.value).split(" with shapes ")[1].strip()


SUBARRAY = np.dtype([("a", "i4"), ("v", ("f8", (3,)))])


@pytest.mark.parametrize("name, value", [
    ("a", 5), ("b", -1.5), ("a", 2.7), ("a", np.arange(5)), ("b", [1.0, 2.0, 3.0, 4.0, 5.0]), ("a", np.array([9])),
    ("b", np.array([[0.5]])),
], ids=repr)
def test_a_field_name_sets_that_field_as_numpy(name: str, value: object, backend: str) -> None:
    expected = _records(backend)
    ours = ga.from_array(expected, chunks=2)
    ours[name] = value
    expected[name] = value
    assert_same(ours, expected)


@pytest.mark.parametrize("value", [np.arange(5.0), ga.arange(5.0, chunks=3)], ids=["numpy", "lazy"])
def test_a_field_takes_a_lazy_value_as_numpy(value: object, backend: str) -> None:
    expected = _records(backend)
    ours = ga.from_array(expected, chunks=2)
    ours["b"] = value * 2
    expected["b"] = np.arange(5.0) * 2
    assert_same(ours, expected)


@pytest.mark.parametrize("value", [7.5, [1.0, 2.0, 3.0], np.arange(12.0).reshape(4, 3), np.arange(4.0)[:, None]],
                         ids=repr)
def test_a_subarray_field_broadcasts_the_value_against_its_shape(value: object, backend: str) -> None:
    _records(backend)
    expected = np.zeros(4, dtype=SUBARRAY)
    ours = ga.from_array(expected, chunks=3)
    ours["v"] = value
    expected["v"] = value
    assert_same(ours, expected)


def test_field_assignment_errors_as_numpy(backend: str) -> None:
    data = _records(backend)
    ours = ga.from_array(data, chunks=2)
    with pytest.raises(ValueError, match="no field of name z"):
        ours["z"] = 1
    with pytest.raises(IndexError, match="has no fields"):
        x = ga.ones(3)
        x["a"] = 1
    with pytest.raises(ValueError, match="broadcast"):
        ours["a"] = np.arange(3)
    assert_same(ours, data)  # unchanged


@pytest.mark.parametrize("value", [np.arange(-1, -5, -1), [-1.5, -2.5, -3.5, -4.5], np.array([-9]), [7]], ids=repr)
@pytest.mark.parametrize("as_gpuscale", [False, True], ids=["numpy-mask", "in-memory-gpuscale-mask"])
def test_an_nd_mask_in_memory_takes_values_in_row_major_order(value: object, as_gpuscale: bool) -> None:
    expected = np.arange(12).reshape(3, 4)
    mask = expected % 3 == 0  # 4 true, spread over the blocks
    ours = ga.from_array(expected, chunks=(2, 3))
    ours[ga.asarray(mask, chunks=(2, 2)) if as_gpuscale else mask] = value
    expected[mask] = value
    assert_same(ours, expected)
    assert ours.chunks == ((2, 1), (3, 1))


@pytest.mark.parametrize("value", [ga.arange(-1, -5, -1, chunks=3), ga.from_array(np.array([-5]), chunks=1) + 0],
                         ids=["four", "one"])
def test_an_nd_mask_in_memory_takes_lazy_values(value: object) -> None:
    expected = np.arange(12).reshape(3, 4)
    mask = expected % 3 == 0
    ours = ga.from_array(expected, chunks=(2, 3))
    ours[mask] = value
    expected[mask] = value.compute()
    assert_same(ours, expected)


def test_an_nd_mask_selecting_nothing_takes_an_empty_value() -> None:
    expected = np.arange(12).reshape(3, 4)
    ours = ga.from_array(expected, chunks=(2, 3))
    ours[expected > 100] = np.array([], dtype=int)
    assert_same(ours, expected)


@pytest.mark.parametrize("value, error", [(np.arange(3), ValueError), (np.arange(8), ValueError),
                                          (np.arange(4).reshape(2, 2), TypeError), ([[5]], TypeError)], ids=repr)
def test_an_nd_mask_refuses_values_as_numpy(value: object, error: type) -> None:
    data = np.arange(12).reshape(3, 4)
    mask = data % 3 == 0
    with pytest.raises(error) as numpy_error:
        data.copy()[mask] = value
    with pytest.raises(error, match="NumPy boolean array indexing assignment") as ours:
        ga.from_array(data, chunks=(2, 3))[mask] = value
    assert str(ours.value) == str(numpy_error.value)


def test_a_lazy_nd_mask_still_takes_one_value() -> None:
    data = np.arange(12).reshape(3, 4)
    x = ga.from_array(data, chunks=(2, 3))
    with pytest.raises(ValueError, match="lazy boolean mask takes one value"):
        x[x % 3 == 0] = np.arange(4)
