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

    from gpuscale.backends import io_write

    takes = set(inspect.signature(cudf.DataFrame.to_parquet).parameters)
    translatable = {k: True for k, v in io_write._CUDF_PARQUET_NAMES.items() if v is not None}
    assert set(io_write.parquet_writer_options(translatable, "cudf")) <= takes
