"""SQL that turns the text cells of an export into typed rows of an entity.

The raw table holds the file's cells as text (columns ``c1``...``cN``) with the row number of
each (``_row``). Three layers of SQL read it: ``clean`` trims the cells, maps the export's null
tokens and blanks; ``parsed`` reads each field with its rule (a failed read gives NULL where the
cell had text: that is how bad values are found, all at once, by position); ``dated`` adds the
years of dates written without one. The same SQL reads a ten-row TikTok file and a million-row
X export: nothing is done row by row in Python.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from cadran.core.exports import ColumnRule, Layout, Parse, SkipRule
from cadran.plan.sql import ident, text

# Month names (full and abbreviated) of the interface languages platforms localise dates in.
MONTHS: Mapping[str, int] = {
    name: number
    for number, names in enumerate(
        (
            "january jan janvier janv janeiro jan enero ene gennaio gen januar",
            "february feb février fevrier févr fevr fevereiro fev febrero febbraio febr februar",
            "march mar mars março marco marzo märz marz",
            "april apr avril avr abril abr aprile",
            "may mai maio mayo maggio mag",
            "june jun juin junho junio giugno giu juni",
            "july jul juillet juil julho julio luglio lug juli",
            "august aug août aout agosto ago",
            "september sep sept septembre setembro set septiembre settembre",
            "october oct octobre outubro out octubre ottobre okt oktober",
            "november nov novembre novembro noviembre",
            "december dec décembre decembre déc dezembro dez diciembre dic dicembre dezember",
        ),
        start=1,
    )
    for name in names.split()
}

_ISO_DATE = ("%Y-%m-%d", "%Y-%m-%dT%H:%M:%S")
_NUMBER_TEXT = {
    Parse.COUNT: "a whole number of 0 or more",
    Parse.SIGNED: "a whole number",
    Parse.NUMBER: "a number",
    Parse.PERCENT: "a percentage (e.g. 1.8% or 1.8)",
    Parse.DURATION: "a duration H:MM:SS (or seconds)",
    Parse.TEXT: "text",
}
ID_IN_FLOAT_FORM = (
    "an id as the platform wrote it; this one was turned into a number in float form "
    "(e.g. by a spreadsheet), which loses its last digits, so rows could not be told apart"
)


@dataclass(frozen=True)
class FieldSql:
    """How one field (or metric) is read, with what to say when a cell cannot be."""

    name: str  # field name, or metric name in the long shape
    column: int  # 1-based column of the file
    header: str  # the header as written
    expected: str
    fatal: bool = False  # a bad value refuses the whole file, even when bad rows are skipped


@dataclass(frozen=True)
class ImportQuery:
    """The SQL reading one table of an export."""

    parsed: str  # SELECT _row, <field values...>, _bad_<i> flags, _skip reason
    fields: tuple[FieldSql, ...]  # in the order of the _bad_<i> flags
    long: bool
    ordered: bool = False  # reads rows in order of _row (a window), so needs it numbered
    columns: tuple[str, ...] = ()  # the values it gives, by name

    def with_constants(self, relation: str, constants: Mapping[str, str | None]) -> str:
        """SQL of ``relation`` (rows of this query) with the constants it does not read from
        the file as columns: the account, a period read from the comments..."""
        extra = [
            f"{'NULL' if v is None else text(v)} AS {ident(k)}"
            for k, v in constants.items()
            if k not in self.columns
        ]
        return f"SELECT *{''.join(', ' + e for e in extra)} FROM {relation}"


def _clean(col: str, rule: ColumnRule) -> str:
    if rule.parse is Parse.TEXT and not (rule.nulls or rule.pattern):
        # Texts are kept as written (a post may start with a space); blank is no value. One
        # starting with a visible ASCII character is not blank: most skip the costly trim.
        expr = (
            f"CASE WHEN ascii({col}) BETWEEN 33 AND 126 THEN {col} "
            f"WHEN trim({col}) = '' THEN NULL ELSE {col} END"
        )
    else:
        # Most cells start and end with a visible character and hold no no-break space: they
        # are their own clean value, and skipping the trim halves the cost of a large file.
        expr = (
            f"CASE WHEN ascii({col}) BETWEEN 33 AND 126 AND NOT suffix({col}, ' ') "
            f"AND NOT contains({col}, chr(160)) THEN {col} "
            f"ELSE nullif(trim(replace({col}, chr(160), ' ')), '') END"
        )
    if rule.nulls:
        tokens = ", ".join(text(n) for n in rule.nulls)
        expr = f"CASE WHEN lower({expr}) IN ({tokens}) THEN NULL ELSE {expr} END"
    if rule.blank is not None:
        expr = f"coalesce({expr}, {text(rule.blank)})"
    if rule.pattern:
        expr = f"nullif(regexp_extract({expr}, {text(rule.pattern)}, 1), '')"
    return expr


def _decimal(r: str, rule: ColumnRule, *, whole: bool) -> str:
    """Text of a number with its separators removed (a dot as the decimal point)."""
    if rule.decimal_comma:
        # "1.290,50" and "1 290,50" (thousands separated) or "1290,5"; a number a workbook
        # stored as such arrives as "1290.5" and keeps its point.
        spaced = f"regexp_replace({r}, '[ \u00a0\u202f]', '', 'g')"
        return (
            f"CASE WHEN regexp_full_match({spaced}, '-?[0-9]+[.][0-9]+') "
            f"AND NOT regexp_full_match({spaced}, '-?[0-9]{{1,3}}([.][0-9]{{3}})+') "
            f"THEN {spaced} ELSE replace(replace({spaced}, '.', ''), ',', '.') END"
        )
    if rule.decimal_auto:
        # "2,1" is 2.1 where a dot is absent (Italian, French...); "16.6" stays as it is.
        return f"CASE WHEN contains({r}, '.') THEN {r} ELSE replace({r}, ',', '.') END"
    # In whole counts a comma can only separate thousands ("1,234").
    no_spaces = f"replace({r}, ' ', '')"
    return f"replace({no_spaces}, ',', '')" if whole else no_spaces


_NUMERIC = (Parse.COUNT, Parse.SIGNED, Parse.NUMBER, Parse.PERCENT)


def _plain_number(rule: ColumnRule) -> bool:
    """A numeric rule whose cells, when they cast as written, need no cleaning."""
    tokens = rule.nulls or rule.blank is not None or rule.pattern
    return rule.parse in _NUMERIC and not (tokens or rule.decimal_comma or rule.decimal_auto)


def number_expr(raw: str, cleaned: str, rule: ColumnRule) -> str:
    """SQL reading a numeric cell as a DOUBLE (NULL when it is not one): ``raw`` is the cell as
    written, ``cleaned`` the SQL of its clean text.

    Computed once per cell in a layer of its own: the checks of ``parse_expr`` read it several
    times."""
    whole = rule.parse in (Parse.COUNT, Parse.SIGNED)
    source = f"rtrim({cleaned}, '% ')" if rule.parse is Parse.PERCENT else cleaned
    read = f"TRY_CAST({_decimal(source, rule, whole=whole)} AS DOUBLE)"
    if not _plain_number(rule):
        return read
    # Most cells are plain numbers: read as written they give what cleaning and removing the
    # separators would (a cell that casts has no comma, inner space or no-break space, and
    # surrounding spaces are allowed), and only the others pay for those string operations.
    return f"coalesce(TRY_CAST({raw} AS DOUBLE), {read})"


def _formats(rule: ColumnRule) -> list[str]:
    return [*rule.formats, *(f for f in _ISO_DATE if f not in rule.formats)]


def parse_expr(r: str, rule: ColumnRule, timezone: str, x: str = "") -> tuple[str, str]:
    """(SQL reading cleaned text ``r`` with ``rule``, what a bad value was expected to be).

    A numeric rule reads column ``x``, which holds ``number_expr`` of ``r``."""
    p = rule.parse
    if p is Parse.TEXT:
        return r, "text"
    if p is Parse.BOOLEAN:
        truth = "('true', 'yes', 'oui', 'vrai', 'y', 't', '1')"
        falsity = "('false', 'no', 'non', 'faux', 'n', 'f', '0')"
        return (
            f"CASE WHEN lower({r}) IN {truth} THEN TRUE WHEN lower({r}) IN {falsity} "
            "THEN FALSE END",
            "true or false (yes/no, oui/non, 1/0)",
        )
    if p is Parse.ID:
        floaty = "regexp_full_match({0}, '[0-9]*[.][0-9]+([eE][+-]?[0-9]+)?|[0-9]+[eE][+-]?[0-9]+')"
        return f"CASE WHEN {floaty.format(r)} THEN NULL ELSE {r} END", ID_IN_FLOAT_FORM
    if p in (Parse.COUNT, Parse.SIGNED):
        low = f" AND {x} >= 0" if p is Parse.COUNT else ""
        return (
            f"CASE WHEN isfinite({x}){low} AND {x} = trunc({x}) AND abs({x}) < 9.0e15 "
            f"THEN CAST({x} AS BIGINT) END",
            _NUMBER_TEXT[p],
        )
    if p in (Parse.NUMBER, Parse.PERCENT):
        value = f"{x} / 100.0" if p is Parse.PERCENT else x
        return f"CASE WHEN isfinite({x}) THEN {value} END", _NUMBER_TEXT[p]
    if p is Parse.DURATION:
        parts = [f"TRY_CAST(split_part({r}, ':', {i}) AS BIGINT)" for i in (1, 2, 3)]
        hms = f"{parts[0]} * 3600 + {parts[1]} * 60 + {parts[2]}"
        ms = f"{parts[0]} * 60 + {parts[1]}"
        secs = f"TRY_CAST({r} AS DOUBLE)"
        return (
            f"CASE WHEN regexp_full_match({r}, '[0-9]+:[0-5][0-9]:[0-5][0-9]') "
            f"THEN CAST({hms} AS DOUBLE) WHEN regexp_full_match({r}, '[0-9]+:[0-5][0-9]') "
            f"THEN CAST({ms} AS DOUBLE) WHEN isfinite({secs}) AND {secs} >= 0 THEN {secs} END",
            _NUMBER_TEXT[p],
        )
    shown = " or ".join(rule.formats) or "an Excel day number"
    if p is Parse.DATE:
        tries = [f"CAST(try_strptime({r}, {text(f)}) AS DATE)" for f in _formats(rule)]
        if rule.excel_serial:
            tries.append(_excel_day(r))
        return f"coalesce({', '.join(tries)})", f"a date ({shown})"
    if p is Parse.TIMESTAMP:
        zone = "UTC" if rule.utc else timezone
        tries = []
        for f in _formats(rule):
            if "%z" in f or "%Z" in f:
                tries.append(f"try_strptime({r}, {text(f)})")
            else:
                tries.append(f"timezone({text(zone)}, try_strptime({r}, {text(f)}))")
        if rule.excel_serial:
            tries.append(f"timezone({text(zone)}, CAST({_excel_day(r)} AS TIMESTAMP))")
        return f"coalesce({', '.join(tries)})", f"a date and time ({shown})"
    # DAY_MONTH: month * 100 + day here; the year is added by the `dated` layer.
    return _day_month(r), "a day and month name (e.g. 'April 12', '8 de marzo')"


def _plausible(alias: str) -> str:
    """A date of years 1900 to 2199 only: strptime's %Y also reads "26" as the year 26."""
    return f"CASE WHEN year(d_{alias}) BETWEEN 1900 AND 2199 THEN d_{alias} END AS v_{alias}"


