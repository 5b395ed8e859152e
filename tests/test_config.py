import threading

import pytest

import gpuscale
from gpuscale import config


def test_set_is_scoped_and_restores():
    before = config.get("backend")
    with config.set(backend="numpy"):
        assert config.get("backend") == "numpy"
        with config.set(backend="cpu"):
            assert config.get("backend") == "cpu"
        assert config.get("backend") == "numpy"
    assert config.get("backend") == before


def test_set_without_with_is_global():
    token = config.set(scheduler="sync")
    try:
        seen = []
        thread = threading.Thread(target=lambda: seen.append(config.get("scheduler")))
        thread.start()
        thread.join()
        assert seen == ["sync"]
    finally:
        token.__exit__(None, None, None)
    assert config.get("scheduler") is None


def test_environment_variable_read_on_demand(monkeypatch):
    monkeypatch.setenv("GPUSCALE_BACKEND", "pandas")
    assert config.get("backend") == "pandas"
    monkeypatch.setenv("GPUSCALE_ARRAY_CHUNK_BYTES_CPU", "64MiB")
    assert config.get("array.chunk_bytes.cpu") == 64 * 2**20


def test_explicit_set_beats_environment(monkeypatch):
    monkeypatch.setenv("GPUSCALE_BACKEND", "pandas")
    with config.set(backend="numpy"):
        assert config.get("backend") == "numpy"


def test_dotted_options_with_double_underscore():
    with config.set(array__chunk_bytes__cpu="1MB", memory_limit="2 GiB"):
        assert config.get("array.chunk_bytes.cpu") == 10**6
        assert config.get("memory_limit") == 2 * 2**30


def test_dask_s_hyphenated_option_names():
    with config.set({"dataframe.convert-string": True}):
        assert config.get("dataframe.convert_string") is True
    assert config.get("dataframe.convert_string") is False
    with pytest.raises(KeyError, match="unknown gpuscale option 'dataframe.convert-strings'"):
        config.set({"dataframe.convert-strings": True})
    with config.set({"array.chunk-size": "64MiB"}):  # read back in dask's spelling too
        assert config.get("array.chunk-size") == config.get("array.chunk_size") == 64 * 2**20
    with pytest.raises(KeyError, match="unknown gpuscale option 'array.chunk-sizes'"):
        config.get("array.chunk-sizes")


@pytest.mark.parametrize("text,expected", [("4GiB", 4 * 2**30), ("500 MB", 500 * 10**6), ("1e3", 1000),
                                           (12, 12), (None, None), ("1.5kib", 1536)])
def test_parse_bytes(text, expected):
    assert config.parse_bytes(text) == expected


@pytest.mark.parametrize("bad", ["-1GB", "lots", "12 parsecs", -5])
def test_parse_bytes_rejects_nonsense(bad):
    with pytest.raises(ValueError, match="size|negative"):
        config.parse_bytes(bad)


def test_unknown_option_lists_valid_ones():
    with pytest.raises(KeyError, match="valid options: .*backend"):
        config.set(bakend="numpy")
    with pytest.raises(KeyError, match="unknown gpuscale option"):
        config.get("nope")


def test_package_exposes_config():
    assert gpuscale.config is config


# --- every option is checked where it is set; errors name the option or variable, the value
# and what is allowed

@pytest.mark.parametrize(("option", "value", "allowed"), [
    ("num_workers", -1, "positive integer"),
    ("num_workers", 0, "positive integer"),
    ("num_workers", "abc", "positive integer"),
    ("num_workers", 2.5, "positive integer"),
    ("num_workers", True, "positive integer"),
    ("optimize", "maybe", "True or False"),
    ("optimize", 2, "True or False"),
    ("use_default_client", "sometimes", "True or False"),
    ("progress", "maybe", "'auto'"),
    ("backend", "", "auto, cpu, gpu"),
    ("backend", "tpu", "auto, cpu, gpu"),
    ("backend", 3, "auto, cpu, gpu"),
    ("scheduler", "bogus", "'sync', 'threads'"),
    ("scheduler", 42, "'sync', 'threads'"),
    ("memory_limit", "lots", "size in bytes"),
    ("memory_limit", "150%", "size in bytes"),
    ("memory_limit", -5, "negative"),
    ("memory_limit", True, "size in bytes"),
    ("memory_limit", float("inf"), "size in bytes"),
    ("spill_dir", 42, "folder"),
    ("spill_dir", __file__, "not a folder"),
    ("array.chunk_bytes.cpu", 0, "positive size"),
    ("array.chunk_bytes.gpu", None, "positive size"),
    ("dataframe.partition_bytes.cpu", "-1MB", "negative"),
])
def test_set_rejects_bad_values_naming_option_value_and_what_is_allowed(option, value, allowed):
    with pytest.raises(ValueError) as info:
        config.set(**{option: value})
    message = str(info.value)
    assert f"option {option}" in message and repr(value) in message and allowed in message, message
    assert option not in config._values  # nothing was set


