"""The ``Examples`` of every public docstring run, as written (``python -m pytest --doctest-modules`` style)."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import cuda_workers
import gpuscale

_SKIP_PACKAGES = ("gpuscale.demo",)  # the demo application: its functions need generated data


def _modules() -> list[str]:
    names = []
    for package in (gpuscale, cuda_workers):
        names.append(package.__name__)
        for info in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
            if not info.name.startswith(_SKIP_PACKAGES) and not info.name.endswith("__main__"):
                names.append(info.name)
    return sorted(names)


@pytest.mark.parametrize("name", _modules())
def test_docstring_examples_run(name):
    module = importlib.import_module(name)
    finder = doctest.DocTestFinder(exclude_empty=True)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    for test in finder.find(module, name):  # each example sees its module's globals, as testmod
        if test.filename and not test.filename.endswith(".py"):
            continue
        runner.run(test)
    result = runner.summarize(verbose=False)
    assert result.failed == 0, f"{result.failed} of {result.attempted} examples failed in {name}"


# The names users call most: each has an ``Examples`` section (which the test above runs).
_EXAMPLES_REQUIRED = {
    "gpuscale.dataframe": None,  # None: every name in the module's __all__
    "cuda_workers": None,
    "gpuscale.array": ["asarray", "from_array", "zeros", "ones", "empty", "full", "zeros_like", "ones_like",
                       "empty_like", "full_like", "arange", "linspace", "eye", "meshgrid", "tril", "triu",
                       "from_dlpack", "map_blocks", "blockwise", "reduction", "store", "rechunk", "concat", "stack",
                       "reshape", "sum", "mean", "var", "std", "min", "max", "cumulative_sum", "argmax", "where",
                       "sort", "unique_values", "einsum"],
}


@pytest.mark.parametrize("module_name", sorted(_EXAMPLES_REQUIRED))
def test_public_names_have_examples(module_name):
    import inspect

    module = importlib.import_module(module_name)
    names = _EXAMPLES_REQUIRED[module_name] or module.__all__
    docs = {name: inspect.getdoc(getattr(module, name)) or "" for name in names if callable(getattr(module, name))}
    lacking = [name for name, doc in docs.items() if "Examples\n--------" not in doc]
    assert not lacking, f"{module_name}: no numpydoc Examples section in {lacking}"
