"""Settings validation (errors name the option) and worker planning, without processes."""

from __future__ import annotations

import re

import pytest
from conftest import SHARED_MEMORY_GPU, use_fake_gpus
from hypothesis import given
from hypothesis import strategies as st

from cuda_workers import devices
from cuda_workers.settings import Settings, SettingsError, parse_size, resolve_bytes
from cuda_workers.spec import Machine, plan_cpu_workers, plan_workers

GiB = 2**30
GPUS = [devices.Device(i, f"GPU-{i}", "Fake", 16 * GiB, cpu_affinity=(i,)) for i in range(3)]
MACHINE = Machine(cpu_count=8, memory_bytes=64 * GiB)


@pytest.mark.parametrize(
    ("value", "expected"),
    [(None, None), (0, 0), (1024, 1024), ("4GB", 4 * 10**9), ("2 GiB", 2 * GiB), ("80%", 0.8),
     (0.5, 0.5), (1.0, 1.0), (1.5e9, 1_500_000_000),
     # numbers written as text read as the numbers ("0.8" was parse_bytes' 0 bytes: no device tier at all)
     ("0.8", 0.8), (" 0.25 ", 0.25), ("1.0", 1.0), ("1", 1), ("4000000000", 4 * 10**9), ("1e9", 10**9)],
)
def test_parse_size(value, expected):
    assert parse_size("memory_limit", value) == expected


@given(st.floats(min_value=0.001, max_value=1.0), st.integers(min_value=1, max_value=2**45))
def test_fractions_resolve_within_the_total(fraction, total):
    assert 0 <= resolve_bytes(parse_size("device_memory_limit", fraction), total) <= total


@given(st.integers(min_value=2, max_value=2**50))
def test_byte_counts_are_kept_exactly(size):
    assert resolve_bytes(parse_size("rmm_pool_size", size), 1) == size


@pytest.mark.parametrize(
    ("options", "option", "message"),
    [
        ({"memory_limit": -1}, "memory_limit", "negative"),
        ({"device_memory_limit": "-5GB"}, "device_memory_limit", "negative"),
        ({"rmm_pool_size": "lots"}, "rmm_pool_size", "cannot read 'lots'"),
        ({"rmm_pool_size": True}, "rmm_pool_size", "expected bytes"),
        ({"protocol": "carrier-pigeon"}, "protocol", "unknown protocol"),
        ({"pre_import": "json,no_such_module_xyz"}, "pre_import",
         r"'no_such_module_xyz' cannot be found \(ModuleNotFoundError: No module named 'no_such_module_xyz'\)"),
        ({"pre_import": ["no_such_pkg.sub"]}, "pre_import", "cannot be found"),
        ({"n_workers": 0}, "n_workers", "positive integer"),
        ({"threads_per_worker": 1.5}, "threads_per_worker", "positive integer"),
        ({"rmm_async": True, "rmm_managed_memory": True}, "rmm_managed_memory", "rmm_async"),
        ({"rmm_release_threshold": "1GB"}, "rmm_release_threshold", "requires rmm_async"),
        ({"rmm_maximum_pool_size": "2GB"}, "rmm_maximum_pool_size", "requires rmm_pool_size"),
        ({"rmm_pool_size": "2GB", "rmm_maximum_pool_size": "1GB"}, "rmm_maximum_pool_size", "smaller"),
        ({"enable_nvlink": True, "protocol": "tcp"}, "enable_nvlink", "requires protocol='ucx'"),
        ({"enable_infiniband": True, "protocol": "tcp"}, "enable_infiniband", "requires protocol='ucx'"),
        ({"protocol": "tls"}, "security", "needs security"),
        ({"local_directory": __file__}, "local_directory", "not a directory"),
        ({"cudf_spill_stats": 3}, "cudf_spill_stats", "statistics level"),
        ({"rmm_async": "no"}, "rmm_async", "expected True or False"),
        ({"cpu_fallback": "no"}, "cpu_fallback", "expected True or False"),
        ({"enable_nvlink": "yes"}, "enable_nvlink", "expected True or False"),
        ({"log_spilling": 0.5}, "log_spilling", "expected True or False"),
    ],
)
def test_bad_values_name_the_option(options, option, message):
    with pytest.raises(SettingsError, match=message) as error:
        Settings(**options)
    assert error.value.option == option
    assert str(error.value).startswith(f"{option}: ")


