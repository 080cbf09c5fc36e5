"""Scoring many texts on every core: the default method in this process and worker processes.

Tokenising and rule evaluation are Python, so one process uses one core. Above a few thousand
texts the work is cut into chunks, scored by this process and by ``workers - 1`` worker
processes at once, each chunk by whichever is free. Results come back in the input order.

What makes the workers cheap:

- the method is built once per process (loading takes ~0.3 s) and, where processes are forked
  (Linux), built before the workers start, so that they share its lexicons, model and
  remembered words with this process instead of loading their own;
- while scoring, the cyclic garbage collector leaves alone the objects that existed before
  (lexicons, model, remembered tokens: a few hundred thousand), which it would otherwise walk
  through again and again as results pile up;
- workers send back plain lists (labels, scores, languages, methods), which pickle several
  times faster than opinion objects.
"""

from __future__ import annotations

import gc
import os
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from contextlib import contextmanager
from functools import lru_cache
from multiprocessing import get_all_start_methods, get_context

from cadran.text.opinion import Opinion
from cadran.text.sentiment import CadranSentiment

CHUNK = 1024
PARALLEL_FROM = 8192  # below this, starting workers costs more than it saves
_AHEAD = 2  # chunks queued per worker, so that none waits while this process scores one

Chunk = tuple[Sequence[str], Sequence[str | None]]
Columns = tuple[list[str | None], list[float | None], list[str | None], list[str]]

_worker: CadranSentiment | None = None


@lru_cache(maxsize=4)
def method_for(default_language: str | None) -> CadranSentiment:
    """The default method for ``default_language``, built once per process."""
    return CadranSentiment(default_language)


def _start(default_language: str | None) -> None:
    """Worker start: a forked worker already has the method; a spawned one builds it."""
    global _worker
    if _worker is None or _worker.default_language != default_language:
        _worker = method_for(default_language)
    gc.freeze()  # what the worker has loaded lives as long as the worker


def _score(chunk: Chunk) -> Columns:
    assert _worker is not None
    opinions = _worker.opinions(chunk[0], chunk[1])
    return (
        [o.label for o in opinions],
        [o.score for o in opinions],
        [o.language for o in opinions],
        [o.method for o in opinions],
    )


@contextmanager
def _collector_spares_existing() -> Iterator[None]:
    """Moves the objects alive now out of the garbage collector's way until the block ends.

    Nothing changes for objects created meanwhile, and the frozen ones go back to the oldest
    generation at the end. If something else froze objects before, it is left as it was.
    """
    if gc.get_freeze_count():
        yield
        return
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def score_all(
    texts: Sequence[str],
    languages: Sequence[str | None] | None = None,
    *,
    default_language: str | None = None,
    workers: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> list[Opinion]:
    """Opinions of ``texts`` with the default method, on ``workers`` processes (default: cores).

    ``progress`` is called with (texts done, texts in all) as chunks complete.
    """
    given = list(languages) if languages is not None else [None] * len(texts)
    count = workers if workers is not None else min(os.cpu_count() or 1, 8)
    chunks = [(texts[i : i + CHUNK], given[i : i + CHUNK]) for i in range(0, len(texts), CHUNK)]
    method = method_for(default_language)
    with _collector_spares_existing():
        if count <= 1 or len(texts) < PARALLEL_FROM:
            out: list[Opinion] = []
            for chunk_texts, chunk_languages in chunks:
                out.extend(method.opinions(chunk_texts, chunk_languages))
                if progress:
                    progress(len(out), len(texts))
            return out
        return _in_parallel(method, chunks, count - 1, progress)


def _in_parallel(
    method: CadranSentiment,
    chunks: Sequence[Chunk],
    workers: int,
    progress: Callable[[int, int], None] | None,
) -> list[Opinion]:
    """Scores ``chunks`` in this process and ``workers`` worker processes, in input order."""
    global _worker
    _worker = method  # what forked workers start with (see _start)
    total = sum(len(texts) for texts, _ in chunks)
    results: list[list[Opinion]] = [[] for _ in chunks]
    done = 0
    # fork shares the loaded lexicons and models with the workers at no cost (Linux, macOS
    # needs spawn and pays a start-up of about a second per worker).
    method_name = "fork" if "fork" in get_all_start_methods() else "spawn"
    with ProcessPoolExecutor(
        workers,
        mp_context=get_context(method_name),
        initializer=_start,
        initargs=(method.default_language,),
    ) as pool:
        running: dict[Future[Columns], int] = {}
        upcoming = iter(range(len(chunks)))
        at = next(upcoming, None)
        while at is not None or running:
            while at is not None and len(running) < _AHEAD * workers:
                running[pool.submit(_score, chunks[at])] = at
                at = next(upcoming, None)
            finished: list[int] = []
            if at is not None:
                # The workers have work queued: this process scores the next chunk itself.
                results[at] = method.opinions(*chunks[at])
                finished.append(at)
                at = next(upcoming, None)
            else:
                wait(running, return_when=FIRST_COMPLETED)
            for future in [f for f in running if f.done()]:
                index = running.pop(future)
                results[index] = list(map(Opinion, *future.result()))
                finished.append(index)
            for index in finished:
                done += len(results[index])
                if progress:
                    progress(done, total)
    return [opinion for result in results for opinion in result]
