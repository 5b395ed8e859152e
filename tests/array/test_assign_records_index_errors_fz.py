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