def test_a_pool_size_with_the_async_allocator_warns_as_dask_cuda_does():
    with pytest.warns(FutureWarning, match="'rmm_pool_size' is not needed when 'rmm_async' is enabled"):
        settings = Settings(rmm_async=True, rmm_pool_size="1GB")
    assert settings.rmm_pool_size == 1_000_000_000  # still primes the async pool
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        Settings(rmm_async=True, rmm_release_threshold="1GB")


@pytest.mark.parametrize(
    ("option", "value", "allowed"),
    [
        ("memory_limit", "150%", "percentage from 0% to 100%"),
        ("device_memory_limit", "250%", "percentage from 0% to 100%"),
        ("memory_limit", 1.5, "fraction in (0, 1] or a whole number of bytes"),
        ("rmm_pool_size", 2.25, "fraction in (0, 1] or a whole number of bytes"),
        ("device_memory_limit", "1.5", "fraction in (0, 1] or a whole number of bytes"),
        ("memory_limit", float("nan"), "finite"),
        ("device_memory_limit", float("inf"), "finite"),
        ("memory_limit", "lots", "e.g. '4GB', '80%'"),
        ("memory_limit", [1], "expected bytes"),
        ("memory_limit", -1, "must not be negative"),
    ],
)
def test_bad_sizes_name_option_value_and_what_is_allowed(option, value, allowed):
    with pytest.raises(SettingsError) as error:
        Settings(**{option: value})
    message = str(error.value)
    assert message.startswith(f"{option}: ") and allowed in message and repr(value) in message, message


def test_settings_are_normalised_and_frozen():
    s = Settings(memory_limit="4GB", device_memory_limit="50%", pre_import="json, math", protocol="ucxx")
    assert (s.memory_limit, s.device_memory_limit, s.pre_import, s.protocol) == (4 * 10**9, 0.5, ("json", "math"), "ucx")
    with pytest.raises(AttributeError):
        s.memory_limit = 1
    assert s.replace(memory_limit=0.25).memory_limit == 0.25
    with pytest.raises(SettingsError, match="memory_limit"):
        s.replace(memory_limit=-3)


def test_device_options_lists_only_what_the_user_changed():
    assert Settings().device_options == {}
    assert Settings(rmm_pool_size="1GB", device_memory_limit=0.5).device_options == {
        "rmm_pool_size": 10**9, "device_memory_limit": 0.5}


def test_one_plan_per_gpu_with_rotated_devices_affinity_and_bytes():
    plans = plan_workers(Settings(device_memory_limit=0.5, rmm_pool_size="1GiB", memory_limit=0.25), GPUS, MACHINE)
    assert [p.cuda_visible_devices for p in plans] == ["0,1,2", "1,2,0", "2,0,1"]
    assert [p.cpu_affinity for p in plans] == [(0,), (1,), (2,)]
    assert {p.device_memory_limit_bytes for p in plans} == {8 * GiB}
    assert {p.rmm_pool_size_bytes for p in plans} == {GiB}
    assert {p.memory_limit_bytes for p in plans} == {16 * GiB}
    assert {p.threads for p in plans} == {1}
    assert len({p.name for p in plans}) == 3


def test_default_device_limit_is_80_percent_and_host_memory_is_split():
    plans = plan_workers(Settings(), GPUS[:2], MACHINE)
    assert {p.device_memory_limit_bytes for p in plans} == {int(0.8 * 16 * GiB)}
    assert {p.memory_limit_bytes for p in plans} == {32 * GiB}


