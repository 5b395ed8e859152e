"""The ``Examples`` of every public docstring run, as written (``python -m pytest --doctest-modules`` style)."""

from __future__ import annotations

import doctest
import importlib
import pkgutil
import tempfile

import pandas as pd
import pytest

import cuda_workers
import gpuscale
from tests.pandas_versions import PANDAS_3

_SKIP_PACKAGES = ("gpuscale.demo",)  # the demo application: its functions need generated data


def _modules() -> list[str]:
    names = []
    for package in (gpuscale, cuda_workers):
        names.append(package.__name__)
        for info in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
            if not info.name.startswith(_SKIP_PACKAGES) and not info.name.endswith("__main__"):
                names.append(info.name)
    return sorted(names)


# examples whose printed output is pandas 3's (the str dtype of text); under pandas 2.2 it reads object
_PANDAS_3_OUTPUT = {"gpuscale.dataframe.accessors", "gpuscale.dataframe.categorical", "gpuscale.dataframe.index_series",
                    "gpuscale.dataframe.loc", "gpuscale.dataframe.reduction_methods"}


# docstrings whose examples show what pandas 3 does (gpuscale follows the installed pandas): not run under pandas 2.2
_PANDAS_3_EXAMPLES = {
    "gpuscale.backends.frame.core.snapshot": "without copy-on-write a shallow copy shares the values",
    "gpuscale.backends.frame.resample.empty_bin_fill": "a text sum of no rows is '0', not ''",
    "gpuscale.dataframe.expanding.Expanding.first": "Expanding has no first",
    "gpuscale.dataframe.expanding.Expanding.last": "Expanding has no last",
    "gpuscale.dataframe.expanding.Expanding.nunique": "Expanding has no nunique",
    "gpuscale.dataframe.groupby_pandas.GroupByResampler": "groupby(...).resample keeps the key column",
    "gpuscale.dataframe.rolling.Rolling.sem": "rolling sem divides the std by sqrt(count - ddof)",
}


@pytest.mark.parametrize("name", _modules())
def test_docstring_examples_run(name, tmp_path, monkeypatch):
    if name in _PANDAS_3_OUTPUT and not PANDAS_3:
        pytest.skip(f"pandas {pd.__version__}: the examples print pandas 3's str dtype")
    # the examples' tempfile.mkdtemp() folders go under this test's own temporary folder (removed by pytest)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    module = importlib.import_module(name)
    finder = doctest.DocTestFinder(exclude_empty=True)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    for test in finder.find(module, name):  # each example sees its module's globals, as testmod
        if test.filename and not test.filename.endswith(".py"):
            continue
        if test.name in _PANDAS_3_EXAMPLES and not PANDAS_3:
            continue
        runner.run(test)
    result = runner.summarize(verbose=False)
    assert result.failed == 0, f"{result.failed} of {result.attempted} examples failed in {name}"


def test_pandas_3_examples_are_docstrings():
    """Every name in ``_PANDAS_3_EXAMPLES`` is a docstring with examples (a renamed one is not skipped silently)."""
    found = set()
    for name in [m for m in _modules() if any(n.startswith(m + ".") for n in _PANDAS_3_EXAMPLES)]:
        module = importlib.import_module(name)
        found.update(t.name for t in doctest.DocTestFinder(exclude_empty=True).find(module, name) if t.examples)
    assert set(_PANDAS_3_EXAMPLES) <= found, set(_PANDAS_3_EXAMPLES) - found


# Every public name has an ``Examples`` section (which the test above runs), but those listed here, which
# do not have one yet: the lists only shrink (issue #18).
_EXAMPLES_REQUIRED = {"gpuscale.dataframe": None, "cuda_workers": None, "gpuscale.array": None,
                      "gpuscale.array.linalg": None, "gpuscale.array.fft": None, "gpuscale.array.random": None,
                      "gpuscale.array.ma": None}
_LACKING_EXAMPLES: dict[str, list[str]] = {}


def _documented(module_name: str) -> dict:
    """``{public callable name: its docstring}``."""
    import inspect

    module = importlib.import_module(module_name)
    names = _EXAMPLES_REQUIRED[module_name] or module.__all__
    return {name: inspect.getdoc(getattr(module, name)) or "" for name in names if callable(getattr(module, name))}


@pytest.mark.parametrize("module_name", sorted(_EXAMPLES_REQUIRED))
def test_public_names_have_examples(module_name):
    lacking = [name for name, doc in _documented(module_name).items()
               if "Examples\n--------" not in doc and name not in _LACKING_EXAMPLES.get(module_name, ())]
    assert not lacking, f"{module_name}: no numpydoc Examples section in {lacking}"


@pytest.mark.parametrize("module_name", sorted(_LACKING_EXAMPLES))
def test_names_listed_as_lacking_examples_still_lack_them(module_name):
    docs = _documented(module_name)
    done = [name for name in _LACKING_EXAMPLES[module_name] if "Examples\n--------" in docs.get(name, "")]
    assert not done, f"{module_name}: {done} have Examples now: remove them from _LACKING_EXAMPLES"


def test_dask_array_methods_have_examples():
    """The dask.array methods of ``gpuscale.array.Array`` (``gpuscale.array.methods.ArrayMethods``)."""
    import inspect

    from gpuscale.array.methods import ArrayMethods

    classes = [c for c in ArrayMethods.__mro__ if c.__module__.startswith("gpuscale.array.methods")]
    assert len(classes) == 3, classes  # ArrayMethods and its reduction and output bases
    public = [name for c in classes for name in vars(c) if not name.startswith("_")]
    docs = {name: inspect.getdoc(getattr(ArrayMethods, name)) or "" for name in public}
    lacking = [name for name, doc in docs.items() if "Examples\n--------" not in doc]
    assert public and not lacking, f"ArrayMethods: no numpydoc Examples section in {lacking}"
