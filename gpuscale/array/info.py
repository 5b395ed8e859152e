"""``__array_namespace_info__``: what this namespace supports (Array API inspection)."""

from __future__ import annotations

from typing import Any

from gpuscale.backends import array as chunkfn

__all__ = ["__array_namespace_info__", "Info"]

_KINDS = {
    "bool": ("bool",),
    "signed integer": ("int8", "int16", "int32", "int64"),
    "unsigned integer": ("uint8", "uint16", "uint32", "uint64"),
    "real floating": ("float32", "float64"),
    "complex floating": ("complex64", "complex128"),
}
_KINDS["integral"] = _KINDS["signed integer"] + _KINDS["unsigned integer"]
_KINDS["numeric"] = _KINDS["integral"] + _KINDS["real floating"] + _KINDS["complex floating"]


class Info:
    """Capabilities, devices and dtypes of ``gpuscale.array``."""

    def capabilities(self) -> dict:
        """Boolean indexing and data-dependent shapes are supported.

        ``x[mask]``, ``nonzero`` and ``unique_*`` have a known shape when
        every input is already in memory (made by ``asarray``/``from_array``
        of in-memory data, or ``persist``, possibly reshaped or rechunked):
        they run at once, on the chunks' device.  On lazy inputs the length
        is ``nan`` until computed (``compute_chunk_sizes()`` makes it known),
        as in dask.array.
        """
        return {"boolean indexing": True, "data-dependent shapes": True, "max dimensions": 64}

    def default_device(self) -> str:
        """The device of the configured backend."""
        from gpuscale.backends import resolve_array_backend

        return chunkfn.DEVICES[resolve_array_backend(None)]

    def devices(self) -> list:
        """Devices usable here: ``cpu`` always, ``gpu`` with a usable CuPy, ``device1`` with array-api-strict."""
        from gpuscale.backends import available

        status = available()
        return [device for backend, device in chunkfn.DEVICES.items() if status[backend].ok]

    def default_dtypes(self, *, device: Any = None) -> dict:
        """Default real, complex, integral and index dtypes."""
        from gpuscale.array.dtypes import DTYPES as d

        return {"real floating": d["float64"], "complex floating": d["complex128"], "integral": d["int64"],
                "indexing": d["int64"]}

    def dtypes(self, *, device: Any = None, kind: Any = None) -> dict:
        """Supported dtypes by name, optionally of a kind (or tuple of kinds)."""
        from gpuscale.array.dtypes import DTYPES as d

        if kind is None:
            return dict(d)
        kinds = kind if isinstance(kind, tuple) else (kind,)
        names: list[str] = []
        for k in kinds:
            names += list(_KINDS[k]) if isinstance(k, str) else [chunkfn.numpy_dtype(k).name]
        return {n: d[n] for n in d if n in names}


def __array_namespace_info__() -> Info:
    """The inspection object of the Array API: capabilities, devices and dtypes of ``gpuscale.array``.

    Returns
    -------
    Info
        With ``capabilities()``, ``default_device()``, ``devices()``, ``default_dtypes()`` and ``dtypes()``.

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> info = ga.__array_namespace_info__()
    >>> info.capabilities()["boolean indexing"], info.default_dtypes()["real floating"]
    (True, gpuscale.array.float64)
    >>> sorted(info.dtypes(kind="signed integer"))
    ['int16', 'int32', 'int64', 'int8']
    """
    return Info()
