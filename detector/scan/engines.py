"""Where tasks run: in this process, in local worker processes (joblib), or on a Dask cluster.

Each engine takes the same task tuples ``(path, out, model, limits)`` for `run_input` and
yields its reports as they complete, so the driver records each finished input at once.
"""

from __future__ import annotations

from collections.abc import Iterator

from detector.model import QualityModel
from detector.scan.task import run_input


def run_local(tasks: list[tuple], jobs: int) -> Iterator[dict]:
    """``jobs`` worker processes (loky); one job runs in this process."""
    if jobs <= 1 or len(tasks) <= 1:
        for t in tasks:
            yield run_input(*t)
        return
    from joblib import Parallel, delayed

    parallel = Parallel(n_jobs=min(jobs, len(tasks)), backend="loky",
                        return_as="generator_unordered")
    yield from parallel(delayed(run_input)(*t) for t in tasks)


def run_dask(tasks: list[tuple], scheduler: object) -> Iterator[dict]:
    """Run on a Dask cluster: ``scheduler`` is an address (``tcp://host:8786``) or a Client.

    Workers must see the inputs and the output folder at the same paths (a shared filesystem).
    A model object is scattered once to every worker; a model path is loaded once per worker.
    """
    from dask.distributed import Client, as_completed

    own = not isinstance(scheduler, Client)
    client = Client(scheduler) if own else scheduler
    try:
        if tasks and isinstance(tasks[0][2], QualityModel):
            model = client.scatter(tasks[0][2], broadcast=True)
            tasks = [(t[0], t[1], model, t[3]) for t in tasks]
        futures = {client.submit(run_input, *t, pure=False): t[0] for t in tasks}
        for fut in as_completed(futures):
            try:
                yield fut.result()
            except Exception as exc:  # a worker died (KilledWorker) or the cluster went away
                yield {"input": futures[fut], "failed": f"{type(exc).__name__}: {exc}"}
    finally:
        if own:
            client.close()