def _excel_day(r: str) -> str:
    # Excel counts days from 1899-12-30 (after its 1900 leap-year bug); 20000..80000 is
    # 1954..2119, which keeps ordinary numbers from being read as dates.
    x = f"TRY_CAST({r} AS DOUBLE)"
    return (
        f"CASE WHEN {x} BETWEEN 20000 AND 80000 "
        f"THEN CAST(DATE '1899-12-30' + CAST(floor({x}) AS INTEGER) AS DATE) END"
    )


def _day_month(r: str) -> str:
    words = f"lower(regexp_replace({r}, '[.,]', ' ', 'g'))"
    day_first = f"regexp_extract({words}, '^\\s*([0-9]{{1,2}})\\s+(?:de\\s+)?(\\S+)\\s*$', 2)"
    month_first = f"regexp_extract({words}, '^\\s*(\\S+)\\s+([0-9]{{1,2}})\\s*$', 1)"
    day = (
        f"coalesce(TRY_CAST(nullif(regexp_extract({words}, "
        f"'^\\s*([0-9]{{1,2}})\\s+(?:de\\s+)?\\S+\\s*$', 1), '') AS INTEGER), "
        f"TRY_CAST(nullif(regexp_extract({words}, '^\\s*\\S+\\s+([0-9]{{1,2}})\\s*$', 1), '') "
        "AS INTEGER))"
    )
    month_word = f"coalesce(nullif({day_first}, ''), nullif({month_first}, ''))"
    cases = " ".join(f"WHEN {text(name)} THEN {n}" for name, n in MONTHS.items())
    month = f"(CASE {month_word} {cases} END)"
    return f"CASE WHEN {day} BETWEEN 1 AND 31 THEN {month} * 100 + {day} END"