@pytest.mark.parametrize(("option", "text", "allowed"), [
    ("num_workers", "abc", "positive integer"),
    ("num_workers", "-1", "positive integer"),
    ("optimize", "maybe", "True or False"),
    ("use_default_client", "2", "True or False"),
    ("progress", "sometimes", "'auto'"),
    ("backend", "tpu", "auto, cpu, gpu"),
    ("scheduler", "bogus", "'sync', 'threads'"),
    ("memory_limit", "150%", "size in bytes"),
    ("array.chunk_bytes.cpu", "0", "positive size"),
])
def test_bad_environment_variable_names_the_variable(monkeypatch, option, text, allowed):
    variable = "GPUSCALE_" + option.upper().replace(".", "_")
    monkeypatch.setenv(variable, text)
    with pytest.raises(ValueError) as info:
        config.get(option)
    message = str(info.value)
    assert f"environment variable {variable}={text!r}" in message and allowed in message, message


@pytest.mark.parametrize(("option", "value", "expected"), [
    ("num_workers", "4", 4), ("num_workers", 3, 3), ("num_workers", None, None), ("num_workers", "none", None),
    ("optimize", "off", False), ("optimize", "YES", True), ("optimize", 0, False), ("optimize", True, True),
    ("progress", "auto", "auto"), ("progress", "false", False), ("progress", True, True),
    ("backend", "CuPy", "cupy"), ("backend", "array-api-strict", "array_api_strict"), ("backend", " cpu ", "cpu"),
    ("scheduler", "Threads", "threads"), ("scheduler", "synchronous", "synchronous"), ("scheduler", None, None),
    ("memory_limit", "1 GiB", 2**30), ("memory_limit", 0, 0), ("memory_limit", "none", None),
    ("spill_dir", "", None), ("array.chunk_bytes.cpu", "64MiB", 64 * 2**20),
])
def test_good_values_are_normalised(option, value, expected):
    with config.set(**{option: value}):
        assert config.get(option) == expected


def test_spill_dir_accepts_paths(tmp_path):
    with config.set(spill_dir=tmp_path / "new"):
        assert config.get("spill_dir") == str(tmp_path / "new")


@pytest.mark.parametrize("option", ["backend", "num_workers", "optimize", "progress", "memory_limit"])
def test_empty_environment_variable_counts_as_unset(monkeypatch, option):
    monkeypatch.setenv("GPUSCALE_" + option.upper(), "")
    assert config.get(option) == config.options[option].default


def test_scheduler_objects_are_accepted():
    def my_get(graph, keys):
        return keys

    with config.set(scheduler=my_get):
        assert config.get("scheduler") is my_get


def test_backend_names_match_the_registry():
    from gpuscale.backends.registry import VALID_NAMES

    assert sorted(config.BACKENDS) == sorted(VALID_NAMES)


@pytest.mark.parametrize(("option", "value", "allowed"), [
    ("num_workers", -1, "positive integer"), ("num_workers", "abc", "positive integer"),
    ("memory_limit", "lots", "size in bytes"), ("progress", "maybe", "'auto'"),
])
def test_get_options_are_checked_too(option, value, allowed):
    from gpuscale.runtime import get

    with pytest.raises(ValueError, match=f"option {option}.*{allowed}"):
        get({"a": 1}, "a", **{option: value})


def test_environment_error_reaches_compute_naming_the_variable(monkeypatch):
    from gpuscale.runtime import get

    monkeypatch.setenv("GPUSCALE_NUM_WORKERS", "abc")
    with pytest.raises(ValueError, match="GPUSCALE_NUM_WORKERS='abc'"):
        get({"a": 1, "b": (len, [1, 2])}, ["a", "b"])


def test_local_options_with_a_client_warn_that_they_are_ignored():
    from gpuscale.runtime import get

    class FakeClient:  # what get_on_client needs of a distributed.Client
        def get(self, graph, keys, sync=True):
            return [graph[k] for k in keys]

    with pytest.warns(UserWarning, match=r"memory_limit.*ignored.*distributed"):
        assert get({"a": 1}, ["a"], scheduler=FakeClient(), memory_limit="1GB") == [1]


def test_a_with_block_changes_options_only_in_its_own_thread():
    import threading

    import gpuscale

    seen = {}
    entered, done = threading.Event(), threading.Event()

    def other_thread():
        entered.wait(5)
        seen["other"] = gpuscale.config.get("num_workers")
        done.set()

    worker = threading.Thread(target=other_thread)
    worker.start()
    before = gpuscale.config.get("num_workers")
    with gpuscale.config.set(num_workers=3):
        entered.set()
        done.wait(5)
        seen["inside"] = gpuscale.config.get("num_workers")
    worker.join()
    assert seen == {"other": before, "inside": 3}
    assert gpuscale.config.get("num_workers") == before


def test_set_without_with_is_global_until_undone():
    import threading

    import gpuscale

    setting = gpuscale.config.set(optimize=False)
    try:
        seen = []
        thread = threading.Thread(target=lambda: seen.append(gpuscale.config.get("optimize")))
        thread.start()
        thread.join()
        assert seen == [False]
    finally:
        setting.__exit__(None, None, None)
    assert gpuscale.config.get("optimize") is True
