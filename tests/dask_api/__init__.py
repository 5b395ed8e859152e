"""The dask.dataframe / dask.array API, name by name, and what gpuscale has of it.

``render()`` lists every public name of dask's collections (module functions, DataFrame, Series,
Index, GroupBy, the ``.dt`` / ``.str`` / ``.cat`` accessors, Rolling, Resampler, Array, ``linalg``, ``fft``,
``random``, ``ma``) with its status in gpuscale: *supported*
(gpuscale has the name), *not planned* (with the reason) or *missing*. The result is committed as
``docs/dask_api.md``; ``tests/test_dask_api_coverage.py`` fails when the file and the code disagree.
Regenerate with ``.venv/bin/python -m tests.dask_api`` from the repository root.
"""

from __future__ import annotations

import inspect
from pathlib import Path

DOC = Path(__file__).resolve().parents[2] / "docs" / "dask_api.md"

# names gpuscale will not have, and why
NOT_PLANNED = {
    "dd.get_collection_type": "dask-expr internals",
    "Series.to_records": "pandas' Series has no to_records (dask's fails on the metadata); use to_dask_array / "
                         "values",
    "Index.to_records": "pandas' Index has no to_records (dask's fails on the metadata); use to_dask_array / values",
    "Series.to_orc": "an ORC file holds a table (dask's fails converting the Series): use to_frame().to_orc",
    "Index.to_orc": "an ORC file holds a table (dask's fails converting the Index): use to_frame().to_orc",
    "Index.to_sql": "pandas' Index has no to_sql (dask's fails on the metadata): write index.to_frame()",
    "Index.to_hdf": "pandas' Index has no to_hdf (dask's fails on the metadata): write index.to_frame()",
    "Index.to_bag": "dask.bag is not part of gpuscale",
    "Series.columns": "a Series has no columns (dask's property reads the pandas Series' and raises AttributeError)",
    "Index.columns": "an Index has no columns (pandas' Index has none)",
    "Index.axes": "pandas' Index has no axes (dask's raises AttributeError)",
    "Index.align": "pandas' Index has no align (dask's fails on the metadata); align the frames or Series",
    "Index.idxmax": "dask's Index defines it only to raise AttributeError (an index's labels are its values)",
    "Index.idxmin": "dask's Index defines it only to raise AttributeError (an index's labels are its values)",
    "Series.dt.freq": "a period column's freq is its dtype's (gpuscale gives it); of datetime or timedelta values it "
                      "is inferred from all of them (dask gives one per partition): pandas.infer_freq(s.compute())",
    "da.to_tiledb": "TileDB storage: use Zarr",
    "da.from_tiledb": "TileDB storage: use Zarr",
    "Array.to_tiledb": "TileDB storage: use Zarr",
    "da.ARRAY_EXPR_ENABLED": "dask-expr internals",
    "da.array_expr_enabled": "dask-expr internals",
    "da.fft.fft_preamble": "a helper of dask's fft_wrap, not in dask's API reference",
    "da.fft.chunk_error": "a helper of dask's fft_wrap, not in dask's API reference",
    "da.ma.normalize_masked_array": "dask's tokenize hook for masked arrays; gpuscale names them by data, mask and "
                                    "fill value itself",
}

# dask's submodules whose names include what the module merely imports from elsewhere (``HighLevelGraph``,
# ``tokenize``, ``partial`` ...): those are dask's implementation, not its API (dask.array and dask.dataframe
# themselves re-export their API from submodules, so the rule is for these only)
IMPORTS_ARE_INTERNAL = ("dask.array.linalg", "dask.array.fft", "dask.array.random", "dask.array.ma", "dask.array.stats")

# dask-expr's optimizer steps and profiler, public on every collection: gpuscale optimizes inside compute()
# (simplify -> lower -> fuse) and shows plans with explain() (simplify() and pprint() it has)
_EXPR_INTERNALS = {
    "analyze": "dask-expr's plan profiler (needs crick); gpuscale: explain() and the runtime's progress reports",
    "lower_once": "a dask-expr optimizer step; gpuscale lowers inside compute(), explain() shows the plan",
}
NOT_PLANNED.update({f"{kind}.{name}": why for kind in ("DataFrame", "Series", "Index")
                    for name, why in _EXPR_INTERNALS.items()})

