"""Errors of reading stored data, re-raised naming where the data is (file, row group, chunk).

A corrupt page of a parquet file, a Zarr chunk that does not decompress or a ``.npy`` file that is not one
raise their library's error, which names no file.  :func:`raise_naming` re-raises it as the same type with
the place before the message (the original is its cause), so ``except OSError`` and the like still catch it.
"""

from __future__ import annotations

from typing import NoReturn

__all__ = ["raise_naming"]


def raise_naming(error: BaseException, where: str) -> NoReturn:
    """Raise ``error`` again as ``<its type>("cannot read <where>: <message>")``, from ``error``.

    A type that cannot be made from one message (or would show it otherwise, as ``KeyError``) is raised
    as it is, with ``where`` added as a note.
    """
    message = f"cannot read {where}: {error}"
    try:
        again = type(error)(message)
    except Exception:  # noqa: BLE001 - a type of other arguments: add a note instead
        again = None
    if again is None or str(again) != message:
        error.add_note(f"while reading {where}")
        raise error
    raise again from error
