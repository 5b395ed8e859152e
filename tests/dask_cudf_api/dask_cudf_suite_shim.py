"""A pytest plugin that runs dask_cudf's own tests against gpuscale on the strict cuDF stand-in (``dask_cudf_suite``).

Loaded with ``-p tests.dask_cudf_api.dask_cudf_suite_shim`` before the test modules are imported, it puts into
``sys.modules``:

* ``dask.dataframe`` and ``dask.array``: ``gpuscale.dataframe`` and ``gpuscale.array`` (the dask suite's shims:
  their ``assert_eq`` compute gpuscale collections);
* ``cudf``: the strict cuDF stand-in of ``tests/strict_cudf`` (cuDF's signatures and restrictions, pandas inside),
  with a fake GPU so that gpuscale's registry sees cuDF usable; ``cudf.testing`` and ``cudf.datasets`` are the
  test helpers cuDF ships (they compare and make data, on the host);
* ``dask_cudf``: dask_cudf's public names giving gpuscale's (``from_cudf``, ``read_parquet`` ... with
  ``backend="cudf"``, ``concat``, ``from_delayed``); ``dask_cudf.DataFrame`` / ``Series`` / ``Index`` are the
  gpuscale collections whose partitions are cuDF's, as dask_cudf's are dask's collections with cuDF partitions.
  dask_cudf's internals (``dask_cudf.backends``, ``dask_cudf._expr`` ...) raise ``NotImplementedError`` naming
  themselves: a test using one tests dask_cudf's code, not gpuscale's;
* ``cupy`` while a test module is imported (never while gpuscale runs, so gpuscale's arrays stay NumPy's): only
  ``cupy.random``, NumPy's legacy generator, which the tests use to make data.

With ``$GPUSCALE_DASK_CUDF_REAL`` set (a GPU machine) ``cudf`` and ``cupy`` are the real ones.  The test modules'
own package (``dask_cudf.tests``, ``dask_cudf.io.tests``) is the unpacked copy of dask_cudf's source the runner hands
over in ``$GPUSCALE_DASK_CUDF_TESTS``.  Outcomes are recorded with the dask suite's hooks.
"""

from __future__ import annotations

import os
import sys
import types
from pathlib import Path

import pytest

from tests.dask_api.dask_suite_shim import (  # noqa: F401  (pytest finds hooks by name in this module)
    _install,
    _install_array,
    pytest_addoption,
    pytest_collectreport,
    pytest_runtest_call,
    pytest_runtest_logreport,
    pytest_runtest_makereport,
    pytest_sessionfinish,
)

# the aggregations dask_cudf's groupby tests are parametrised over (dask_cudf._expr.groupby.OPTIMIZED_AGGS: the
# ones it runs in one cuDF groupby call); the tests check gpuscale's answers for each
OPTIMIZED_AGGS = ("count", "mean", "std", "var", "sum", "min", "max", list, "first", "last")


def _internal(module: str, name: str):
    def internal(*args, **kwargs):
        raise NotImplementedError(f"{module}.{name} is a dask_cudf internal that gpuscale does not have")

    internal.__name__ = name
    return internal


def _internal_module(name: str, values: dict | None = None) -> types.ModuleType:
    """A dask_cudf submodule whose names are dask_cudf internals (``values``: the data it must give as data)."""
    module = types.ModuleType(name, f"{name}: dask_cudf's internals, not gpuscale's")
    module.__path__ = []

    def __getattr__(attr: str):
        if attr.startswith("__"):
            raise AttributeError(attr)
        return _internal(name, attr)

    module.__getattr__ = __getattr__
    module.__dict__.update(values or {})
    return module


class _OnCudf(type):
    """``isinstance(x, dask_cudf.DataFrame)``: a gpuscale collection of that kind whose partitions are cuDF's."""

    def __instancecheck__(cls, obj) -> bool:
        import gpuscale.dataframe as gd

        return isinstance(obj, getattr(gd, cls.__name__)) and type(obj._meta).__module__.startswith("cudf")

    def __getattr__(cls, name: str):
        """The gpuscale class's members; ``dask_cudf.DataFrame.from_dict`` makes cuDF partitions."""
        import gpuscale.dataframe as gd

        member = getattr(getattr(gd, cls.__name__), name)
        if name == "from_dict":
            return lambda *args, **kwargs: member(*args, **kwargs).to_backend("cudf")
        return member


def _cudf_reader(name: str):
    import gpuscale.dataframe as gd

    def read(*args, **kwargs):
        kwargs.setdefault("backend", "cudf")
        return getattr(gd, name)(*args, **kwargs)

    read.__name__ = name
    return read


def _dask_cudf_read_text(path, chunksize="256 MiB", byte_range=None, **kwargs):
    """dask_cudf's ``read_text`` (its default block of 256 MiB, none with a byte range): gpuscale's, on cuDF."""
    import gpuscale.dataframe as gd

    return gd.read_text(path, chunksize=None if byte_range else chunksize, byte_range=byte_range, backend="cudf",
                        **kwargs)


