"""Reported figures (migrations 0005 and 0006): their daily spread, stored, and the settings
the views read, mirrored from cadran.toml.

The views of costs and qualified interactions read ``reported_daily_figure``, the reports of
``ad_insight`` and ``segment_metric`` spread over their days: every change of those tables
refreshes it in the same transaction, so that it never differs from the reports.

The views that turn GA4 reports into qualified interactions cannot read ``cadran.toml``: the
events that count, whether acquisition reports by channel group are used, and the map of
channel groups to traffic sources are copied into the database, and copied again only when
they change. They choose among the stored series when read: changing them needs no refresh.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence

from cadran.store.migrations import read_meta, write_meta
from cadran.store.warehouse import Warehouse

_STATE_KEY = "conversion_settings"

# The tables whose rows reported_daily_figure spreads.
REPORTED_SOURCES = frozenset({"ad_insight", "segment_metric"})


def refresh_reported_figures(wh: Warehouse) -> None:
    """Recompute ``reported_daily_figure`` from the reports; call it in the transaction that
    changed them, so that no reader ever sees the table differ from the reports.

    The whole table is recomputed: the overlap rule resolves a series only from all its
    reports, and a few thousand reports take a fraction of a second (bench/reported_spread.py).
    """
    wh.con.execute("DELETE FROM reported_daily_figure")
    wh.con.execute("INSERT INTO reported_daily_figure BY NAME SELECT * FROM all_reported_daily()")


def mirror_conversion_settings(
    wh: Warehouse,
    key_events: Sequence[str],
    by_channel: bool,
    channel_sources: Mapping[str, str],
) -> bool:
    """Store the settings where the views read them; False when they were already there."""
    state = json.dumps(
        {"events": list(key_events), "by_channel": by_channel, "channels": dict(channel_sources)},
        sort_keys=True,
        ensure_ascii=False,
    )
    if read_meta(wh.con, _STATE_KEY) == state:
        return False
    with wh.transaction():
        wh.con.execute("DELETE FROM ga4_key_event")
        if key_events:
            wh.con.executemany("INSERT INTO ga4_key_event VALUES (?)", [[e] for e in key_events])
        wh.con.execute("DELETE FROM ga4_channel_source")
        if channel_sources:
            wh.con.executemany(
                "INSERT INTO ga4_channel_source VALUES (?, ?)",
                [[group, source] for group, source in channel_sources.items()],
            )
        write_meta(wh.con, "ga4_by_channel", "true" if by_channel else "false")
        write_meta(wh.con, _STATE_KEY, state)
    return True
