"""The settings the views of reported figures read (migration 0005), mirrored from cadran.toml.

The views that turn GA4 reports into qualified interactions cannot read ``cadran.toml``: the
events that count, whether acquisition reports by channel group are used, and the map of
channel groups to traffic sources are copied into the database, and copied again only when
they change.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence

from cadran.store.migrations import read_meta, write_meta
from cadran.store.warehouse import Warehouse

_STATE_KEY = "conversion_settings"


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
