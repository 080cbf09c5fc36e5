"""Throughput of the default sentiment method, against vaderSentiment measured in the same run.

    .venv/bin/python bench/sentiment_speed.py [N]

Texts: every distinct French and English tweet of the labelled corpora (DEFT 2017 train, val
and test; the 4,200 VADER tweets), cycled to N texts (default 100,000): comment-length texts in
both languages, language detected for each. Cadran runs with all cores (here this process and
one worker process) and with one; vaderSentiment, single-threaded by design, runs on one process
and on two.
Goal (issue #5): at least 20,000 comments per second on two cores.
"""

from __future__ import annotations

import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import sentiment_corpora as corpora
from cadran.text.parallel import score_all


def texts(n: int) -> list[str]:
    """``n`` comment-length texts, French and English (see the module docstring)."""
    pool = [t for s in ("train", "val", "test") for t in corpora.deft(s).texts]
    pool += corpora.vader_corpus("tweets").texts
    return [pool[i % len(pool)] for i in range(n)]


def _vader_chunk(chunk: list[str]) -> int:
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    analyzer = SentimentIntensityAnalyzer()
    return len([analyzer.polarity_scores(t)["compound"] for t in chunk])


def best_of(runs: int, work) -> float:
    """The fastest of ``runs`` timings of ``work()``, in seconds."""
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        work()
        timings.append(time.perf_counter() - started)
    return min(timings)


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    data = texts(n)
    chunks = [data[i : i + 5000] for i in range(0, n, 5000)]
    cadran_2 = best_of(3, lambda: score_all(data, workers=2))
    cadran_1 = best_of(3, lambda: score_all(data, workers=1))
    vader_1 = best_of(3, lambda: [_vader_chunk(c) for c in chunks])

    def vader_pool() -> None:
        with ProcessPoolExecutor(2) as pool:
            list(pool.map(_vader_chunk, chunks))

    vader_2 = best_of(3, vader_pool)
    print(f"{n:,} texts, best of 3 (start-up of the worker processes included)")
    for name, seconds in (
        ("Cadran, 2 processes", cadran_2),
        ("Cadran, 1 process", cadran_1),
        ("vaderSentiment, 1 process", vader_1),
        ("vaderSentiment, 2 processes", vader_2),
    ):
        print(f"  {name:28} {n / seconds:10,.0f} texts/s")
    print(f"ratio Cadran (2 processes) / vaderSentiment (1 process): {vader_1 / cadran_2:.2f}")
    print(f"ratio Cadran (2 processes) / vaderSentiment (2 processes): {vader_2 / cadran_2:.2f}")
    print(f"goal ≥ 20,000 texts/s on two cores: {'met' if n / cadran_2 >= 20_000 else 'NOT met'}")


if __name__ == "__main__":
    main()