def _deprecated(old: str, new):
    """dask_cudf's deprecated spellings (``dask_cudf.io.read_csv``): a FutureWarning, then the new name."""
    import warnings

    def call(*args, **kwargs):
        warnings.warn(f"{old} is now deprecated. Please use the new name instead.", FutureWarning)
        return new(*args, **kwargs)

    return call


def _install_dask_cudf(tests_root: Path) -> None:
    import gpuscale.dataframe as gd

    package = types.ModuleType("dask_cudf", "dask_cudf's public names giving gpuscale's (cuDF partitions)")
    package.__path__ = [str(tests_root / "dask_cudf")]  # dask_cudf.tests: the unpacked test modules
    package.__version__, package.__git_commit__ = "26.10.2+gpuscale", ""
    for kind in ("DataFrame", "Series", "Index"):
        setattr(package, kind, _OnCudf(kind, (), {}))
    package.from_cudf = gd.from_cudf
    package.from_delayed = gd.from_delayed
    package.concat = gd.concat
    for reader in ("read_csv", "read_json", "read_orc", "read_parquet"):
        setattr(package, reader, _cudf_reader(reader))
    io = types.ModuleType("dask_cudf.io", "dask_cudf.io: deprecated spellings of dask_cudf's readers")
    io.__path__ = [str(tests_root / "dask_cudf" / "io")]
    for reader in ("read_csv", "read_json", "read_orc", "read_parquet"):
        setattr(io, reader, _deprecated(f"dask_cudf.io.{reader}", getattr(package, reader)))
    package.read_text = _dask_cudf_read_text
    io.read_text = _deprecated("dask_cudf.io.read_text", package.read_text)
    io.to_parquet = _deprecated("dask_cudf.io.to_parquet", lambda df, *a, **k: df.to_parquet(*a, **k))
    io.parquet = types.SimpleNamespace(read_parquet=package.read_parquet,
                                       create_metadata_file=_internal("dask_cudf.io.parquet", "create_metadata_file"))
    package.io = io
    modules = {"dask_cudf": package, "dask_cudf.io": io,
               "dask_cudf._expr": _internal_module("dask_cudf._expr"),
               "dask_cudf._expr.groupby": _internal_module("dask_cudf._expr.groupby",
                                                           {"OPTIMIZED_AGGS": OPTIMIZED_AGGS}),
               "dask_cudf._legacy": _internal_module("dask_cudf._legacy"),
               "dask_cudf._legacy.io": _internal_module("dask_cudf._legacy.io"),
               "dask_cudf._legacy.io.parquet": _internal_module("dask_cudf._legacy.io.parquet"),
               "dask_cudf.backends": _internal_module("dask_cudf.backends")}
    package.backends = modules["dask_cudf.backends"]
    sys.modules.update(modules)


def _install_cudf() -> None:
    import pandas as pd

    from gpuscale.backends import _detect
    from tests import strict_cudf

    cudf = strict_cudf.module()
    cudf.__path__ = []
    testing = types.ModuleType("cudf.testing", "cuDF's test helpers: objects compared on the host")

    def _host(x):
        return x.to_pandas() if strict_cudf.is_stand_in(x) else x

    def assert_eq(left, right, **kwargs):
        import dask.dataframe.utils as du

        return du.assert_eq(_host(left), _host(right), **kwargs)

    testing.assert_eq = assert_eq
    for name in ("assert_frame_equal", "assert_series_equal", "assert_index_equal"):
        setattr(testing, name, lambda left, right, _f=getattr(pd.testing, name), **k: _f(_host(left), _host(right), **k))
    from packaging.version import Version

    compat = types.ModuleType("cudf.core._compat", "the pandas versions cuDF 26.10 names")
    compat.PANDAS_VERSION = compat.PANDAS_CURRENT_SUPPORTED_VERSION = Version(pd.__version__)
    core = types.ModuleType("cudf.core")
    core.__path__ = []
    core._compat = compat
    cudf.core, cudf.testing = core, testing
    cudf.datasets = types.SimpleNamespace(randomdata=_randomdata(cudf), timeseries=_timeseries(cudf), names=_NAMES)
    cudf.read_orc = _read_orc(cudf)
    for name in ("Decimal32Dtype", "Decimal64Dtype", "Decimal128Dtype", "ListDtype", "StructDtype"):
        setattr(cudf, name, _not_emulated(f"cudf.{name}"))
    sys.modules.update({"cudf": cudf, "cudf.testing": testing, "cudf.core": core, "cudf.core._compat": compat})
    _detect.gpu_probe = lambda: (1, "strict cuDF stand-in (no real GPU)")
    _detect.gpu_probe.cache_clear = lambda: None


