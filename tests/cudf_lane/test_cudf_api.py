"""The cuDF lane (``make test-cudf``): the strict stand-in and the backend layer against the real cuDF.

Runs where the pinned cuDF is installed (its own environment, no GPU needed: importing cuDF
and building a DataFrame without columns need no driver).  It proves that

* ``tests/strict_cudf/cudf_api.json`` — what the stand-in lets the backend layer call —
  is exactly the installed cuDF's members, kinds and parameter names;
* every value restriction the stand-in enforces is one the real cuDF enforces;
* the backend's per-library helpers pass the real cuDF what it accepts.

Elsewhere (``make test``) the module is skipped: cuDF is not installed there.
"""

from __future__ import annotations

import warnings

import pytest

from tests.strict_cudf import spec as spec_module
from tests.strict_cudf.restrictions import RESTRICTIONS

cudf = pytest.importorskip("cudf", reason="the cuDF lane runs with `make test-cudf`")

SPEC = spec_module.load_spec()
MEMBERS = [(cls, name) for cls, members in SPEC["classes"].items() for name in members]


def test_the_pinned_cudf_is_installed():
    assert cudf.__version__ == SPEC["cudf_version"]


@pytest.mark.parametrize(("cls", "name"), MEMBERS, ids=[f"{c}.{n}" for c, n in MEMBERS])
def test_member_matches_cudf(cls, name):
    owner = spec_module.real_class(spec_module.CLASSES[cls])
    assert hasattr(owner, name), f"cuDF's {cls} has no {name} (the stand-in would allow it)"
    assert spec_module._member(owner, name) == SPEC["classes"][cls][name]


@pytest.mark.parametrize("cls", sorted(SPEC["classes"]))
def test_no_cudf_member_is_missing_from_the_spec(cls):
    owner = spec_module.real_class(spec_module.CLASSES[cls])
    assert sorted(spec_module.class_spec(owner)) == sorted(SPEC["classes"][cls])


@pytest.mark.parametrize("name", sorted(SPEC["functions"]))
def test_module_function_matches_cudf(name):
    assert spec_module.function_spec(cudf, name) == SPEC["functions"][name]


@pytest.mark.parametrize("restriction", RESTRICTIONS, ids=[f"{'/'.join(r.classes)}.{r.method}" for r in RESTRICTIONS])
def test_restriction_is_enforced_by_cudf(restriction):
    restriction.verify(cudf)


# -- the backend's per-library helpers, on real cuDF objects ------------------------------------
@pytest.fixture
def empty():
    """A real cuDF DataFrame: without columns it needs no GPU."""
    return cudf.DataFrame()


def test_stable_sorts_use_a_kind_cudf_takes_without_falling_back(empty):
    from gpuscale.backends import frame as bf

    with warnings.catch_warnings():
        warnings.simplefilter("error")  # cuDF's "defaulting to quicksort" warning
        bf.sort_index(empty)
        empty.sort_index(kind=bf.stable_sort_kind(empty))
        empty.sort_values([], kind=bf.stable_sort_kind(empty))


def test_dtype_inference_needs_no_method_cudf_lacks(empty):
    from gpuscale.backends import frame as bf

    assert not hasattr(empty, "infer_objects")
    assert bf.infer_dtypes(empty) is empty


def test_cudf_objects_are_recognised(empty):
    from gpuscale.backends import _detect
    from gpuscale.backends import frame as bf

    assert _detect.is_cudf_object(empty) and bf.library_of(empty) == "cudf"
    assert bf.is_dataframe_like(empty) and bf.namespace(empty) is cudf


def test_parquet_options_are_translated_to_names_cudf_s_writer_takes():
    import inspect

    from gpuscale.backends.io import write as io_write

    takes = set(inspect.signature(cudf.DataFrame.to_parquet).parameters)
    values = {"compression": "zstd", "row_group_size": 10, "data_page_size": 4096, "column_encoding": {"a": "PLAIN"}}
    translatable = {k: values.get(k, True) for k, v in io_write._CUDF_PARQUET_NAMES.items() if v is not None}
    assert set(io_write.parquet_writer_options(translatable, "cudf")) <= takes


