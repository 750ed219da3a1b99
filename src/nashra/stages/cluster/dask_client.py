"""A Dask cluster to send work to: distributed's adapter.

`connect("tcp://host:8786")` joins a running scheduler; `connect("local:2")`
starts a `LocalCluster` of two worker processes (one thread each, since an
engine such as espeak-ng keeps global state) for the length of the block.
Distributed's own errors never leave this module: a scheduler that cannot be
reached or that goes away becomes a `ClusterError`.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable, Iterable, Iterator
from typing import Any, TypeVar

from nashra.config.cluster import local_workers
from nashra.core.errors import NashraError, UsageError

log = logging.getLogger(__name__)

T = TypeVar("T")
R = TypeVar("R")

CONNECT_SECONDS = 20.0
"""How long to wait for a scheduler to answer, and for a first worker to join it."""


class ClusterError(NashraError):
    """The cluster cannot be reached, or went away during the build."""


class Cluster:
    """A connected client: run a function on every worker, or tasks on any."""

    def __init__(self, client: Any, address: str) -> None:
        self._client = client
        self.address = address

    def workers(self) -> list[str]:
        info = self._call(self._client.scheduler_info)
        return sorted(info.get("workers", {}))

    def run_on_workers(self, function: Callable[..., str], *args: Any) -> dict[str, str]:
        """`function(*args)` once on every worker, by worker address: what it returned,
        or what it raised (a worker that cannot even read the arguments says so)."""
        answers = self._call(self._client.run, function, *args, on_error="return")
        return {
            address: f"{type(answer).__name__}: {answer}"
            if isinstance(answer, BaseException)
            else str(answer)
            for address, answer in answers.items()
        }

    def map_unordered(
        self,
        function: Callable[[T], R],
        items: Iterable[T],
        name: Callable[[T], str],
        *,
        window: int,
    ) -> Iterator[tuple[T, R]]:
        """`function(item)` for every item, as a task called `name(item)`, each yielded
        with its item as it finishes. At most `window` tasks are out at once, the first
        items first, and `items` is read only as tasks finish. A worker lost mid-task
        costs a retry (Dask reschedules it); a task that raises is a `ClusterError`."""
        from distributed import as_completed

        queue = iter(items)
        out: dict[str, tuple[Any, T]] = {}
        finished = as_completed(loop=self._client.loop, with_results=True, raise_errors=False)

        def top_up() -> None:
            while len(out) < window:
                item = next(queue, None)
                if item is None:
                    return
                key = name(item)
                future = self._call(self._client.submit, function, item, key=key, pure=True)
                out[future.key] = (future, item)
                finished.add(future)

        try:
            top_up()
            for future, result in finished:
                if future.status == "cancelled":
                    raise ClusterError(
                        f"the Dask scheduler at {self.address} went away during the build; "
                        "the feed was not changed, and the next build resumes from the "
                        "episodes and clips already made"
                    )
                if future.status == "error":
                    raise ClusterError(f"a task failed on the cluster: {result!r}")
                # Forgotten at once: a worker lost later must not make the scheduler
                # compute again a result that was already taken.
                _, item = out.pop(future.key)
                future.release()
                top_up()
                yield item, result
        finally:
            with contextlib.suppress(Exception):
                self._client.cancel([future for future, _ in out.values()])

    def _call(self, method: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        try:
            return method(*args, **kwargs)
        except (OSError, TimeoutError) as exc:
            raise ClusterError(
                f"the Dask scheduler at {self.address} did not answer: {exc}"
            ) from exc


@contextlib.contextmanager
def connect(spec: str) -> Iterator[Cluster]:
    """The cluster `spec` names (see the module docstring), until the block ends."""
    try:
        from distributed import Client, LocalCluster
    except ImportError as exc:
        raise UsageError(
            "building on a cluster needs the cluster extra: pip install 'nashra[cluster]'"
        ) from exc
    _quiet()
    with contextlib.ExitStack() as stack:
        workers = local_workers(spec)
        if workers is not None:
            local = LocalCluster(
                n_workers=workers,
                threads_per_worker=1,
                processes=True,
                dashboard_address=None,
                host="127.0.0.1",
            )
            stack.callback(_close, local)
            address = str(local.scheduler_address)
        else:
            address = spec if "://" in spec else f"tcp://{spec}"
        try:
            client = Client(address, timeout=CONNECT_SECONDS, set_as_default=False)
        except (OSError, TimeoutError) as exc:
            raise ClusterError(f"cannot reach the Dask scheduler at {address}: {exc}") from exc
        stack.callback(_close, client)
        try:
            client.wait_for_workers(1, timeout=CONNECT_SECONDS)
        except (OSError, TimeoutError) as exc:
            raise ClusterError(
                f"the Dask scheduler at {address} has no workers "
                f"(none joined within {CONNECT_SECONDS:.0f} s)"
            ) from exc
        yield Cluster(client, address)


def _close(thing: Any) -> None:
    with contextlib.suppress(Exception):
        thing.close(timeout=5)


def _quiet() -> None:
    """Distributed logs tracebacks when a scheduler goes away; the build says it once.
    Its loggers are configured one by one when it is imported, so each is set here."""
    for name in list(logging.root.manager.loggerDict):
        if name.split(".")[0] in ("distributed", "tornado", "asyncio"):
            logging.getLogger(name).setLevel(logging.CRITICAL)
