"""The semantic model: facts, dimensions, attributes and measures that formulas are written in.

It is loaded from ``definitions/semantic.yaml`` by
:func:`cadran.core.semantic_loader.load_semantic_model`, which validates
the whole file and reports every problem with its line.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum

from cadran.core.formula import (
    Condition,
    Expr,
)
from cadran.core.spec import Bilingual


class Aggregation(Enum):
    """How a measure combines the rows of a group."""

    SUM = "sum"
    COUNT = "count"
    COUNT_DISTINCT = "count_distinct"
    MEAN = "mean"
    MEDIAN = "median"
    MIN = "min"
    MAX = "max"
    LAST = "last"  # stock: the latest value of each `per` entity, then summed
    FIRST = "first"  # stock: the earliest value of each `per` entity, then summed
    UNIQUE = "unique"  # unique count (reach): only defined when the group holds one row

    @property
    def additive(self) -> bool:
        """Whether values of sub-groups can be added to get the group's value."""
        return self in (Aggregation.SUM, Aggregation.COUNT)


class ValueType(Enum):
    """Types of columns and attributes, as far as formulas care."""

    TEXT = "text"
    NUMBER = "number"
    INTEGER = "integer"
    BOOLEAN = "boolean"
    DATE = "date"
    TIMESTAMP = "timestamp"

    @property
    def numeric(self) -> bool:
        """Whether arithmetic applies."""
        return self in (ValueType.NUMBER, ValueType.INTEGER)


ROW_FUNCTIONS = {"coalesce": (1, 16), "abs": (1, 1), "seconds_between": (2, 2)}
TIME_ENTITIES = ("day", "week", "month")


@dataclass(frozen=True)
class ColumnRef:
    """A column of the fact's table, or of a joined table (``join`` names the join)."""

    column: str
    join: str | None = None

    def __str__(self) -> str:
        return f"{self.join}.{self.column}" if self.join else self.column


@dataclass(frozen=True)
class Join:
    """A many-to-one join from a fact to another table on a shared key column."""

    name: str
    table: str
    key: str


@dataclass(frozen=True)
class Lookup:
    """How the label of a dimension value is found: ``columns`` of ``table`` joined by ':'."""

    table: str
    key: str
    columns: tuple[str, ...]


@dataclass(frozen=True)
class Dimension:
    """A breakdown users can ask for (platform, account, campaign...)."""

    name: str
    label: Bilingual
    lookup: Lookup | None = None


@dataclass(frozen=True)
class Attribute:
    """A field filters can test: a column, or a condition over columns (a derived flag)."""

    name: str
    type: ValueType
    column: str | None = None
    condition: Condition | None = None
    values: tuple[str, ...] | None = None


@dataclass(frozen=True)
class Fact:
    """A table KPIs are computed from."""

    name: str
    table: str
    label: Bilingual
    date: str
    date_basis: Bilingual
    row_entity: str | None
    joins: Mapping[str, Join]
    dimensions: Mapping[str, ColumnRef]
    entities: Mapping[str, ColumnRef]
    columns: Mapping[str, ValueType]
    attributes: Mapping[str, Attribute]
    # A column of fractional credits (0..1) when the rows are shares of conversions given to
    # touchpoints by an attribution model: counts then add up credits and sums weigh each row.
    weight: str | None = None

    def entity_column(self, entity: str) -> ColumnRef | None:
        """The column identifying ``entity`` in this fact (time entities use the date)."""
        if entity in TIME_ENTITIES:
            return ColumnRef(self.date)
        return self.entities.get(entity)


@dataclass(frozen=True)
class Measure:
    """A named aggregation of a fact: a word of the formula language."""

    name: str
    fact: str
    expr: Expr | None  # None: count rows
    agg: Aggregation
    per: tuple[str, ...]
    unit: str
    label: Bilingual


@dataclass(frozen=True)
class SemanticModel:
    """Everything formulas can refer to."""

    entities: Mapping[str, Bilingual]
    dimensions: Mapping[str, Dimension]
    facts: Mapping[str, Fact]
    measures: Mapping[str, Measure]
