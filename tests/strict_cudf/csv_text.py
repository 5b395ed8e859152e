"""``DataFrame.to_csv`` of the strict stand-in: the text libcudf's CSV writer writes, not pandas'.

Read from cuDF 26.10 (``cpp/src/io/csv/writer_impl.cu`` and ``cpp/src/strings/convert/convert_floats.cu``):

* floats are ``cudf::strings::from_floats``: 10 significant digits at most (``-0.8019314252534474`` is
  written ``-0.801931425``: the values change), trailing zeros dropped but one (``2.0``), scientific
  notation outside [1e-4, 1e9] (``1.5e+10``), ``NaN``/``Inf``/``-Inf``;
* timestamps are ISO 8601 with a ``T`` and a ``Z`` and the fraction of their unit
  (``2024-01-01T00:00:00.000000Z`` for microseconds), which pandas reads back as UTC-aware;
* nulls (cuDF's ``from_pandas`` makes NaN/NaT null) are ``na_rep``.

Other columns (and a MultiIndex) and the options are written as pandas writes them (cuDF's restrictions on the
options are checked by ``restrictions/writers.py``).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

_UPPER10 = (10, 100, 10000, 1e8, 1e16, 1e32, 1e64, 1e128, 1e256)
_LOWER10 = (.1, .01, .0001, 1e-8, 1e-16, 1e-32, 1e-64, 1e-128, 1e-256)
_BLOWER10 = (1.0, .1, .001, 1e-7, 1e-15, 1e-31, 1e-63, 1e-127, 1e-255)


def to_csv(obj: pd.DataFrame, path_or_buf: Any = None, sep: str = ",", na_rep: str = "", columns: Any = None,
           header: bool = True, index: bool = True, encoding: Any = None, compression: Any = None,
           quoting: Any = None, lineterminator: str = "\n", chunksize: Any = None,
           storage_options: Any = None) -> Any:
    """cuDF's ``DataFrame.to_csv`` (its parameters and defaults), float and timestamp columns as libcudf's text."""
    from .restrictions import check_call

    options = {"encoding": encoding, "quoting": quoting, "header": header}
    check_call("DataFrame", "to_csv", (), {k: v for k, v in options.items() if v is not None}, obj)
    frame = (obj if columns is None else obj[columns]).copy()
    for j in range(frame.shape[1]):
        if _libcudf_formats(frame.iloc[:, j]):
            frame.isetitem(j, _column_text(frame.iloc[:, j]))
    if frame.index.nlevels == 1 and _libcudf_formats(frame.index.to_series()):
        frame.index = pd.Index(_column_text(frame.index.to_series()), name=frame.index.name)
    return frame.to_csv(path_or_buf, sep=sep, na_rep=na_rep, header=header, index=index, encoding=encoding,
                        compression=compression, quoting=quoting, lineterminator=lineterminator,
                        chunksize=chunksize, storage_options=storage_options)


def _libcudf_formats(column: pd.Series) -> bool:
    kind = column.dtype
    return (pd.api.types.is_float_dtype(kind) or
            (pd.api.types.is_datetime64_dtype(kind) and getattr(kind, "tz", None) is None))


def _column_text(column: pd.Series) -> pd.Series:
    """The column's values as libcudf's text (None for nulls: written as ``na_rep``)."""
    if pd.api.types.is_float_dtype(column.dtype):
        return pd.Series([None if pd.isna(v) else float_text(float(v)) for v in column], index=column.index,
                         dtype=object)
    return timestamp_text(column)


def timestamp_text(column: pd.Series) -> pd.Series:
    """``%Y-%m-%dT%H:%M:%S[.fraction]Z``, the fraction with the digits of the column's unit."""
    unit = np.datetime_data(column.dtype)[0]
    digits = {"s": 0, "ms": 3, "us": 6, "ns": 9}[unit]
    seconds = column.dt.strftime("%Y-%m-%dT%H:%M:%S")
    if digits:
        ticks = column.astype("int64") % (10 ** digits)
        seconds = seconds + "." + ticks.astype(str).str.zfill(digits)
    text = (seconds + "Z").astype(object)
    return text.where(column.notna(), None)


def float_text(value: float) -> str:
    """libcudf's ``ftos_converter::float_to_string``."""
    if math.isnan(value):
        return "NaN"
    negative = math.copysign(1.0, value) < 0
    value = -value if negative else value
    if math.isinf(value):
        return "-Inf" if negative else "Inf"
    integer, decimal, exp10, places = _dissect(value)
    text = ("-" if negative else "") + str(integer) + "." + (str(decimal).zfill(places) if places else "0")
    if exp10:
        text += "e" + ("-" if exp10 < 0 else "+") + f"{abs(exp10):02d}"
    return text


def _dissect(value: float) -> tuple:
    """``ftos_converter::dissect_value``: integer, decimal digits, exponent and number of decimal places."""
    places, exp10 = 9, 0  # significant_digits - 1
    if value > 1e9:
        step = 256
        for j in range(8, -1, -1):
            if value >= _UPPER10[j]:
                value *= _LOWER10[j]
                exp10 += step
            step >>= 1
    elif 0.0 < value < 0.0001:
        step = 256
        for j in range(8, -1, -1):
            if value < _BLOWER10[j]:
                value *= _UPPER10[j]
                exp10 -= step
            step >>= 1
    max_digits = 1000000000
    integer = int(value)
    rest = integer
    while rest >= 10:
        places -= 1
        max_digits //= 10
        rest //= 10
    remainder = (value - float(integer)) * float(max_digits)
    decimal = int(remainder)
    remainder -= float(decimal)
    decimal += int(2.0 * remainder)
    if decimal >= max_digits:
        decimal = 0
        integer += 1
        if exp10 and integer >= 10:
            exp10 += 1
            integer = 1
    while decimal % 10 == 0 and places > 0:
        decimal //= 10
        places -= 1
    return integer, decimal, exp10, places
