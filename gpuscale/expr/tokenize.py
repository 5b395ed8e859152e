"""Deterministic names for expressions: ``tokenize(*args)`` -> hex digest.

Equal inputs give equal tokens, so identical sub-expressions share one name
and are computed once.  Objects that cannot be fingerprinted get a random token
(correct, merely not shared).
"""

from __future__ import annotations

import hashlib
import inspect
import pickle
import uuid
from typing import Any

__all__ = ["tokenize", "normalize_token"]

_DATA_MODULES = {"numpy", "pandas", "pyarrow", "cupy", "cudf"}
_PRIMITIVES = (int, float, complex, str, bytes, bool, type(None), type(Ellipsis))
_EXACT_PRIMITIVES = frozenset(_PRIMITIVES)


def tokenize(*args: Any, **kwargs: Any) -> str:
    """Return a deterministic hex token for the given arguments."""
    payload = repr(normalize_token((args, sorted(kwargs.items()))))
    return hashlib.md5(payload.encode(), usedforsecurity=False).hexdigest()


def normalize_token(obj: Any) -> Any:
    """Map ``obj`` to nested tuples of primitives that identify it."""
    # expression operands are mostly plain values and tuples of them: look their exact type up once
    # (the same result as the general checks below, which subclasses still go through)
    typ = type(obj)
    if typ in _EXACT_PRIMITIVES:
        return (typ.__name__, obj)
    if typ is tuple or typ is list:
        text = _plain_repr(obj)
        if text is not None:  # only plain values: their repr identifies them (a str, unlike the form below)
            return (typ.__name__, text)
        return (typ.__name__, tuple([normalize_token(o) for o in obj]))
    if _has_own_token(typ):  # expressions and other operands that name themselves
        return ("__gpuscale_tokenize__", normalize_token(obj.__gpuscale_tokenize__()))
    return _normalize_general(obj)


def _plain_repr(obj: Any) -> Any:
    """``repr(obj)`` if ``obj`` (a tuple or list) holds only exact primitives and tuples/lists of them, else
    None.  Such a repr is the same in every process and tells apart any two different values (``1``, ``1.0``,
    ``True``, ``'1'``); made in C, it is many times faster than normalizing item by item (``from_map``'s
    10,000 argument tuples)."""
    stack = [obj]
    while stack:
        for item in stack.pop():
            typ = type(item)
            if typ is tuple or typ is list:
                stack.append(item)
            elif typ not in _EXACT_PRIMITIVES:
                return None
    return repr(obj)


_OWN_TOKEN: dict[type, bool] = {}


def _has_own_token(typ: type) -> bool:
    """Whether instances of ``typ`` reach the ``__gpuscale_tokenize__`` hook in ``_normalize_general``."""
    known = _OWN_TOKEN.get(typ)
    if known is None:
        plain = (*_PRIMITIVES, list, tuple, dict, set, frozenset, slice, type)
        known = _OWN_TOKEN[typ] = hasattr(typ, "__gpuscale_tokenize__") and not issubclass(typ, plain)
    return known


def _normalize_general(obj: Any) -> Any:
    if isinstance(obj, _PRIMITIVES):
        return (type(obj).__name__, obj)
    if isinstance(obj, (list, tuple)):
        text = _plain_repr(obj) if type(obj) in (list, tuple) else None  # a subclass may change its repr
        if text is not None:
            return (type(obj).__name__, text)
        return (type(obj).__name__, tuple(normalize_token(o) for o in obj))
    if isinstance(obj, dict):
        return ("dict", tuple(sorted((repr(normalize_token(k)), normalize_token(v)) for k, v in obj.items())))
    if isinstance(obj, (set, frozenset)):
        return ("set", tuple(sorted(repr(normalize_token(o)) for o in obj)))
    if isinstance(obj, slice):
        return ("slice", normalize_token((obj.start, obj.stop, obj.step)))
    return _normalize_object(obj)


def _normalize_object(obj: Any) -> Any:
    if type(obj).__module__.partition(".")[0] in _DATA_MODULES and not isinstance(obj, type):
        # before the hooks: cuDF's __dask_tokenize__ hashes every row on the device, copies the hashes to the
        # host and warns once per object that dask_cudf is missing (seen on the first GPU run)
        from gpuscale.backends.tokenize import normalize_data

        return normalize_data(obj)
    for hook in ("__gpuscale_tokenize__", "__dask_tokenize__"):
        method = getattr(obj, hook, None)
        if method is not None and not isinstance(obj, type):
            return (hook, normalize_token(method()))
    if isinstance(obj, type) or callable(obj):
        return _normalize_callable(obj)
    return _normalize_by_pickle(obj)


def _normalize_callable(func: Any) -> Any:
    if inspect.ismethod(func):  # bound methods differ by their instance
        return ("method", normalize_token(func.__self__), func.__func__.__qualname__)
    name = getattr(func, "__qualname__", None)
    module = getattr(func, "__module__", None)
    if name and module and "<" not in name:
        return ("callable", module, name)
    return _normalize_by_pickle(func)


def _normalize_by_pickle(obj: Any) -> Any:
    try:
        import cloudpickle

        return ("pickle", hashlib.md5(cloudpickle.dumps(obj, protocol=5), usedforsecurity=False).hexdigest())
    except (pickle.PicklingError, TypeError, AttributeError, ValueError):
        return ("random", uuid.uuid4().hex)
