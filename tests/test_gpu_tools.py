"""tools/gpu/check_requires.py: requirements of carried wheels that nothing on the device provides."""

from __future__ import annotations

import importlib.util
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _tool():
    spec = importlib.util.spec_from_file_location("check_requires", ROOT / "tools" / "gpu" / "check_requires.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _wheel(folder: Path, name: str, *requires: str) -> None:
    meta = "Metadata-Version: 2.1\nName: {0}\nVersion: 1.0\n".format(name)
    meta += "".join(f"Requires-Dist: {r}\n" for r in requires)
    with zipfile.ZipFile(folder / f"{name}-1.0-py3-none-any.whl", "w") as wheel:
        wheel.writestr(f"{name}-1.0.dist-info/METADATA", meta)


def test_a_requirement_nothing_provides_is_reported(tmp_path):
    _wheel(tmp_path, "thing", "cachetools", "numpy>=2", "dask==2026.7.1", "not_on_the_device>=1")
    assert _tool().missing(tmp_path) == {"not-on-the-device": ["thing-1.0-py3-none-any.whl"]}


def test_requirements_for_another_platform_or_an_extra_are_ignored(tmp_path):
    _wheel(tmp_path, "thing", 'tzdata; sys_platform == "win32"', 'importlib_metadata; python_version < "3.12"',
           'sphinx; extra == "docs"', "numba-cuda-mlir[cu13]>=0.3")
    assert _tool().missing(tmp_path) == {}


def test_device_script_defines_each_step_once_and_every_step_it_calls():
    import re

    script = (Path(__file__).resolve().parents[1] / "tools" / "gpu" / "device.sh").read_text()
    defined = re.findall(r"^([a-z_]+)\(\) \{", script, flags=re.M)
    assert len(defined) == len(set(defined)), f"a step defined twice: {sorted(defined)}"
    steps = script[script.index('case "$step" in'):]
    called = set(re.findall(r"\b(wait_background|cudf_install|stash|dask_cuda|dask_cudf|background|collect)\b", steps))
    assert called <= set(defined), f"called but not defined: {sorted(called - set(defined))}"
    assert {"background", "wait_background", "dask_cudf"} <= set(defined)
