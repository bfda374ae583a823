"""Where the pipeline runs: in this process, in a pool of local processes, or on a
Dask distributed cluster.

Work goes out in chunks of documents and comes back as one ``ChunkResult`` per chunk,
in order; at most ``window`` chunks are in flight, so memory stays constant however
large the input. Each worker process builds the pipeline once (``worker_pipeline`` is
cached per process; the local pool also builds it in its initializer) and reports
its peak memory with every chunk. Results are written by the caller (pipeline.run),
one document per transaction, so every engine shares the same idempotence rules.
"""
from __future__ import annotations

import json
import os
import signal
import socket
import sys
from collections import deque
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from functools import cache
from multiprocessing import get_context
from typing import Callable, Iterable, Iterator, Protocol

from pipeline.doc import Annotation, Document
from pipeline.nlp import Pipeline
from pipeline.output.db import claim_sentences


@dataclass(frozen=True)
class Analysed:
    ann: Annotation
    sentences: dict[str, tuple[int, int]]  # claim id → sentence span


@dataclass(frozen=True)
class Failed:
    error: str


@dataclass(frozen=True)
class ChunkResult:
    results: list[Analysed | Failed]  # one per document of the chunk, in order
    worker: str                       # "host:pid"
    peak_kb: int                      # the worker's peak resident memory so far (VmHWM)


Outcome = ChunkResult | BaseException  # an exception when the whole chunk was lost


def peak_kb() -> int:
    """This process's peak resident set size in KiB."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    import resource
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def analyse(nlp: Pipeline, doc: Document) -> Analysed | Failed:
    """One document; an exception becomes a ``Failed`` so that the others go on."""
    try:
        analysis = nlp.analyse(doc)
        ann = analysis.annotation()
        return Analysed(ann, claim_sentences([(s.start, s.end) for s in analysis.sentences], ann))
    except Exception as exc:
        return Failed(f"processing failed: {type(exc).__name__}: {exc}")


def steps_key(steps) -> str:
    """The pipeline's steps as a string: hashable for the cache, cheap to send."""
    return json.dumps([[key, dict(settings)] for key, settings in steps])


@cache
def worker_pipeline(key: str) -> Pipeline:
    nlp = Pipeline(tuple((k, s) for k, s in json.loads(key)))
    if "torch" in sys.modules:
        # One thread per worker: the workers are the parallelism. (The entity model runs on
        # torch, which would otherwise start a thread per core in every worker.)
        sys.modules["torch"].set_num_threads(1)
    return nlp


def analyse_chunk(docs: list[Document], key: str) -> ChunkResult:
    nlp = worker_pipeline(key)
    return ChunkResult([analyse(nlp, d) for d in docs], worker_name(), peak_kb())


def _die_with_parent(parent: int) -> None:
    """Linux: end this worker when its parent ends, even by kill -9. (A pool worker
    holds both ends of its task queue, so it would otherwise wait forever.)"""
    if not sys.platform.startswith("linux"):
        return
    import ctypes

    try:
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # 1 = PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:  # the parent died before prctl took effect
        os._exit(1)


def _init_worker(key: str, parent: int) -> None:
    _die_with_parent(parent)
    # Ctrl-C goes to the whole process group; the parent decides how to stop.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    worker_pipeline(key)


def _result(future) -> Outcome:
    try:
        return future.result()
    except KeyboardInterrupt:
        raise
    except Exception as exc:  # the worker died or the cluster lost the task
        return exc


def bounded_map(submit: Callable[[list[Document]], object], chunks: Iterable[list[Document]],
                window: int) -> Iterator[tuple[list[Document], Outcome]]:
    """Submit chunks keeping at most ``window`` in flight; yield results in order."""
    pending: deque = deque()
    try:
        for docs in chunks:
            pending.append((docs, submit(docs)))
            if len(pending) >= window:
                docs, fut = pending.popleft()
                yield docs, _result(fut)
        while pending:
            docs, fut = pending.popleft()
            yield docs, _result(fut)
    finally:
        for _, fut in pending:
            fut.cancel()


class Executor(Protocol):
    chunk_size: int

    def map(self, chunks: Iterable[list[Document]]) -> Iterator[tuple[list[Document], Outcome]]: ...
    def close(self) -> None: ...


class InProcess:
    """The pipeline in this process, one document per chunk."""

    chunk_size = 1

    def __init__(self, nlp: Pipeline):
        self.nlp = nlp

    def map(self, chunks):
        for docs in chunks:
            yield docs, ChunkResult([analyse(self.nlp, d) for d in docs], worker_name(), peak_kb())

    def close(self) -> None:
        pass


class ProcessPool:
    """``workers`` local processes (spawned, each building the pipeline once)."""

    def __init__(self, steps, workers: int, chunk_size: int = 8, window: int | None = None):
        self.key = steps_key(steps)
        self.workers, self.chunk_size = workers, chunk_size
        self.window = window or 2 * workers
        self.pool = self._start()

    def _start(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(self.workers, mp_context=get_context("spawn"),
                                   initializer=_init_worker, initargs=(self.key, os.getpid()))

    def _submit(self, docs):
        try:
            return self.pool.submit(analyse_chunk, docs, self.key)
        except BrokenProcessPool:
            # A worker died (killed, out of memory): its chunks are reported lost by
            # bounded_map; start a fresh pool for the rest.
            self.pool.shutdown(wait=False, cancel_futures=True)
            self.pool = self._start()
            return self.pool.submit(analyse_chunk, docs, self.key)

    def map(self, chunks):
        return bounded_map(self._submit, chunks, self.window)

    def close(self) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)


class DaskCluster:
    """A Dask distributed cluster at ``scheduler`` (or, without one, a LocalCluster of
    ``workers`` single-threaded processes). Workers build the pipeline on their first
    chunk and keep it (``worker_pipeline`` is cached per worker process)."""

    def __init__(self, steps, scheduler: str | None = None, workers: int = 1, chunk_size: int = 16,
                 window: int | None = None):
        try:
            from distributed import Client, LocalCluster
        except ImportError:
            raise RuntimeError("the dask engine needs dask[distributed]: "
                               "pip install 'arabic-claims[dask]'") from None
        self.key, self.chunk_size = steps_key(steps), chunk_size
        self.cluster = None
        if scheduler:
            self.client = Client(scheduler)
        else:
            self.cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                                        dashboard_address=None)
            self.client = Client(self.cluster)
        threads = sum(self.client.nthreads().values()) or 1
        self.window = window or 2 * threads

    def _submit(self, docs):
        return self.client.submit(analyse_chunk, docs, self.key, pure=False)

    def map(self, chunks):
        return bounded_map(self._submit, chunks, self.window)

    def close(self) -> None:
        self.client.close()
        if self.cluster is not None:
            self.cluster.close()
