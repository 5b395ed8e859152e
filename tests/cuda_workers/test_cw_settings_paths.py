"""Path options must be paths: an int, a bool or bytes is named in a SettingsError (no processes)."""

from __future__ import annotations

import pathlib

import pytest

from cuda_workers.cluster import LocalCUDACluster
from cuda_workers.settings import Settings, SettingsError


@pytest.mark.parametrize("option", ["local_directory", "rmm_log_directory"])
@pytest.mark.parametrize("value", [1, 0, True, False, 1.5, b"/tmp", ["/tmp"]])
def test_a_path_option_that_is_not_a_path_is_named(option, value):
    with pytest.raises(SettingsError, match=rf"^{option}: expected a path \(str or os.PathLike\); got ") as info:
        Settings(**{option: value})
    assert info.value.option == option and repr(value) in str(info.value)


def test_paths_as_str_or_pathlike_are_accepted(tmp_path):
    assert Settings(local_directory=str(tmp_path)).local_directory == str(tmp_path)
    assert Settings(local_directory=pathlib.Path(tmp_path)).local_directory == pathlib.Path(tmp_path)
    assert Settings(local_directory="").local_directory is None
    assert Settings(rmm_log_directory=tmp_path).rmm_log_directory == tmp_path


def test_cluster_names_a_bad_local_directory_before_starting():
    with pytest.raises(SettingsError, match=r"^local_directory: expected a path .*got 123$"):
        LocalCUDACluster(n_workers=1, local_directory=123)
