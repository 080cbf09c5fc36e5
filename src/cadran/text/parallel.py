"""Scoring many texts on every core: the default method in worker processes.

Tokenising and rule evaluation are Python, so one process uses one core. Above a few thousand
texts the work is cut into chunks that worker processes score, each with its own copy of the
method (built once per worker). Results come back in the input order.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_all_start_methods, get_context

from cadran.text.opinion import Opinion
from cadran.text.sentiment import CadranSentiment

CHUNK = 4096
PARALLEL_FROM = 8192  # below this, starting workers costs more than it saves

_worker: CadranSentiment | None = None


def _start(default_language: str | None) -> None:
    global _worker
    _worker = CadranSentiment(default_language)


def _score(chunk: tuple[Sequence[str], Sequence[str | None]]) -> list[Opinion]:
    assert _worker is not None
    return _worker.opinions(chunk[0], chunk[1])


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
    out: list[Opinion] = []
    if count <= 1 or len(texts) < PARALLEL_FROM:
        method = CadranSentiment(default_language)
        for chunk_texts, chunk_languages in chunks:
            out.extend(method.opinions(chunk_texts, chunk_languages))
            if progress:
                progress(len(out), len(texts))
        return out
    # fork shares the loaded lexicons and models with the workers at no cost (Linux, macOS
    # needs spawn and pays a start-up of about a second per worker).
    method_name = "fork" if "fork" in get_all_start_methods() else "spawn"
    with ProcessPoolExecutor(
        count, mp_context=get_context(method_name), initializer=_start, initargs=(default_language,)
    ) as pool:
        for result in pool.map(_score, chunks):
            out.extend(result)
            if progress:
                progress(len(out), len(texts))
    return out
