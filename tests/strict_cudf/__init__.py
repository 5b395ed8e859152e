"""strict cuDF: a pandas-backed stand-in for cuDF that accepts only what cuDF accepts.

array-api-strict's ``device1`` proves that array code never pulls CuPy chunks to the
host unasked; this module does the same for frame code and cuDF.  Installed as
``sys.modules["cudf"]`` (see ``install``), it gives objects whose type names and
module are cuDF's (``cudf.core.dataframe.DataFrame``) and which hold a pandas object:

* only the members the real cuDF has are there, with cuDF's parameter names
  (``cudf_api.json``, generated from cuDF and checked against it by ``make test-cudf``);
  members cuDF defines only to refuse them (``iterrows``, ``Series.tolist``) raise;
* value restrictions cuDF enforces (``restrictions/``: ``sort_index(kind=...)``,
  the writer's keywords, ...) raise as cuDF does, and the fallbacks cuDF warns about
  are errors;
* ``cudf.read_parquet`` and ``cudf.read_csv`` are cuDF's readers emulated on the host
  (``readers.py``: cuDF's parameters, its row selection and the dtypes it returns) and
  record their calls in ``cudf.READER_CALLS``;
* NumPy ufuncs are taken as cuDF's ``__array_ufunc__`` takes them: plain calls without keywords, of
  ufuncs CuPy has;
* ``DataFrame[boolean Series]`` with another index is refused (cuDF applies it by position, pandas by label);
* results are stand-in objects, never pandas; pandas objects passed in are refused;
  ``np.asarray``/iteration of a Series raise as on a GPU (``to_pandas``/``to_numpy``
  are the explicit ways out); ``groupby`` does not sort unless asked, as cuDF.

Numbers are pandas' own, so results can be compared with pandas after ``to_pandas()``.

Layout: ``proxy.py`` (the objects, wrap/unwrap, checked method calls), ``type_names.py``,
``signatures.py``, ``members.py`` (members only cuDF has), ``operators.py``, ``constructors.py``
(``cudf.DataFrame``, ``from_pandas``, module functions, readers); this module assembles the ``cudf``
module (``module``, ``install``).
"""

from __future__ import annotations

import functools
import sys
import types
from typing import Any

import numpy as np
import pandas as pd

from . import categorical, constructors, dtypes, merges, operators, readers
from .constructors import _categorical_index, _datetime_index, from_pandas
from .proxy import NOT_IN_CUPY, SPEC, Proxy, unwrap, wrap
from .restrictions import load_parquet_keywords
from .signatures import StrictCudfError

load_parquet_keywords(SPEC)
operators.install()


def module() -> types.ModuleType:
    """A new ``cudf`` module object made of stand-ins."""
    cudf = types.ModuleType("cudf")
    cudf.__version__ = SPEC["cudf_version"]
    cudf.__file__ = __file__
    cudf.STRICT_STAND_IN = True
    for name in ("DataFrame", "Series", "Index"):
        setattr(cudf, name, constructors.Constructor(name))
    cudf.RangeIndex = constructors.Constructor("RangeIndex", lambda *a, **k: wrap(pd.RangeIndex(*a, **k)))
    cudf.MultiIndex = types.SimpleNamespace(
        from_arrays=lambda arrays, **k: wrap(pd.MultiIndex.from_arrays(unwrap(arrays, "MultiIndex"), **k)),
        from_frame=lambda frame, **k: wrap(pd.MultiIndex.from_frame(unwrap(frame, "MultiIndex"), **k)),
        from_product=constructors.multiindex_from_product(constructors.class_method(
            "MultiIndex", "from_product", pd.MultiIndex.from_product)),
        from_tuples=constructors.class_method("MultiIndex", "from_tuples", pd.MultiIndex.from_tuples))
    cudf.CategoricalIndex = constructors.Constructor("CategoricalIndex", _categorical_index)
    cudf.DatetimeIndex = constructors.Constructor("DatetimeIndex", _datetime_index)
    cudf.from_pandas = from_pandas
    pandas_functions = {"concat": functools.partial(categorical.concat, pd.concat), "merge": merges.merge, "to_datetime": pd.to_datetime,
                        "to_numeric": pd.to_numeric, "isna": pd.isna, "notna": pd.notna, "cut": pd.cut,
                        "date_range": pd.date_range, "get_dummies": pd.get_dummies, "melt": pd.melt,
                        "pivot_table": pd.pivot_table}
    for name, pandas_func in pandas_functions.items():
        if name in SPEC["functions"]:  # only what cuDF has
            setattr(cudf, name, constructors.module_function(name, pandas_func))
    cudf.read_parquet = constructors.reader("read_parquet", functools.partial(readers.read_parquet,
                                                                               SPEC["functions"]["read_parquet"]))
    cudf.read_csv = constructors.reader("read_csv", readers.read_csv)
    cudf.read_json = constructors.reader("read_json", readers.read_json)
    cudf.read_text = constructors.reader("read_text", readers.read_text)
    cudf.READER_CALLS = readers.CALLS
    cudf.CategoricalDtype = dtypes.CategoricalDtype
    cudf.NA = pd.NA
    cudf.NaT = pd.NaT
    return cudf


def install(monkeypatch: Any) -> types.ModuleType:
    """Put the stand-in in ``sys.modules["cudf"]`` and let the backend registry see one fake GPU.

    The stand-in behaves as the pinned cuDF, which needs pandas 3: with an older pandas its legs are
    skipped (there is no cuDF for that pandas to stand in for)."""
    import pandas as pd
    import pytest

    from gpuscale.backends import _detect

    if int(pd.__version__.split(".")[0]) < 3:
        pytest.skip(f"cuDF 26.10 needs pandas 3 (pandas {pd.__version__} here): no strict cuDF leg")

    cudf = module()
    monkeypatch.setitem(sys.modules, "cudf", cudf)
    monkeypatch.setattr(_detect, "gpu_probe", _fake_probe)
    return cudf


def _fake_probe() -> tuple[int, str]:
    return 1, "strict cuDF stand-in (no real GPU)"


_fake_probe.cache_clear = lambda: None  # type: ignore[attr-defined]  # as on the real, cached probe


def is_stand_in(obj: Any) -> bool:
    """True for a stand-in object."""
    return isinstance(obj, Proxy)


__all__ = ["StrictCudfError", "install", "module", "is_stand_in", "wrap", "SPEC", "np", "NOT_IN_CUPY"]