SECTIONS = [
    # (title, dask object, gpuscale object path, prefix)
    ("dask.dataframe functions", "dask.dataframe", "gpuscale.dataframe", "dd"),
    ("DataFrame", "dask.dataframe:DataFrame", "gpuscale.dataframe:DataFrame", "DataFrame"),
    ("Series", "dask.dataframe:Series", "gpuscale.dataframe:Series", "Series"),
    ("Index", "dask.dataframe:Index", "gpuscale.dataframe:Index", "Index"),
    ("GroupBy", "dask.dataframe.dask_expr._groupby:GroupBy", "gpuscale.dataframe.groupby:GroupBy", "GroupBy"),
    ("SeriesGroupBy", "dask.dataframe.dask_expr._groupby:SeriesGroupBy", "gpuscale.dataframe.groupby:SeriesGroupBy",
     "SeriesGroupBy"),
    ("Series.dt", "dask.dataframe.dask_expr._datetime:DatetimeAccessor", "gpuscale.dataframe.accessors:DatetimeAccessor",
     "Series.dt"),
    ("Series.str", "dask.dataframe.dask_expr._str_accessor:StringAccessor", "gpuscale.dataframe.accessors:StringAccessor",
     "Series.str"),
    ("Series.cat", "dask.dataframe.dask_expr._categorical:CategoricalAccessor",
     "gpuscale.dataframe.categorical:CategoricalAccessor", "Series.cat"),
    ("Rolling", "dask.dataframe.dask_expr._rolling:Rolling", "gpuscale.dataframe.rolling:Rolling", "Rolling"),
    ("Resampler", "dask.dataframe.tseries.resample:Resampler", "gpuscale.dataframe.resample:Resampler", "Resampler"),
    ("dask.array functions", "dask.array", "gpuscale.array", "da"),
    ("Array", "dask.array:Array", "gpuscale.array:Array", "Array"),
    ("dask.array.linalg", "dask.array.linalg", "gpuscale.array.linalg", "da.linalg"),
    ("dask.array.fft", "dask.array.fft", "gpuscale.array.fft", "da.fft"),
    ("dask.array.random", "dask.array.random", "gpuscale.array.random", "da.random"),
    ("dask.array.ma", "dask.array.ma", "gpuscale.array.ma", "da.ma"),
    ("dask.array.stats", "dask.array.stats", "gpuscale.array.stats", "da.stats"),
]


def _load(path: str):
    import importlib

    module, _, attr = path.partition(":")
    try:
        obj = importlib.import_module(module)
    except ImportError:
        return None
    return getattr(obj, attr, None) if attr else obj


def _public(obj) -> list:
    names = []
    for name in dir(obj):
        if name.startswith("_") or name == "annotations":
            continue
        try:
            value = inspect.getattr_static(obj, name)
        except AttributeError:
            continue
        if inspect.ismodule(value) and inspect.ismodule(obj):
            continue  # submodules (dask.dataframe.io ...) are not API names
        names.append(name)
    return names


def _imported(module) -> dict:
    """``{name: module it comes from}`` for the names ``module``'s own source binds by an import statement."""
    import ast

    found = {}
    nodes = list(ast.parse(inspect.getsource(module)).body)
    while nodes:  # top level, including imports under if/try (not inside functions)
        node = nodes.pop()
        if isinstance(node, (ast.If, ast.Try)):
            nodes += node.body + node.orelse + getattr(node, "finalbody", []) + \
                [n for h in getattr(node, "handlers", []) for n in h.body]
        elif isinstance(node, ast.ImportFrom):
            found.update({(a.asname or a.name): node.module or "." for a in node.names})
        elif isinstance(node, ast.Import):
            found.update({(a.asname or a.name).partition(".")[0]: a.name for a in node.names})
    return found


def _has(obj, name: str) -> bool:
    if obj is None:
        return False
    # gpuscale's .str / .dt accessors answer their partition-wise members through __getattr__ over these lists
    if name in getattr(obj, "_properties", ()) + getattr(obj, "_methods", ()) + getattr(obj, "_from_dtype", ()):
        return True
    try:
        inspect.getattr_static(obj, name)
        return True
    except AttributeError:
        return hasattr(obj, name) if inspect.ismodule(obj) else False


