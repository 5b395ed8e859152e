"""All 22 TPC-H queries at SF 0.01 on a Dask distributed cluster, every answer checked against DuckDB.

Two clusters, one per module (started once): ``distributed.LocalCluster`` with two worker processes, and
``cuda_workers.LocalCUDACluster`` (one worker per GPU; CPU workers on a machine without one). gpuscale
sends each query's graph to the cluster's client; nothing is computed by the local runtime in this process
(it is made to fail here), so every answer comes from the workers.

Each cluster runs the queries twice: on the tables as the local tests read them (few partitions: most
queries fuse into a handful of tasks) and with 100 kB partitions, which turns the merges, ``split_out``
groupbys, ``drop_duplicates`` and sorts into shuffles through distributed's P2P shuffle service.
"""

from __future__ import annotations

import contextlib
import warnings

import pytest

from benchmarks.tpch import engines, reference

import gpuscale

distributed = pytest.importorskip("distributed")

QUERY_NUMBERS = list(range(1, 23))
SMALL_PARTITIONS = "100kB"  # SF 0.01 lineitem (~60k rows) -> dozens of partitions: the merges shuffle

# dask's parquet reader calls reset_index(inplace=True), which pandas 3.1 deprecates; not ours to fix
pytestmark = [pytest.mark.filterwarnings("ignore:The inplace keyword in DataFrame.reset_index"),
              pytest.mark.timeout(180)]

# (cluster kind, query number) -> the first line of the error gpuscale raises there today
CLUSTER_XFAIL: dict[tuple[str, int], str] = {}


def _local_cluster():
    return distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None)


def _cuda_cluster():
    from cuda_workers import LocalCUDACluster

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the CPU-fallback warning on a machine without a GPU
        return LocalCUDACluster(dashboard_address=None)


CLUSTERS = {"LocalCluster": _local_cluster, "LocalCUDACluster": _cuda_cluster}


@pytest.fixture(scope="module", params=list(CLUSTERS))
def cluster_client(request):
    with CLUSTERS[request.param]() as cluster, distributed.Client(cluster) as client:
        assert len(client.scheduler_info()["workers"]) >= 2, "the queries should run on several workers"
        client.kind = request.param
        yield client


@pytest.fixture
def no_local_runtime(monkeypatch):
    """Computing with gpuscale's in-process runtime fails: every graph must go to the cluster."""
    from gpuscale.runtime import core

    def refuse(graph, keys, *args, **kwargs):
        raise AssertionError(f"computed on the client's local runtime ({len(graph)} tasks), not on the cluster")

    monkeypatch.setattr(core, "_run", refuse)


def _run_on_cluster(client, n, path, partition_bytes=None):
    """Query ``n``'s answer computed on ``client``'s workers, and the task stream it produced there."""
    options = {"dataframe.partition_bytes.cpu": partition_bytes} if partition_bytes else {}
    with gpuscale.config.set(options) if options else contextlib.nullcontext(), \
            distributed.get_task_stream(client) as stream:
        answer = engines.run_query("gpuscale", n, path, on_cluster=True)
    return answer, stream.data


def _check(client, n):
    reason = CLUSTER_XFAIL.get((client.kind, n))
    if reason:
        pytest.xfail(reason)


@pytest.mark.parametrize("n", QUERY_NUMBERS)
def test_query_on_cluster(n, cluster_client, tpch_path, duckdb_answers, no_local_runtime):
    _check(cluster_client, n)
    answer, tasks = _run_on_cluster(cluster_client, n, tpch_path)
    assert tasks, f"Q{n}: no task ran on the cluster's workers"
    reference.compare(answer, duckdb_answers(n), n)


# queries that shuffle at SMALL_PARTITIONS (a merge of two large sides, a split_out groupby or drop_duplicates):
# on a cluster that must go through distributed's P2P shuffle service, not an all-to-all of tasks.  Plans for a
# cluster weigh the sides of a merge by the bytes of the columns read, not by partitions, so a narrow or
# filtered side of many small partitions (Q3's customers, Q5's and Q9's dimension tables) is broadcast there
# instead, and a drop_duplicates of a filtered merge result that weighs less than a partition (Q16's distinct
# suppliers) combines in a tree; their answers are still checked.
P2P_QUERIES = {4, 13, 20, 21, 22}


@pytest.mark.parametrize("n", QUERY_NUMBERS)
def test_query_on_cluster_small_partitions(n, cluster_client, tpch_path, duckdb_answers, no_local_runtime):
    _check(cluster_client, n)
    answer, tasks = _run_on_cluster(cluster_client, n, tpch_path, SMALL_PARTITIONS)
    assert len(tasks) > 2, f"Q{n}: {len(tasks)} tasks with {SMALL_PARTITIONS} partitions"
    if n in P2P_QUERIES:
        assert any("p2p-transfer" in str(task["key"]) for task in tasks), f"Q{n} did not use the P2P shuffle"
    reference.compare(answer, duckdb_answers(n), n)
