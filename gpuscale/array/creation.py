"""Creation functions: ``asarray``, ``zeros``, ``arange``, ``eye``, ``*_like`` ... with ``chunks=`` and ``backend=``.

They live by concern; this module gathers them (``gpuscale.array`` and the other array modules import them
from here):

* :mod:`gpuscale.array.creation_common`: the chunk library from ``backend=`` / ``device=``, ``chunks="auto"``
  (``array.chunk_bytes.cpu`` / ``.gpu``) and the ``Create`` expression every routine builds;
* :mod:`gpuscale.array.conversion`: arrays from data (``asarray``, ``from_array``, ``from_dlpack``) and
  ``to_backend``;
* :mod:`gpuscale.array.filled`: ``zeros``, ``ones``, ``empty``, ``full``, the ``*_like`` forms, ``eye``,
  ``tril``, ``triu``;
* :mod:`gpuscale.array.ranges`: ``arange``, ``linspace``, ``meshgrid``.
"""

from __future__ import annotations

from gpuscale.array.conversion import asarray, from_array, from_array_subclass, from_dlpack, to_backend
from gpuscale.array.creation_common import backend_of_device, chunk_bytes, normalize, resolve_backend
from gpuscale.array.filled import (empty, empty_like, eye, full, full_like, ones, ones_like, tril, triu, zeros,
                                   zeros_like)
from gpuscale.array.ranges import arange, linspace, meshgrid

__all__ = ["asarray", "from_array", "zeros", "ones", "empty", "full", "zeros_like", "ones_like", "empty_like",
           "full_like", "arange", "linspace", "eye", "meshgrid", "tril", "triu", "from_dlpack", "to_backend",
           "resolve_backend", "chunk_bytes",
           # helpers the other array modules import from here
           "normalize", "backend_of_device", "from_array_subclass"]