def rows() -> list:
    """``(section, qualified name, status, note)`` for every public dask name."""
    out = []
    for title, dask_path, ours_path, prefix in SECTIONS:
        theirs, ours = _load(dask_path), _load(ours_path)
        imported = _imported(theirs) if dask_path in IMPORTS_ARE_INTERNAL else {}
        for name in _public(theirs):
            qualified = f"{prefix}.{name}"
            if _has(ours, name):
                out.append((title, qualified, "supported", ""))
            elif name in imported:
                out.append((title, qualified, "not planned", f"not API: {dask_path} imports it from "
                                                             f"`{imported[name]}` for its own use"))
            elif qualified in NOT_PLANNED:
                out.append((title, qualified, "not planned", NOT_PLANNED[qualified]))
            else:
                out.append((title, qualified, "missing", ""))
    return out


def render() -> str:
    """``docs/dask_api.md``."""
    import dask

    table = rows()
    count = {s: sum(r[2] == s for r in table) for s in ("supported", "not planned", "missing")}
    lines = [
        "# The dask API in gpuscale, name by name",
        "",
        f"Every public name of dask {dask.__version__}'s collections and what gpuscale has of it, generated from "
        "both packages by `python -m tests.dask_api` and checked by `tests/test_dask_api_coverage.py` (so it "
        "cannot drift). *supported*: gpuscale has the name (its behaviour is tested against dask and pandas/NumPy "
        "where the feature's tests say so; see [coverage.md](coverage.md)); *not planned*: with the reason; "
        "*missing*: not yet.",
        "",
        f"**{count['supported']} supported, {count['not planned']} not planned, {count['missing']} missing** "
        f"of {len(table)} names.",
        "",
    ]
    for title, *_ in SECTIONS:
        section = [r for r in table if r[0] == title]
        if not section:
            continue
        done = sum(r[2] == "supported" for r in section)
        lines += [f"## {title} ({done} of {len(section)} supported)", "", "| name | status |", "| --- | --- |"]
        lines += [f"| `{q}` | {s}{': ' + n if n else ''} |" for _, q, s, n in section]
        lines.append("")
    lines += _suite_section()
    lines += ["## dask's notebooks", "",
              "dask's example and tutorial notebooks (dask-examples, dask-tutorial) run cell by cell on dask and on "
              "gpuscale, the import changed: [notebooks_compat.md](notebooks_compat.md) (`python -m "
              "benchmarks.notebooks_compat`).", ""]
    return "\n".join(lines)


# dask-suite failures "no error/warning where dask raises/warns" of the dataframe modules where gpuscale computes:
# each was run through pandas and gpuscale on the test's input, and gpuscale's answer is pandas' (row order aside
# where dask's own assert_eq sorts); dask has not implemented these, or warns about its own sampling
COMPUTES_WHERE_DASK_RAISES = [
    ("test_dataframe::test_median", "`median()` / `Series.median()` of several partitions: the exact median "
     "(dask asks for `median_approximate`)"),
    ("test_dataframe::test_drop_duplicates", "`drop_duplicates(keep=False)` (and `keep=\"last\"`, `subset=`, "
     "`split_out=`)"),
    ("test_dataframe::test_ffill, test_bfill", "`ffill`/`bfill` where a whole partition is missing, with `limit=` "
     "and `axis=1`"),
    ("test_dataframe::test_rename_index", "`rename(index={0: 1})` and `rename(index=func)`"),
    ("test_dataframe::test_index_nulls, io/test_io::test_from_pandas_with_index_nulls", "`set_index` of a "
     "non-numeric column with nulls (the nulls sort last, as `sort_index`); `from_pandas` of such an index keeps "
     "the rows as they are, with unknown divisions"),
    ("test_dataframe::test_setitem_with_numeric_column_name_raises_not_implemented", "`ddf[0] = 5` with integer "
     "column names"),
    ("test_dataframe::test_from_dict_raises", "`DataFrame.from_dict` of gpuscale collections"),
    ("test_dataframe::test_empty_quantile", "`quantile([])`: an empty Series, as pandas"),
    ("test_groupby::test_groupby_with_pd_grouper", "`groupby(pd.Grouper(key=...))` and lists mixing keys and "
     "Groupers; a `pd.Grouper(freq=...)` makes pandas' time bins (alone: empty ones included)"),
    ("test_groupby::test_groupby_unaligned_index", "grouping a filtered frame by an unfiltered Series: the key is "
     "aligned on the index, as pandas"),
    ("dask_expr/test_collection::test_method_operators", "flex operators with `level=` (`df.add(df, level=0)`, "
     "`df.sub(1, axis=0, level=\"x\")`): pandas' answer (dask asks for `level=None`)"),
    ("test_shuffle::test_disk_shuffle_with_unknown_compression", "dask's `dataframe.shuffle.compression` config "
     "does not apply (gpuscale's shuffle has no partd)"),
    ("io/test_csv::test_read_csv_skiprows_only_in_first_partition, test_compression_multiple_files", "no warning "
     "about dask's sampling: `skiprows=` longer than the first block is a `ValueError` naming `blocksize`; "
     "compressed files are read whole"),
    ("io/test_csv::test_index_col", "`read_csv(index_col=\"name\")` over several blocks: pandas' frame, with that "
     "column as its index (dask asks for `set_index`)"),
    ("io/test_parquet::test_illegal_column_name", "a column named `__null_dask_index__` round-trips (gpuscale "
     "keeps pandas' index metadata, not dask's placeholder name)"),
    ("io/test_parquet::test_to_parquet_overwrite_files_from_read_parquet_in_same_call_raises", "writing with "
     "`overwrite=True` onto the files being read: the write goes to a temporary sibling that replaces the target "
     "after every partition was read; a later read of the old plan raises `FileChangedError`"),
]