def test_n_workers_uses_the_first_devices():
    plans = plan_workers(Settings(n_workers=2), GPUS, MACHINE)
    assert [p.device.index for p in plans] == [0, 1]
    with pytest.raises(SettingsError, match="n_workers: 4 workers asked for but only 3"):
        plan_workers(Settings(n_workers=4), GPUS, MACHINE)


@pytest.mark.parametrize("option", ["rmm_pool_size", "device_memory_limit", "rmm_maximum_pool_size"])
def test_sizes_larger_than_the_device_are_rejected(option):
    options = {option: "17GiB"}
    if option == "rmm_maximum_pool_size":
        options["rmm_pool_size"] = "1GiB"
    with pytest.raises(SettingsError, match=f"^{option}: .*larger than device 0"):
        plan_workers(Settings(**options), GPUS, MACHINE)


@pytest.mark.parametrize(
    ("machine", "options", "expected"),
    [
        (Machine(2, 24 * GiB), {}, (2, 1)),  # like LocalCluster: one process per core up to 4
        (Machine(16, 64 * GiB), {}, (4, 4)),
        (Machine(8, 3 * GiB), {}, (1, 8)),  # capped so each worker has at least 2 GiB
        (Machine(8, 64 * GiB), {"n_workers": 2}, (2, 4)),
        (Machine(8, 64 * GiB), {"threads_per_worker": 4}, (2, 4)),
    ],
)
def test_cpu_worker_count_follows_cores_and_memory(machine, options, expected):
    plans = plan_cpu_workers(Settings(**options), machine)
    assert (len(plans), plans[0].threads) == expected
    assert all(p.device is None and p.cuda_visible_devices is None for p in plans)
    assert plans[0].memory_limit_bytes == machine.memory_bytes // expected[0]


def test_without_devices_plans_cpu_workers():
    assert not any(p.has_gpu for p in plan_workers(Settings(), [], MACHINE))


def test_mig_instances_are_addressed_by_uuid_and_sized_by_their_own_memory():
    migs = [devices.Device(0, f"MIG-{i}", "Fake", (i + 1) * 10 * GiB, cpu_affinity=(0,), mig_parent=0) for i in range(2)]
    plans = plan_workers(Settings(), migs, MACHINE)
    assert [p.cuda_visible_devices for p in plans] == ["MIG-0,MIG-1", "MIG-1,MIG-0"]
    assert [p.device_memory_limit_bytes for p in plans] == [8 * GiB, 16 * GiB]
    assert [p.name for p in plans] == ["MIG-0", "MIG-1"]  # named by the UUID, as dask-cuda names them


@given(st.integers(min_value=1, max_value=12))
def test_rotation_gives_every_worker_all_devices_with_its_own_first(n):
    from cuda_workers.devices import rotated_visible_devices

    found = [devices.Device(i, f"GPU-{i}", "x", 1) for i in range(n)]
    lists = [rotated_visible_devices(found, i).split(",") for i in range(n)]
    assert [ids[0] for ids in lists] == [str(i) for i in range(n)]
    assert all(sorted(ids, key=int) == [str(i) for i in range(n)] for ids in lists)


@pytest.mark.parametrize(
    ("options", "bind", "dashboard"),
    [({}, "127.0.0.1", "127.0.0.1:8787"), ({"host": "10.0.0.5"}, "10.0.0.5", "10.0.0.5:8787"),
     ({"interface": "eth0"}, None, ":8787"), ({"dashboard_address": "0.0.0.0:9000"}, "127.0.0.1", "0.0.0.0:9000"),
     ({"dashboard_address": None}, "127.0.0.1", None)],
)
def test_listens_on_localhost_unless_told_otherwise(options, bind, dashboard):
    from cuda_workers.cluster import _dashboard_address
    from cuda_workers.spec import bind_host

    settings = Settings(**options)
    assert bind_host(settings) == bind and _dashboard_address(settings) == dashboard