def test_numpy_ufuncs_with_keywords_or_methods_are_not_implemented(empty):
    # what the stand-in's __array_ufunc__ gives (NumPy then raises TypeError); gpuscale's apply_ufunc runs
    # such calls on the host (gpuscale.backends.frame.elementwise.apply_ufunc)
    import numpy as np

    assert empty.__array_ufunc__(np.sin, "__call__", empty, dtype="float32") is NotImplemented
    assert empty.__array_ufunc__(np.add, "reduce", empty) is NotImplemented
    assert empty.__array_ufunc__(np.add, "__call__", empty, 1, where=True) is NotImplemented


def test_ufuncs_cupy_lacks_are_the_ones_the_stand_in_and_gpuscale_name():
    # cuDF's __array_ufunc__ calls getattr(cupy, name) for ufuncs without a cuDF operator: AttributeError for these
    import numpy as np

    cupy = pytest.importorskip("cupy")  # importing CuPy needs no GPU
    from gpuscale.backends.frame import cudf_ufuncs
    from tests.strict_cudf import NOT_IN_CUPY

    lacking = {n for n in dir(np) if isinstance(getattr(np, n), np.ufunc) and getattr(np, n).signature is None
               and getattr(cupy, n, None) is None}
    assert lacking == set(NOT_IN_CUPY) == set(cudf_ufuncs.CUPY_LACKS_UFUNCS)


def test_the_stand_in_index_constructors_have_cudf_s_parameters():
    import inspect

    from tests.strict_cudf import _categorical_index, _datetime_index

    assert list(inspect.signature(_categorical_index).parameters) == \
        [p for p in inspect.signature(cudf.CategoricalIndex.__init__).parameters if p != "self"]
    assert list(inspect.signature(_datetime_index).parameters) == \
        [p for p in inspect.signature(cudf.DatetimeIndex.__init__).parameters if p != "self"]


def test_a_boolean_series_key_is_positional_in_dataframe_getitem_and_aligned_by_loc():
    # what the stand-in's DataFrame[mask] refusal stands for, read from the source (running it needs a GPU):
    # __getitem__ makes a BooleanMask of the key as it is, .loc reindexes a boolean Series to the frame's index
    import inspect

    from cudf.core import indexing_utils

    getitem = inspect.getsource(cudf.DataFrame.__getitem__)
    assert "BooleanMask(mask, len(self))" in getitem and "reindex" not in getitem and ".equals(" not in getitem
    loc = inspect.getsource(indexing_utils.parse_single_row_loc_key)  # (parse_row_loc_indexer calls it)
    assert "not key.index.equals(index)" in loc and "key.reindex(index)" in loc


def test_groupby_nth_is_a_selector_refusing_dropna():
    # the stand-in's _NthSelector: cuDF's nth is a property giving a callable, indexable selector
    import types

    from cudf.core.groupby.groupby import GroupBy, GroupByNthSelector

    assert isinstance(GroupBy.__dict__["nth"], property)
    assert callable(GroupByNthSelector.__call__) and hasattr(GroupByNthSelector, "__getitem__")
    with pytest.raises(NotImplementedError, match="dropna"):
        GroupBy._nth(types.SimpleNamespace(), 0, dropna="any")  # refused before the groups are looked at


def test_frames_take_weak_references_as_the_stand_in_s(empty):
    # gpuscale's token cache is keyed by weak references: the stand-in's Proxy has a __weakref__ slot for it
    import weakref

    from tests.strict_cudf.proxy import Proxy

    assert weakref.ref(empty)() is empty and weakref.ref(empty.index)() is empty.index
    assert "__weakref__" in Proxy.__slots__


def test_rolling_apply_hands_numba_arrays_and_refuses_nulls():
    # the stand-in's Rolling.apply (members._rolling_apply): raw windows, no args for func, nulls refused
    import inspect

    from cudf.core.window.rolling import Rolling

    assert "1D array" in Rolling.apply.__doc__
    source = inspect.getsource(Rolling.apply)
    assert "has_nulls()" in source and "Handling UDF with null values is not yet supported" in source
    assert "self._apply_agg(func)" in source  # (args and kwargs are not passed on)


# -- cuDF's own readers and writer (GPU-native IO), no GPU needed -------------------------------------
def _named_parameters(func) -> set:
    import inspect

    return {p.name for p in inspect.signature(func).parameters.values()
            if p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)}


