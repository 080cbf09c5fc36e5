"""The workspace folder: its configuration file and where its database and definitions live.

A workspace is a folder holding::

    cadran.toml     name, time zone, currency, parameter values
    cadran.duckdb   the embedded database (the default store)
    kpis/           the workspace's own KPI definitions (YAML, same format as the built-ins)
    benchmarks/     the workspace's own benchmark bands
"""

from __future__ import annotations

import math
import re
import tomllib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

import tomli_w

from cadran.core.errors import DataError, UsageError, WorkspaceError
from cadran.core.spec import suggest

CONFIG_NAME = "cadran.toml"
# The database may use this much memory before spilling to disk. Beyond DuckDB's own default
# (80 % of the machine), a desktop tool should leave room for everything else that runs.
DEFAULT_MEMORY_LIMIT = "4GiB"
MEMORY_LIMIT = re.compile(r"^(\d+(\.\d+)?\s*(KB|MB|GB|TB|KiB|MiB|GiB|TiB)|\d{1,2}%)$", re.I)
DATABASE_NAME = "cadran.duckdb"
# Sections kept as written, each validated by the service that uses it.
SECTIONS = ("care", "text", "attribution", "roi", "conversions")
CURRENCIES = frozenset(
    [
        "EUR",
        "USD",
        "GBP",
        "CHF",
        "CAD",
        "AUD",
        "JPY",
        "CNY",
        "SEK",
        "NOK",
        "DKK",
        "PLN",
        "CZK",
        "HUF",
        "RON",
        "BRL",
        "MXN",
        "INR",
        "ZAR",
        "SGD",
        "HKD",
        "NZD",
        "MAD",
        "TND",
        "XOF",
        "XAF",
    ]
)


def check_timezone(name: str) -> str:
    """``name`` if it is an IANA time zone known here, else a :class:`UsageError`."""
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        hint = suggest(name, available_timezones())
        raise UsageError(
            f"unknown time zone {name!r}: expected an IANA name such as Europe/Paris"
            + (f"; {hint}" if hint else "")
        ) from None
    return name


def check_currency(code: str) -> str:
    """``code`` if it is a supported ISO 4217 currency code."""
    if code not in CURRENCIES:
        raise UsageError(f"unknown currency {code!r}: expected an ISO 4217 code such as EUR or USD")
    return code


@dataclass(frozen=True)
class WorkspaceConfig:
    """What ``cadran.toml`` holds."""

    name: str
    timezone: str
    currency: str = "EUR"
    created: str = ""
    parameters: dict[str, float] = field(default_factory=dict)
    memory_limit: str = DEFAULT_MEMORY_LIMIT
    # Kept as written and validated by the services that use them (every problem at once):
    # [care] the community team's opening hours, [text] the text-analytics settings.
    care: dict[str, object] = field(default_factory=dict)
    text: dict[str, object] = field(default_factory=dict)
    # [attribution] the models' settings, [roi] when to advise scaling up or stopping an action.
    attribution: dict[str, object] = field(default_factory=dict)
    roi: dict[str, object] = field(default_factory=dict)
    # [conversions] which GA4 events count as qualified interactions.
    conversions: dict[str, object] = field(default_factory=dict)

    def to_toml(self) -> str:
        """The text of ``cadran.toml``."""
        doc: dict[str, object] = {
            "workspace": {
                "name": self.name,
                "timezone": self.timezone,
                "currency": self.currency,
                "created": self.created,
            }
        }
        if self.parameters:
            doc["parameters"] = dict(self.parameters)
        if self.memory_limit != DEFAULT_MEMORY_LIMIT:
            doc["store"] = {"memory_limit": self.memory_limit}
        for name in SECTIONS:
            section = getattr(self, name)
            if section:
                doc[name] = dict(section)
        header = (
            "# Cadran workspace settings. Periods follow `timezone`.\n"
            "# [parameters] overrides constants used by KPI formulas ($name).\n"
            f"# [store] memory_limit (default {DEFAULT_MEMORY_LIMIT}) bounds the database's"
            " memory.\n"
            "# [care] timezone, hours, holidays: the community team's schedule (docs/text-care.md)."
            "\n# [text] default_language, transformer: text analytics (docs/text.md).\n"
            "# [attribution], [roi]: attribution models and ROI advice (docs/roi.md).\n"
            "# [conversions] ga4_key_events: GA4 events counted as qualified interactions"
            " (docs/roi.md).\n"
        )
        return header + tomli_w.dumps(doc)

    @classmethod
    def from_toml(cls, text: str, path: Path) -> WorkspaceConfig:
        """Read ``cadran.toml``, with errors naming the file and the field."""
        try:
            doc = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise DataError(f"{path}: not valid TOML ({exc})") from None
        ws = doc.get("workspace")
        if not isinstance(ws, dict):
            raise DataError(f"{path}: missing the [workspace] section")
        values: dict[str, str] = {}
        for key in ("name", "timezone", "currency"):
            value = ws.get(key)
            if not isinstance(value, str) or not value.strip():
                raise DataError(f"{path}: [workspace] {key} must be a non-empty text")
            values[key] = value.strip()
        try:
            check_timezone(values["timezone"])
            check_currency(values["currency"])
        except UsageError as exc:
            raise DataError(f"{path}: {exc}") from None
        params = doc.get("parameters", {})
        if not isinstance(params, dict):
            raise DataError(f"{path}: [parameters] must be a table of numbers")
        parameters: dict[str, float] = {}
        for key, value in params.items():
            if (
                isinstance(value, bool)
                or not isinstance(value, int | float)
                or not math.isfinite(value)
            ):
                raise DataError(f"{path}: [parameters] {key} must be a finite number")
            parameters[key] = float(value)
        created = ws.get("created", "")
        store = doc.get("store", {})
        if not isinstance(store, dict):
            raise DataError(f"{path}: [store] must be a table")
        memory_limit = store.get("memory_limit", DEFAULT_MEMORY_LIMIT)
        if not isinstance(memory_limit, str) or not MEMORY_LIMIT.match(memory_limit.strip()):
            raise DataError(
                f"{path}: [store] memory_limit must be a size such as '4GiB', '512MB' or '50%',"
                f" not {memory_limit!r}"
            )
        sections: dict[str, dict[str, object]] = {}
        for name in SECTIONS:
            section = doc.get(name, {})
            if not isinstance(section, dict):
                raise DataError(f"{path}: [{name}] must be a table")
            sections[name] = section
        return cls(
            values["name"],
            values["timezone"],
            values["currency"],
            str(created),
            parameters,
            memory_limit.strip(),
            **sections,
        )


