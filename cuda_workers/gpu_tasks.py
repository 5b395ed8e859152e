"""Scheduler side of a CPU-fallback cluster: a task that asks for a GPU fails at once.

GPU workers offer the resource ``GPU`` (see :func:`~cuda_workers.spec.worker_spec`); CPU
workers do not, so a task annotated ``resources={"GPU": 1}`` can never run on a cluster
that fell back to the CPU.  Dask's scheduler would keep it in its ``no-worker`` state
forever, without a word.  :class:`FailGPUTasksWithoutGPU` is installed on the scheduler
of such a cluster only and errs the task, with :class:`NoGPUWorkerError` saying why.
"""

from __future__ import annotations

from distributed import SchedulerPlugin
from distributed.protocol import pickle

class NoGPUWorkerError(RuntimeError):
    """A task asked for the ``GPU`` resource on a cluster whose workers have none.

    Examples
    --------
    On a cluster of CPU workers (the fallback), ``resources={"GPU": 1}`` fails at once
    rather than waiting forever:

    >>> with LocalCUDACluster() as cluster, Client(cluster) as client:  # doctest: +SKIP
    ...     client.submit(sum, [1], resources={"GPU": 1}).result()
    Traceback (most recent call last):
    cuda_workers.gpu_tasks.NoGPUWorkerError: ...
    """


class FailGPUTasksWithoutGPU(SchedulerPlugin):
    """Err every task that waits for the ``GPU`` resource while no worker of the cluster has it."""

    name = "cuda-workers-fail-gpu-tasks-without-gpu"

    def __init__(self, reason: str):
        self.reason = reason  # why the cluster has no GPU (from NVML discovery)
        self.scheduler = None

    async def start(self, scheduler) -> None:
        self.scheduler = scheduler

    def transition(self, key, start, finish, *args, stimulus_id: str, **kwargs) -> None:
        if finish == "no-worker" and self._waits_for_a_gpu(key):
            # a transition must not start another one: err the task once this one is done
            self.scheduler.loop.add_callback(self._fail, key)

    def _waits_for_a_gpu(self, key) -> bool:
        if self.scheduler is None:
            return False
        task = self.scheduler.tasks.get(key)
        if task is None or task.state != "no-worker" or not (task.resource_restrictions or {}).get("GPU"):
            return False
        # a GPU worker started by hand against this scheduler would run it: then it may wait
        return not any(worker.resources.get("GPU") for worker in self.scheduler.workers.values())

    def _fail(self, key) -> None:
        if not self._waits_for_a_gpu(key):
            return  # ran, was released or cancelled meanwhile
        task = self.scheduler.tasks[key]
        error = NoGPUWorkerError(
            f"task {key!r} asks for resources={dict(task.resource_restrictions)!r}, but this LocalCUDACluster "
            f"runs CPU workers only (no usable GPU: {self.reason}), so no worker can ever run it. Drop the "
            "annotation to run it on a CPU worker (gpuscale's backend='auto' picks the CPU here), or pass "
            "cpu_fallback=False to refuse to start without a GPU")
        stimulus_id = f"cuda-workers-no-gpu-{key}"
        recommendations = self.scheduler.transition(key, "erred", stimulus_id=stimulus_id, cause=key,
                                                    exception=pickle.dumps(error),
                                                    exception_text=str(error))
        self.scheduler.transitions(recommendations, stimulus_id=stimulus_id)
