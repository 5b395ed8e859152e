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