# the same for the dask.array modules: each input was run through NumPy (SciPy for solve_triangular) and gpuscale,
# and gpuscale gives their answer; tests/array/test_where_dask_raises_dask.py pins each (and that dask still refuses)
COMPUTES_WHERE_DASK_RAISES_ARRAY = [
    ("test_linalg::test_tsqr, test_qr", "`tsqr`/`qr` of short-fat matrices and of 2x2 blocks (Q orthonormal, R "
     "upper triangular, QR = A)"),
    ("test_linalg::test_lu_errors", "`lu` of a square matrix in blocks that are not square (a matrix that is not "
     "square is refused, as dask)"),
    ("test_linalg::test_solve_triangular_errors", "`solve_triangular` of a matrix chunked unlike the right-hand "
     "side (a stack of matrices is refused, as dask)"),
    ("test_linalg::test_svd_incompatible_chunking, test_svd_full_matrices_raises, test_svd_incompatible_dimensions",
     "`svd` of a matrix chunked along both axes, with `full_matrices=True`, and of a stack of matrices (a vector is "
     "refused, as dask)"),
    ("test_linalg::test_norm_implemented_errors", "`norm(ord=2 / -2 / \"nuc\", axis=(1, 2))` of a stack of "
     "matrices"),
    ("test_routines::test_histogramdd_raises_incompat_sample_chunks, _multiarg_chunks, _weight_chunks",
     "`histogramdd` of a sample chunked along both axes, of coordinates chunked unlike each other, with weights "
     "chunked unlike the sample"),
    ("test_routines::test_histogram_delayed_n_bins_raises_with_density", "`histogram(bins=<0-d array>, "
     "density=True)`"),
    ("test_routines::test_searchsorted_sorter_not_implemented", "`searchsorted(sorter=)`"),
    ("test_routines::test_insert", "`insert` at positions that are not sorted"),
    ("test_routines::test_roll", "one shift with a tuple of axes rolls each axis by it, as NumPy"),
    ("test_reductions::test_quantile_func_family_with_axis_none", "`quantile`, `nanquantile`, `nanpercentile` "
     "with `axis=None` over several blocks"),
    ("test_reductions::test_array_cumreduction_axis", "`cumprod`/`nancumprod(axis=None, method=\"blelloch\")`: "
     "the exact products, with no RuntimeWarning (dask's scan multiplies 0 by an overflowed inf there)"),
    ("test_array_core::test_vindex_identity, test_vindex_errors, test_slicing::test_vindex_with_dask_array",
     "`vindex` with slices that are not the whole axis, with a gpuscale array as an index, on several blocks"),
    ("test_array_core::test_normalize_chunks_object_dtype", "`from_array` of an object array with "
     "`chunks=\"auto\"`"),
    ("test_array_function::test_stack_functions_require_sequence_of_arrays", "`np.hstack` / `vstack` / "
     "`dstack` of one array: its rows are the sequence, as NumPy"),
]


_EXPR = "dataframe/dask_expr/"  # the dask-expr test modules' prefix in dask_suite.json


