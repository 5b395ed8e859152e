"""Partitions of the synthetic datasets (``gpuscale.datasets``): dask's ``timeseries`` rows, value for value.

The same seed gives the same rows as ``dask.datasets.timeseries``: one ``numpy.random.RandomState``
per partition, seeded from a state the seed makes, drawing every column in the ``dtypes`` order (a
projected column has the same values as in the full frame).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from gpuscale.backends.frame.core import convert_library

__all__ = ["NAMES", "timeseries_divisions", "timeseries_seeds", "TimeseriesPart", "draw_seed"]

NAMES = ["Alice", "Bob", "Charlie", "Dan", "Edith", "Frank", "George", "Hannah", "Ingrid", "Jerry", "Kevin",
         "Laura", "Michael", "Norbert", "Oliver", "Patricia", "Quinn", "Ray", "Sarah", "Tim", "Ursula",
         "Victor", "Wendy", "Xavier", "Yvonne", "Zelda"]


def _string(n: int, rstate: Any) -> Any:
    return rstate.choice(NAMES, size=n)


def _categorical(n: int, rstate: Any) -> Any:
    return pd.Categorical.from_codes(rstate.randint(0, len(NAMES), size=n), NAMES)


def _float(n: int, rstate: Any) -> Any:
    return rstate.rand(n) * 2 - 1


def _int(n: int, rstate: Any, lam: int = 1000) -> Any:
    return rstate.poisson(lam, size=n)


_MAKE = {float: _float, int: _int, str: _string, object: _string, "string": _string, "str": _string,
         "category": _categorical, "float": _float, "float64": _float, "int": _int, "int64": _int,
         "object": _string}


def draw_seed() -> int:
    """A seed from NumPy's global random state (as dask draws one when none is given)."""
    return int(np.random.randint(2e9))


def timeseries_divisions(start: Any, end: Any, partition_freq: str) -> list:
    return list(pd.date_range(start=start, end=end, freq=partition_freq))


def timeseries_seeds(seed: int, npartitions: int, ncolumns: int) -> list[int]:
    """The seed of each partition's ``RandomState``."""
    ncolumns = max(ncolumns, 1)
    data = np.random.RandomState(seed).bytes(npartitions * ncolumns * 4)
    states = np.frombuffer(data, dtype=np.uint32)
    return [int(states[i * ncolumns]) for i in range(npartitions)]


class TimeseriesPart:
    """Makes one partition: rows every ``freq`` from ``start`` up to (not including) ``end``."""

    def __init__(self, dtypes: dict, columns: list, freq: str, kwargs: dict, library: str = "pandas") -> None:
        unknown = [dt for dt in dtypes.values() if _key(dt) not in _MAKE]
        if unknown:
            raise TypeError(f"timeseries: no generator for dtype {unknown[0]!r} (float, int, str, 'string', "
                            "'category')")
        self.dtypes, self.columns, self.freq, self.kwargs, self.library = dtypes, columns, freq, kwargs, library

    def __gpuscale_tokenize__(self) -> str:
        # by value: the same arguments (and seeds) give the same collection name, as in dask
        return repr((list(self.dtypes.items()), self.columns, self.freq, sorted(self.kwargs.items()), self.library))

    def __call__(self, start: Any, end: Any, state_data: int) -> Any:
        state = np.random.RandomState(state_data)
        index = pd.date_range(start=start, end=end, freq=self.freq, name="timestamp")
        data = {}
        for column, dtype in self.dtypes.items():
            options = {key.rsplit("_", 1)[1]: value for key, value in self.kwargs.items()
                       if key.rsplit("_", 1)[0] == column}
            values = _MAKE[_key(dtype)](len(index), state, **options)  # every column drawn, in order
            if column in self.columns:
                data[column] = values
        frame = pd.DataFrame(data, index=index, columns=self.columns)
        if len(frame) and frame.index[-1] == pd.Timestamp(end):
            frame = frame.iloc[:-1]
        for column, dtype in self.dtypes.items():
            if column in self.columns and _key(dtype) in ("string", "str"):
                frame[column] = frame[column].astype("string")
        return convert_library(frame, self.library)


def _key(dtype: Any) -> Any:
    return dtype if isinstance(dtype, type) else str(dtype)