@dataclass(frozen=True)
class WorkspaceFolder:
    """Paths of a workspace folder."""

    root: Path

    @property
    def config_path(self) -> Path:
        """``cadran.toml``."""
        return self.root / CONFIG_NAME

    @property
    def database_path(self) -> Path:
        """The embedded DuckDB file."""
        return self.root / DATABASE_NAME

    @property
    def kpi_dir(self) -> Path:
        """The workspace's own KPI definitions."""
        return self.root / "kpis"

    @property
    def benchmark_dir(self) -> Path:
        """The workspace's own benchmark bands."""
        return self.root / "benchmarks"

    def read_config(self) -> WorkspaceConfig:
        """The workspace's settings; a clear error when the folder is not a workspace."""
        if not self.root.exists():
            raise WorkspaceError(
                f"workspace folder {str(self.root)!r} does not exist; "
                f"create it with `cadran init {self.root}` or `cadran demo {self.root}`"
            )
        if not self.root.is_dir():
            raise WorkspaceError(f"{str(self.root)!r} is a file, not a workspace folder")
        if not self.config_path.exists():
            raise WorkspaceError(
                f"{str(self.root)!r} is not a Cadran workspace (no {CONFIG_NAME}); "
                f"create one with `cadran init {self.root}`"
            )
        try:
            text = self.config_path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            raise DataError(f"{self.config_path}: not UTF-8 text") from None
        except OSError as exc:
            raise WorkspaceError(f"cannot read {self.config_path}: {exc.strerror}") from None
        return WorkspaceConfig.from_toml(text, self.config_path)

    def create(self, name: str, timezone: str, currency: str) -> WorkspaceConfig:
        """Create the folder and its settings; refuses to overwrite a workspace."""
        check_timezone(timezone)
        check_currency(currency)
        if self.config_path.exists():
            raise WorkspaceError(f"{str(self.root)!r} is already a Cadran workspace")
        if self.root.exists() and not self.root.is_dir():
            raise WorkspaceError(f"{str(self.root)!r} exists and is not a folder")
        try:
            self.root.mkdir(parents=True, exist_ok=True)
            self.kpi_dir.mkdir(exist_ok=True)
            self.benchmark_dir.mkdir(exist_ok=True)
            config = WorkspaceConfig(
                name, timezone, currency, datetime.now(UTC).isoformat(timespec="seconds")
            )
            self.config_path.write_text(config.to_toml(), encoding="utf-8")
        except OSError as exc:
            raise WorkspaceError(
                f"cannot create workspace {str(self.root)!r}: {exc.strerror}"
            ) from None
        return config