def _suite_section() -> list:
    """The pass rate of dask's own tests against gpuscale, from ``dask_suite.json`` (``python -m
    tests.dask_api.dask_suite`` writes it)."""
    import json

    from tests.dask_api.dask_suite import RESULTS

    if not RESULTS.exists():
        return []
    data = json.loads(RESULTS.read_text())
    frames = {m: e for m, e in data["modules"].items() if "/" not in m and ":" not in m}
    arrays = {m.partition("/")[2]: e for m, e in data["modules"].items() if m.startswith("array/")}
    lines = ["## dask's own test suite against gpuscale", "",
             f"Modules of dask {data['dask']}'s `dask/dataframe/tests`, run by `python -m tests.dask_api.dask_suite` "
             "with `import dask.dataframe as dd` giving `gpuscale.dataframe` and `assert_eq` computing gpuscale "
             "collections first (a port by changing the import; nothing else in the tests is changed). Passed of "
             "those that ran (not skipped, not expected failures); a module that fails to import counts as one "
             "failure. Tests reaching into dask internals (`dask.dataframe.dask_expr`, graph keys, `dask.compute` "
             "of gpuscale objects) fail by construction.", ""]
    lines += _suite_table(frames, causes=False)
    expr_tests = {m.removeprefix(_EXPR): e for m, e in data["modules"].items() if m.startswith(_EXPR)}
    readers = {m.removeprefix("dataframe/"): e for m, e in data["modules"].items()
               if m.startswith("dataframe/") and not m.startswith(_EXPR)}
    if readers:
        lines += ["### dask.dataframe's IO tests", "",
                  f"Modules of dask {data['dask']}'s `dask/dataframe/io/tests` (`read_csv`, `read_parquet`, "
                  "`from_pandas`/`from_array`/`from_delayed`/`from_map`, `read_json`, `demo`, `read_orc`, `read_sql_*`, "
                  "`read_hdf` and their writers), run the same way (`from dask.dataframe.io.sql import ...` gives "
                  "gpuscale's; `test_hdf` with dask's pyarrow strings off, as dask skips it otherwise; the ORC tests "
                  "that download a file fail without the internet). Tests of dask's engine classes, `read_bytes` "
                  "internals and graph layers fail by construction.", ""]
        lines += _suite_table(readers, causes=True)
    if expr_tests:
        lines += ["### dask-expr's own tests", "",
                  f"Modules of dask {data['dask']}'s `dask/dataframe/dask_expr/tests`, the tests of its collections "
                  "and optimizer, run the same way: `dask.dataframe.dask_expr` and its `_collection` module give "
                  "gpuscale's names where gpuscale has them (`from_pandas`, `DataFrame`, `merge` ...); the expression "
                  "classes and internals tests import (`_expr.Filter`, `Merge`, `io.FromPandas`) stay dask's, so "
                  "tests inspecting dask's expression tree or its task counts fail by construction. Tests comparing "
                  "the `_name` of two simplified plans pass where gpuscale plans both spellings alike "
                  "(`df.rolling(3).mean()[\"x\"]` and `df[\"x\"].rolling(3).mean()`). dask converts strings to "
                  "`string[pyarrow]` (`Int64` results of `.str.len()`), gpuscale keeps pandas 3's `str`; "
                  "`quantile` and `median` are exact where dask's are approximate.", ""]
        lines += _suite_table(expr_tests, causes=True)
    lines += ["### Where dask raises and gpuscale computes", "",
              "Failures counted above as \"no error/warning where dask raises/warns\": each input was run through "
              "pandas and gpuscale, and gpuscale gives pandas' answer.", ""]
    lines += [f"- `{test}`: {what}" for test, what in COMPUTES_WHERE_DASK_RAISES] + [""]
    return lines + _array_section(arrays, data) + _cluster_section(data)