@pytest.mark.parametrize("option", [{"rmm_pool_size": "1GB"}, {"rmm_managed_memory": True}, {"rmm_log_directory": "/tmp/x"}])
def test_rmm_options_need_rmm_installed(monkeypatch, option):
    import cuda_workers.settings as settings_module

    real = settings_module._find_spec
    monkeypatch.setattr(settings_module, "_find_spec", lambda name: None if name == "rmm" else real(name))
    with pytest.raises(SettingsError, match=f"^{next(iter(option))}: needs RMM"):
        Settings(**option)


def test_a_gpu_sharing_the_hosts_memory_gets_a_worker_without_a_device_tier(monkeypatch):
    """dask-cuda's rules for a GPU without memory of its own: the default device limit turns the device tier
    off; a fraction of device memory for RMM is refused naming the option; sizes in bytes are taken as given."""
    from cuda_workers.cluster import plan_cluster
    from cuda_workers.spec import worker_spec

    use_fake_gpus(monkeypatch, [SHARED_MEMORY_GPU])
    _, plans = plan_cluster(Settings())
    assert [(p.name, p.has_gpu, p.device_memory_limit_bytes) for p in plans] == [(0, True, None)]
    assert "data" not in worker_spec(plans[0], Settings(), "/tmp")["options"]  # distributed's host spilling
    _, plans = plan_cluster(Settings(device_memory_limit="4GB"))
    assert plans[0].device_memory_limit_bytes == 4_000_000_000
    with pytest.raises(SettingsError, match="^rmm_pool_size: a fraction of device memory needs a GPU with memory "
                                            "of its own; device 0 \\(Fake GB10\\) shares the host's memory"):
        plan_cluster(Settings(rmm_pool_size=0.5))
    _, plans = plan_cluster(Settings(rmm_pool_size="2GB"))
    assert plans[0].rmm_pool_size_bytes == 2_000_000_000


def test_a_worker_class_given_by_name_is_imported_or_refused():
    from distributed import Worker

    from cuda_workers.spec import apply_worker_overrides

    spec: dict = {"options": {}}
    apply_worker_overrides(spec, worker_class="distributed.Worker")
    assert spec["options"]["worker_class"] is Worker
    with pytest.raises(SettingsError, match="cannot import 'distributed.NoSuchWorker'"):
        apply_worker_overrides({"options": {}}, worker_class="distributed.NoSuchWorker")
    with pytest.raises(SettingsError, match="worker_class: expected a Worker or Nanny class"):
        apply_worker_overrides({"options": {}}, worker_class=5)


def test_a_dashboard_port_given_as_a_number():
    # distributed takes dashboard_address=8787 (it raised 'int' object has no attribute 'startswith')
    from cuda_workers.cluster import _dashboard_address

    assert _dashboard_address(Settings(dashboard_address=18791)).endswith(":18791")


# ---------------------------------------------------------------- sizes, devices and addresses as dask / dask-cuda
@pytest.mark.parametrize("value", [1, "1", 1.0, " 1 ", 0.5, "0.25", "1B", "3GB", 4_000_000_000])
def test_memory_limit_reads_as_distributeds_parse_memory_limit(value):
    # 1 and "1" are the whole machine there (LocalCluster, dask-cuda): they were 1 byte here (a 0.6-byte host tier)
    import logging

    from distributed.worker_memory import parse_memory_limit

    machine = Machine.current()
    plan = plan_cpu_workers(Settings(memory_limit=value, n_workers=1), machine)[0]
    assert plan.memory_limit_bytes == parse_memory_limit(value, 1, logger=logging.getLogger("test"))


@pytest.mark.parametrize("option", ["memory_limit", "device_memory_limit", "rmm_pool_size"])
@pytest.mark.parametrize("value", ["", " ", "B", "GB"])
def test_a_size_without_a_number_is_refused(option, value):
    # dask's parse_bytes puts a 1 in front: "" was 1 byte, "GB" 10**9 bytes
    with pytest.raises(SettingsError, match=f"^{option}: cannot read {value!r} as a size"):
        Settings(**{option: value})