def test_reader_keywords_gpuscale_passes_are_named_in_cudf_s_signatures():
    from gpuscale.backends.io import cudf as io_cudf

    # cudf.read_parquet takes **kwargs and refuses unknown ones only when it reads: each must be named
    assert set(io_cudf.PARQUET_KEYWORDS) <= _named_parameters(cudf.read_parquet)
    assert set(io_cudf.CSV_KEYWORDS) <= _named_parameters(cudf.read_csv)
    from gpuscale.backends.io import json as io_json

    assert io_json._CUDF_OPTIONS <= _named_parameters(cudf.read_json)


def test_the_stand_in_readers_have_cudf_s_parameters():
    assert SPEC["functions"]["read_parquet"]["params"] == [
        p for p in _named_parameters_in_order(cudf.read_parquet)]
    assert SPEC["functions"]["read_csv"]["params"] == [p for p in _named_parameters_in_order(cudf.read_csv)]
    assert SPEC["functions"]["read_json"]["params"] == [p for p in _named_parameters_in_order(cudf.read_json)]


def test_read_json_parses_only_json_lines_on_the_device():
    # what the stand-in's read_json refuses (gpuscale reads other JSON with pandas itself): cuDF's
    # engine="auto" reads JSON without lines=True with pandas on the host, warning first
    import io

    with pytest.warns(UserWarning, match="Using CPU via Pandas"):
        try:
            cudf.read_json(io.StringIO('[{"a": 1}]'), orient="records", lines=False)
        except Exception:  # noqa: BLE001 - building the device frame needs a GPU
            pass


def _named_parameters_in_order(func) -> list:
    import inspect

    return [p.name for p in inspect.signature(func).parameters.values()
            if p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)]


def test_reading_given_files_skips_cudf_s_dataset_discovery(tmp_path):
    # gpuscale passes files (inside key=value folders too) with dataset_kwargs={"partitioning": None}:
    # cuDF must then read exactly those files and row groups, adding no hive columns of its own
    import fsspec
    import pyarrow as pa
    import pyarrow.parquet as pq

    from cudf.io import parquet as cudf_parquet

    folder = tmp_path / "k=1"
    folder.mkdir()
    path = str(folder / "part.parquet")
    pq.write_table(pa.table({"a": [1, 2, 3]}), path, row_group_size=1)
    fs = fsspec.filesystem("file")
    files, row_groups, keys, categories = cudf_parquet._process_dataset(
        paths=[path], fs=fs, filters=None, row_groups=[[0, 2]], dataset_kwargs={"partitioning": None})
    assert (files, row_groups, keys, categories) == ([path], [[0, 2]], [], {})


def test_text_columns_are_requested_with_a_dtype_cudf_knows():
    from cudf.io import csv as cudf_csv

    dtype = cudf.dtype("str")  # gpuscale's read_csv passes dtype={column: "str"} for text columns
    assert dtype.kind == "O"
    cudf_csv._get_plc_data_type_from_dtype(dtype)


def test_byte_range_reads_pass_cudf_s_argument_checks():
    from cudf.io import csv as cudf_csv

    # (delimiter, sep, decimal, thousands, nrows, skipfooter, byte_range, skiprows)
    cudf_csv._validate_args(None, ",", ".", None, None, 0, (1000, 1000), 0)
    with pytest.raises(ValueError, match="byte range"):
        cudf_csv._validate_args(None, ",", ".", None, 5, 0, (1000, 1000), 0)  # the stand-in refuses it too


def test_parquet_writer_values_gpuscale_passes_are_cudf_s():
    from cudf.io import parquet as cudf_parquet

    from gpuscale.backends.io import write as io_write

    for codec in io_write.CUDF_PARQUET_CODECS:
        translated = io_write.parquet_writer_options({"compression": codec}, "cudf")["compression"]
        cudf_parquet._get_comp_type(translated)
    annotation = str(inspect_parameter(cudf.DataFrame.to_parquet, "compression")) + \
        str(inspect_parameter(cudf_parquet.to_parquet, "compression"))
    for codec in io_write.CUDF_PARQUET_CODECS[:-1]:
        assert codec.lower() in annotation.lower(), codec
    encodings = str(inspect_parameter(cudf_parquet.to_parquet, "column_encoding"))
    for encoding in io_write.CUDF_PARQUET_ENCODINGS:
        assert encoding in encodings, encoding
    for flag in (True, False):
        statistics = io_write.parquet_writer_options({"write_statistics": flag}, "cudf")["statistics"]
        cudf_parquet._get_stat_freq(statistics)


def inspect_parameter(func, name):
    import inspect

    return inspect.signature(func).parameters[name].annotation