def _array_section(arrays: dict, data: dict) -> list:
    """The dask.array modules' table, the commonest causes of their failures and where gpuscale computes where
    dask.array raises."""
    import collections

    if not arrays:
        return []
    lines = ["## dask.array's own tests against gpuscale", "",
              f"Modules of dask {data['dask']}'s `dask/array/tests`, run by `python -m tests.dask_api.dask_suite "
              "--array` with `import dask.array as da` giving `gpuscale.array`, dask.array's submodules "
              "(`linalg`, `fft`, `random`, `overlap`, `rechunk` ...) giving the names of gpuscale's same-named "
              "module or of gpuscale.array, and `dask.array.utils.assert_eq` computing gpuscale arrays (checking "
              "dtype and shape against their metadata) before dask's own `assert_eq` compares. Counted as above; "
              "*dask itself* is the same module run on dask here. Tests of dask's internal helpers (chunk "
              "planning in `dask.array.rechunk`, `dask.array.slicing`, `dask.array.reshape`; private "
              "`dask.array.core` and `gufunc` helpers) fail by construction: such a name raises "
              "`NotImplementedError` in place of running dask's code, and so do tests of graph keys, `same_keys`, "
              "`HighLevelGraph` and `dask._task_spec` tasks (gpuscale's graphs are not dask's), and of dask's "
              "`Array._meta`. A test expecting dask's error where gpuscale computes the result (matrix norms, svd "
              "on chunkings dask refuses) fails too. The note gives each module's commonest causes of failure "
              "(tests), grouped by `dask_suite.CAUSES`.", ""]
    lines += _suite_table(arrays, causes=True)
    overall, about, more = collections.Counter(), collections.defaultdict(list), set()
    for entry in arrays.values():
        for label, count, what in entry["gpuscale"].get("top_causes", []):
            overall[label] += count
            about[label] += [w for w in what.removesuffix(" ...").split(", ") if w and w not in about[label]]
            more |= {label} if what.endswith(" ...") or len(about[label]) > 8 else set()
    lines += ["The commonest causes over these modules (of each module's five commonest):", ""]
    lines += [f"- {_escape(_about(c, ', '.join(about[c][:8]) + (' ...' if c in more else '')))}: {k} tests"
              for c, k in overall.most_common(10)] + [""]
    lines += ["### Where dask.array raises and gpuscale computes", "",
              "Failures counted above as \"no error/warning where dask raises/warns\": each input was run "
              "through NumPy (SciPy) and gpuscale, and gpuscale gives their answer "
              "(`tests/array/test_where_dask_raises_dask.py`).", ""]
    lines += [f"- `{test}`: {what}" for test, what in COMPUTES_WHERE_DASK_RAISES_ARRAY] + [""]
    return lines


def _cluster_section(data: dict) -> list:
    """The modules of other packages' tests (``<package>:test_x``): collections on a distributed cluster."""
    modules = {m: e for m, e in data["modules"].items() if ":" in m}
    if not modules:
        return []
    lines = ["## Collections on a distributed cluster: dask's and distributed's tests", "",
             "Modules of an installed package's `tests` folder, run by `python -m tests.dask_api.dask_suite "
             "<package>:<module>` with both `dask.dataframe` and `dask.array` giving gpuscale's (not in the default "
             "lists): dask's `dask:test_distributed` (collections on a `distributed.Client`: `persist`, "
             "`futures_of`, `from_delayed` of futures, `to_zarr`, `map_partitions`) and distributed's "
             "`distributed:test_dask_collections`, and the tests of distributed's `distributed:test_client` that use "
             "dask.array or dask.dataframe (`dask_suite.MODULE_SELECTION`: persist, compute of nested containers, "
             "annotations, futures in collections, collections handed to tasks, the code recorded for a "
             "computation ...) (distributed's wheel ships without its tests: the modules of the "
             "same release are copied into the installed package's `tests` folder; their fixtures come from "
             "`distributed.utils_test`). Tests of dask's graph internals (`dask.array.optimize` of HLG layers, "
             "the number of tasks in a graph, which fusion changes) and dask.bag/delayed alone are counted as they "
             "fall.", ""]
    return lines + _suite_table(modules, causes=True)


def _about(cause: str, what: str) -> str:
    return f"{cause}: {what}" if what else cause


def _escape(text: str) -> str:
    """An exception message as markdown table text."""
    return text.replace("|", "/").replace("`", "'").replace("<", "&lt;").replace("*", "\\*")


def _suite_table(modules: dict, causes: bool) -> list:
    """One table of ``_suite_section``: a row per module and the total."""
    from tests.dask_api.dask_suite import pass_rate

    lines = ["| module | gpuscale | dask itself | note |", "| --- | --- | --- | --- |"]
    total_passed = total_ran = 0
    for module, entry in modules.items():
        ours = entry["gpuscale"]
        counts = ours["counts"]
        total_passed += counts.get("passed", 0) + counts.get("xpassed", 0)
        total_ran += sum(v for k, v in counts.items() if k not in ("skipped", "xfailed"))
        theirs = pass_rate(entry["dask"]["counts"]) if "dask" in entry else "-"
        note = f"does not import: {ours['collection_error']}" if ours.get("collection_error") else ""
        if causes and not note:
            note = "; ".join(f"{_about(c, what)} ({k})" for c, k, what in ours.get("top_causes", [])[:3])
        lines.append(f"| `{module}` | {pass_rate(counts)} | {theirs} | {_escape(note)} |")
    lines += ["", f"**{total_passed} of {total_ran}** tests of these modules pass against gpuscale.", ""]
    return lines