def test_numpy_numbers_are_sizes_as_python_numbers():
    import numpy as np

    for value in (np.int64(4_000_000_000), np.int32(2**30), np.float32(0.5), np.float64(0.25)):
        assert Settings(memory_limit=value).memory_limit == Settings(memory_limit=value.item()).memory_limit
        assert Settings(rmm_pool_size=value).rmm_pool_size == Settings(rmm_pool_size=value.item()).rmm_pool_size
    with pytest.raises(SettingsError, match="^memory_limit: expected bytes"):
        Settings(memory_limit=np.bool_(True))


@pytest.mark.parametrize("zero", [0, "0", 0.0, "0 MiB"])
def test_a_zero_rmm_size_means_none_as_dask_cuda(zero):
    from cuda_workers import plugins

    settings = Settings(rmm_pool_size=zero, rmm_async=True, rmm_release_threshold=zero)
    assert settings.rmm_pool_size is None and settings.rmm_release_threshold is None
    plan = plan_workers(settings, GPUS[:1], MACHINE)[0]
    setup = next(p for p in plugins.for_plan(plan, settings) if isinstance(p, plugins.RMMSetup))
    assert setup.pool_size is None and setup.release_threshold is None
    assert not Settings(rmm_pool_size=zero).wants_rmm  # no pool at all (it set one up, of 0 bytes)


@pytest.mark.parametrize(("pool", "maximum"), [(0.5, "1GB"), ("4GB", 0.1), (0.5, 0.25), (0.5, "8GiB")])
def test_a_maximum_pool_below_the_initial_pool_is_refused_once_resolved(pool, maximum):
    settings = Settings(rmm_pool_size=pool, rmm_maximum_pool_size=maximum)
    total = GPUS[0].memory_total_bytes
    if resolve_bytes(settings.rmm_maximum_pool_size, total) >= resolve_bytes(settings.rmm_pool_size, total):
        assert plan_workers(settings, GPUS[:1], MACHINE)[0].rmm_maximum_pool_size_bytes == 8 * GiB
        return
    with pytest.raises(SettingsError, match="^rmm_maximum_pool_size: .* is smaller than rmm_pool_size"):
        plan_workers(settings, GPUS[:1], MACHINE)


def test_cudf_spilling_needs_cudf_installed(monkeypatch):
    from cuda_workers import settings as settings_module

    real = settings_module._find_spec
    monkeypatch.setattr(settings_module, "_find_spec", lambda name: None if name == "cudf" else real(name))
    with pytest.raises(SettingsError, match="^enable_cudf_spill: needs cuDF, which is not installed"):
        Settings(enable_cudf_spill=True)
    assert not Settings(enable_cudf_spill=False).enable_cudf_spill


@pytest.mark.parametrize("address", [8787.5, "8787.5", True, b":0", ":abc", "host:99999", [8787]])
def test_a_bad_dashboard_address_names_the_option(address):
    with pytest.raises(SettingsError, match="^dashboard_address: expected an address"):
        Settings(dashboard_address=address)


@pytest.mark.parametrize("address", [None, ":0", "localhost:8787", "8787", 8787])
def test_dashboard_addresses_distributed_reads(address):
    from distributed.utils import clean_dashboard_address

    assert Settings(dashboard_address=address).dashboard_address == address
    if address is not None:
        assert clean_dashboard_address(address)


def test_devices_given_as_one_index_or_numpy_integers():
    import numpy as np

    assert Settings(devices=1).devices == "1" and Settings(devices=np.int64(2)).devices == "2"
    assert Settings(devices=[np.int64(0), "GPU-1"]).devices == [0, "GPU-1"]
    assert [p.device.index for p in plan_workers(Settings(devices=1), devices.select(Settings(devices=1).devices,
                                                                                         GPUS), MACHINE)] == [1]
    for bad in (True, 1.5, {0: 1}, [0, None]):
        with pytest.raises(SettingsError, match="^devices: expected device indices or UUIDs"):
            Settings(devices=bad)
    for empty in ("", " , ", "-1", []):
        with pytest.raises(SettingsError, match=f"^devices: {re.escape(repr(empty))} selects no device"):
            Settings(devices=empty)