# the names cudf.datasets.randomdata draws for string columns
_NAMES = ["Alice", "Bob", "Charlie", "Dan", "Edith", "Frank", "George", "Hannah", "Ingrid", "Jerry", "Kevin",
          "Laura", "Michael", "Norbert", "Oliver", "Patricia", "Quinn", "Ray", "Sarah", "Tim", "Ursula", "Victor",
          "Wendy", "Xavier", "Yvonne", "Zelda"]


def _not_emulated(name: str):
    def refuse(*args, **kwargs):
        raise NotImplementedError(f"strict cuDF: {name} is not emulated by the cuDF stand-in")

    refuse.__name__ = name.rpartition(".")[2]
    return refuse


def _read_orc(cudf):
    """``cudf.read_orc(path, columns=)``: the test's expected frames (pyarrow's reader; other options refused)."""
    def read_orc(filepath_or_buffer, engine="cudf", columns=None, **options):
        if options:
            raise NotImplementedError(f"strict cuDF: read_orc({', '.join(options)}=...) is not emulated")
        import pyarrow as pa
        from pyarrow import orc

        paths = filepath_or_buffer if isinstance(filepath_or_buffer, list) else [filepath_or_buffer]
        return cudf.DataFrame.from_arrow(pa.concat_tables([orc.read_table(p, columns=columns) for p in paths]))

    return read_orc


def _timeseries(cudf):
    """``cudf.datasets.timeseries(start, end, freq, dtypes, nulls_frequency, seed)``: random columns indexed by
    time."""
    import numpy as np
    import pandas as pd

    def timeseries(start="2000-01-01", end="2000-01-31", freq="1s", dtypes=None, nulls_frequency=0, seed=None):
        rng = np.random.RandomState(seed)
        index = pd.date_range(start, end, freq=freq, name="timestamp")
        columns = {}
        for name, dtype in (dtypes or {"name": "category", "id": int, "x": float, "y": float}).items():
            if dtype == "category" or dtype is str:
                values = rng.choice(_NAMES, len(index))
                columns[name] = pd.Categorical(values) if dtype == "category" else values
            elif dtype is float:
                columns[name] = rng.random(len(index)) * 2 - 1
            else:
                columns[name] = rng.poisson(1000, len(index)).astype(dtype)
        frame = pd.DataFrame(columns, index=index)
        if nulls_frequency:
            frame = frame.mask(rng.random(frame.shape) < nulls_frequency)
        return cudf.DataFrame(frame)

    return timeseries


def _randomdata(cudf):
    """``cudf.datasets.randomdata(nrows, dtypes, seed)``: random columns of the given dtypes."""
    import numpy as np
    import pandas as pd

    def randomdata(nrows=10, dtypes=None, seed=None):
        rng = np.random.RandomState(seed)
        columns = {}
        for name, dtype in (dtypes or {"id": int, "x": float, "y": float}).items():
            if dtype in (str, object, "str", "object"):
                columns[name] = rng.choice(_NAMES, nrows)
            elif dtype is float:
                columns[name] = rng.random(nrows) * 2 - 1
            elif dtype == "category":
                columns[name] = pd.Categorical(rng.choice(_NAMES, nrows))
            else:
                columns[name] = rng.poisson(1000, nrows).astype(dtype)
        return cudf.DataFrame(pd.DataFrame(columns))

    return randomdata


def _cupy_for_data() -> types.ModuleType:
    import numpy as np

    cupy = types.ModuleType("cupy", "the suite's cupy: NumPy's random generator, for making test data")
    cupy.random = np.random

    class ndarray:  # noqa: N801  (nothing is a CuPy array here)
        pass

    cupy.ndarray = ndarray

    def __getattr__(name: str):
        raise AttributeError(f"cupy.{name}: the dask_cudf suite's cupy has only cupy.random (no GPU here)")

    cupy.__getattr__ = __getattr__
    return cupy


def _real_cudf() -> bool:
    """``$GPUSCALE_DASK_CUDF_REAL``: the real cuDF and CuPy of a GPU machine, nothing stood in for them."""
    return os.environ.get("GPUSCALE_DASK_CUDF_REAL", "") not in ("", "0")


def pytest_configure(config: pytest.Config) -> None:
    if config.getoption("--no-shim"):
        return
    _install()
    _install_array()
    if not _real_cudf():
        _install_cudf()
    _install_dask_cudf(Path(os.environ["GPUSCALE_DASK_CUDF_TESTS"]))


@pytest.hookimpl(hookwrapper=True)
def pytest_make_collect_report(collector):
    """``import cupy`` works while a test module is imported, and only then."""
    if not isinstance(collector, pytest.Module) or _real_cudf():
        yield
        return
    sys.modules["cupy"] = _cupy_for_data()
    try:
        yield
    finally:
        sys.modules.pop("cupy", None)
