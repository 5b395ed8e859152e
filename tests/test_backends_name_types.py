"""``backend=`` values that are not names: a ValueError naming ``backend=`` and the valid names (an int raised
AttributeError); surrounding spaces are ignored in every place that takes a name, as ``config.set`` does."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import gpuscale
import gpuscale.array as ga
import gpuscale.dataframe as gd
from gpuscale import backends


@pytest.mark.parametrize("make", [
    lambda b: backends.resolve_array_backend(b), lambda b: backends.resolve_frame_backend(b),
    lambda b: ga.ones(3, backend=b), lambda b: gd.from_pandas(pd.DataFrame({"a": [1]}), npartitions=1, backend=b),
    lambda b: gd.from_pandas(pd.DataFrame({"a": [1]}), npartitions=1).to_backend(b),
])
@pytest.mark.parametrize("value", [1, 0, 2.5, ["cpu"]])
def test_a_backend_that_is_not_a_name_names_the_valid_ones(make, value):
    with pytest.raises(ValueError, match=r"backend=.* is not valid: expected a backend name, one of .*numpy"):
        make(value)


@pytest.mark.parametrize("name", [" cpu", "cpu ", " NumPy\t"])
def test_spaces_around_a_name_are_ignored_everywhere(name):
    with gpuscale.config.set(backend=name):
        assert gpuscale.config.get("backend") in {"cpu", "numpy"}
    x = ga.ones(3, backend=name)
    assert x.backend == "numpy"
    np.testing.assert_array_equal(x.compute(), np.ones(3))
    assert backends.resolve_frame_backend(name) == "pandas"


def test_an_unusable_backend_from_the_environment_names_the_variable(monkeypatch):
    from gpuscale.backends import _detect

    monkeypatch.setattr(_detect, "installed", lambda module: module not in {"cupy", "cudf"})
    monkeypatch.setenv("GPUSCALE_BACKEND", "gpu")
    with pytest.raises(backends.BackendUnavailableError, match=r"'gpu' needs cupy.*comes from the environment "
                                                               r"variable GPUSCALE_BACKEND: unset it"):
        ga.ones(3)