def _skip_expr(rule: SkipRule, cleaned: str) -> str:
    tests = []
    if rule.values:
        tests.append(f"lower({cleaned}) IN ({', '.join(text(v) for v in rule.values)})")
    if rule.empty:
        tests.append(f"{cleaned} IS NULL")
    return " OR ".join(tests) or "FALSE"


def import_query(
    layout: Layout,
    raw: str,
    *,
    timezone: str,
    year: int | None,
    key_from: Sequence[str] = (),
) -> ImportQuery:
    """The SQL reading raw relation ``raw`` as ``layout`` says, one row per data row.

    Values for every row (the account...) are added afterwards: see ``with_constants``.
    Rows matching a skip rule are kept with their reason in ``_skip`` so they can be counted.
    Dates without a year need ``year``: the year of the first row.
    """
    export = layout.export
    clean: list[str] = []
    parsed: list[str] = []
    numbers: list[str] = []  # numeric readings, in a layer of their own so they are read once
    plausible: list[str] = []  # dates, checked in a layer of their own so they are read once
    fields: list[FieldSql] = []
    bad: list[str] = []
    values: dict[str, str] = {}
    day_months: dict[str, int] = {}  # alias -> index of its bad flag

    skipped_by = {s.field for s in export.skip}

    def add(name: str, col: int, rule: ColumnRule, alias: str) -> None:
        raw = f"c{col + 1}"
        cleaned = _clean(raw, rule)
        flag = f"_bad_{len(fields)}"
        if _plain_number(rule) and name not in skipped_by:
            # The clean text is only needed for cells that do not cast as written: it is
            # computed for those alone, here and in the flag (no skip rule reads it).
            clean.append(raw)
            numbers.append(f"{number_expr(raw, cleaned, rule)} AS x_{alias}")
            bad.append(
                f"CASE WHEN v_{alias} IS NOT NULL THEN FALSE "
                f"ELSE ({cleaned}) IS NOT NULL END AS {flag}"
            )
        else:
            clean.append(f"{cleaned} AS r_{alias}")
            if rule.parse in _NUMERIC:
                numbers.append(f"{number_expr(f'r_{alias}', f'r_{alias}', rule)} AS x_{alias}")
            bad.append(f"(r_{alias} IS NOT NULL AND v_{alias} IS NULL) AS {flag}")
        value, expected = parse_expr(f"r_{alias}", rule, timezone, f"x_{alias}")
        if rule.parse in (Parse.DATE, Parse.TIMESTAMP):
            parsed.append(f"{value} AS d_{alias}")
            plausible.append(_plausible(alias))
        else:
            parsed.append(f"{value} AS v_{alias}")
        if rule.parse is Parse.DAY_MONTH:
            if year is None:
                raise ValueError("dates without a year need the year")
            day_months[alias] = len(fields)
        header = layout.headers[col] if col < len(layout.headers) else ""
        fields.append(FieldSql(name, col + 1, header, expected, fatal=rule.parse is Parse.ID))

    for rule in export.rules:
        if rule.field in layout.columns:
            alias = ident(rule.field)
            add(rule.field, layout.columns[rule.field], rule, alias)
            values[rule.field] = f"v_{alias}"
    for i, (name, col, rule) in enumerate(layout.metric_columns):
        add(name, col, rule, f"m{i}")
    skip_cases = [
        f"WHEN {_skip_expr(s, f'r_{ident(s.field)}')} THEN {text(s.reason)}"
        for s in export.skip
        if s.field in layout.columns
    ]
    skip = f"CASE {' '.join(skip_cases)} END" if skip_cases else "CAST(NULL AS VARCHAR)"
    flags = bad_names(len(fields))
    for alias, flag in day_months.items():
        assert year is not None
        date = _with_year(alias, year)
        values[alias] = date
        flags[flag] = f"(_bad_{flag} OR (v_{alias} IS NOT NULL AND {date} IS NULL)) AS _bad_{flag}"
    if key_from:
        parts = ", ".join(f"coalesce(CAST({values[k]} AS VARCHAR), '')" for k in key_from)
        values["native_id"] = f"'h' || left(md5(concat_ws(chr(31), {parts})), 16)"
    select = [
        "_row",
        *(f"{expr} AS {ident(k)}" for k, expr in values.items()),
        *(f"v_m{i}" for i in range(len(layout.metric_columns))),
        *flags,
        "_skip",
    ]
    cleaned = f"(SELECT *, {', '.join(numbers)} FROM clean)" if numbers else "clean"
    read = f"SELECT *, {', '.join(parsed)} FROM {cleaned}"
    if plausible:
        read = f"SELECT *, {', '.join(plausible)} FROM ({read})"
    sql = (
        f"WITH clean AS (SELECT _row, {', '.join(dict.fromkeys(clean))} FROM {raw}), "
        f"parsed AS ({read}), "
        f"flagged AS (SELECT *, {', '.join(bad)}, {skip} AS _skip FROM parsed)"
    )
    last = "flagged"
    if day_months:
        previous = ", ".join(
            f"coalesce(lag(v_{a}) OVER (ORDER BY _row), v_{a}) AS p_{a}" for a in day_months
        )
        sql += f", dated AS (SELECT *, {previous} FROM flagged)"
        last = "dated"
    # No ORDER BY: rows keep the file's order, and sorting a million wide rows costs seconds.
    sql += f" SELECT {', '.join(select)} FROM {last}"
    return ImportQuery(sql, tuple(fields), export.is_long, bool(day_months), tuple(values))


def bad_names(n: int) -> list[str]:
    """The columns flagging a bad value of each field, in the order of ``fields``."""
    return [f"_bad_{i}" for i in range(n)]


def _with_year(alias: str, year: int) -> str:
    """The date of a day-month value: the given year, plus one each time the months wrap
    from December to January going down the rows (exports are in date order)."""
    wraps = (
        f"sum(CASE WHEN v_{alias} // 100 = 1 AND p_{alias} // 100 = 12 THEN 1 ELSE 0 END) "
        "OVER (ORDER BY _row ROWS UNBOUNDED PRECEDING)"
    )
    return (
        f"TRY_CAST(printf('%04d-%02d-%02d', {int(year)} + {wraps}, v_{alias} // 100, "
        f"v_{alias} % 100) AS DATE)"
    )
