"""A deterministic, realistic demo workspace: two years of a marketing team's social media.

    from cadran.sources.demo import DemoSpec, generate
    for chunk in generate(DemoSpec("S", seed=42, end=date(2026, 10, 31), timezone="Europe/Paris")):
        store.write(chunk.table, chunk.data)

See ``docs/demo.md`` for what the data contains and how it is made.
"""

from cadran.sources.demo.spec import Chunk, DemoSpec
from cadran.sources.demo.workspace import expected_rows, generate

__all__ = ["Chunk", "DemoSpec", "expected_rows", "generate"]
