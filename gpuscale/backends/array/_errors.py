"""The data libraries' exception classes that gpuscale's own errors extend, so that ``except`` clauses written
for NumPy (or dask) catch gpuscale's errors too."""

from __future__ import annotations

import numpy

# NumPy's AxisError (a ValueError and an IndexError); dask.array raises it for axes out of range
NumpyAxisError = numpy.exceptions.AxisError

# NumPy's LinAlgError (a ValueError): numpy.linalg.lstsq's "Incompatible dimensions"
NumpyLinAlgError = numpy.linalg.LinAlgError
