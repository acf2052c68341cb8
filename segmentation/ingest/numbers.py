"""Turn numeric-looking text cells into numbers, a whole column at a time.

Accepted cell forms: ``15``, ``15.5``, ``15,5`` (decimal comma), ``15,000`` / ``15.000,5`` /
``15 000`` / ``15'000`` (thousands separators), ``12,45,000`` (Indian lakh and crore
grouping), ``$15``, ``15 €``, ``USD 15``, ``Rs. 12,45,000/-``, ``$15k`` / ``1.2M`` /
``12 lakh`` / ``1.5 crore`` (suffix multipliers), ``(15)`` and ``−15`` (negatives).

Grouping is checked, never just stripped: commas group digits the Western way (threes) or the
Indian way (a last group of three, two-digit groups before it); a space or apostrophe separates
groups of exactly three digits. ``1,2345``, ``12 345 67`` or ``1997 01 01`` are not numbers.

Whether a comma is a decimal or a thousands separator is decided per column, by the cells that
can only be one of them: cells such as ``15,5``, ``0,125`` or ``1234,5`` vote for a decimal
comma (dots then separate thousands), cells such as ``1,234,567``, ``1,234.5`` or ``12,45,000``
for grouping commas; ``1,234`` can be either and does not vote. The minority's cells are not
numbers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

#: Cell texts that mean "no value" (compared lower-case, after stripping).
MISSING_TOKENS: frozenset[str] = frozenset(
    {"", "na", "n/a", "n.a.", "nan", "null", "none", "-", "--", "—", "?", "#n/a", "missing", "nil"}
)

# Codes stand apart from letters, not from digits: ``INR1,000`` and ``Rs.500`` are written too.
_CURRENCY = re.compile(
    r"([$€£¥₽₹₩₺₴]|(?<![^\W\d_])(?:usd|eur|gbp|rub|chf|jpy|cny|inr|aud|cad|uah|kzt|sek|nok|dkk"
    r"|pln|rs\.?)(?![^\W\d_])|(?:руб|тг|грн|zł)\.?)",
    re.I,
)
_RUPEES = re.compile(r"(?i)^rs\.?$")
# "Rs. 500/-": the dash says "no paise" and carries no value.
_NO_PAISE = re.compile(r"\s*/-$")
# Unit words after a number ("25 years", "39 %", "39 pts") carry no value of their own.
_UNIT_WORDS = re.compile(
    r"(?i)\s*(?:%|years?|yrs?|y\.?o\.?|лет|года?|años|anos|jahre|ans|points?|pts?)\s*$"
)
_SUFFIX = re.compile(r"(?i)\s*(k|thousand|тыс\.?|m|mn|mln|million|млн\.?|lakhs?|lacs?|crores?)\s*$")
_SIGNS = "$€£¥₽₹₩₺₴"
_DROP_SIGNS = str.maketrans("", "", _SIGNS)
_GROUP_GAPS = " \t\u00a0\u202f\u2009\u2007'"
_DROP_GROUPING = str.maketrans("", "", _GROUP_GAPS)
_ANY_GAP = re.compile(f"[{_GROUP_GAPS}]")
# One kind of gap, between groups of exactly three digits: "15 000", "1'234'567.50".
_GAP_GROUPED = re.compile(f"^-?\\d{{1,3}}([{_GROUP_GAPS}])\\d{{3}}(?:\\1\\d{{3}})*(?:[.,]\\d*)?$")
_LETTER = re.compile(r"[^\W\d_]")
_TWO_DOTS = re.compile(r"\.[^\x00.]*\.")
_COMMA_THOUSANDS = re.compile(r"^-?[1-9]\d{0,2}(?:,\d{3})+(?:\.\d*)?$")
# Lakhs and crores: 1,23,45,678.50 (a last group of three, two-digit groups before it).
_COMMA_LAKHS = re.compile(r"^-?[1-9]\d?(?:,\d{2})+,\d{3}(?:\.\d*)?$")
_COMMA_DECIMAL = re.compile(r"^-?(?:\d*|[1-9]\d{0,2}(?:\.\d{3})+),\d+$")
_DOT_THOUSANDS = re.compile(r"^-?[1-9]\d{0,2}(?:\.\d{3})+(?:,\d*)?$")
_PLAIN = re.compile(r"^-?(?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?$", re.I)
_MULTIPLIERS = {"k": 1e3, "thousand": 1e3, "тыс": 1e3, "тыс.": 1e3}
_MULTIPLIERS.update(dict.fromkeys(["lakh", "lakhs", "lac", "lacs"], 1e5))
_MULTIPLIERS.update(dict.fromkeys(["crore", "crores"], 1e7))


@dataclass(frozen=True)
class ParsedNumbers:
    """A column read as numbers.

    Attributes:
        values: Float values (NaN where missing or not a number), same index as the input.
        missing: Cells that were empty or a "no value" token.
        bad: Cells with text that is not a number.
        written: Numbers as written, before suffix multipliers (``$15k`` -> 15).
        multiplier: The suffix multiplier of each cell (1, 1000, 1e6).
        decimal_comma: Whether the column writes decimals with a comma.
        currency: The currency sign or code seen most often, or ``None``.
    """

    values: pd.Series
    missing: pd.Series
    bad: pd.Series
    written: pd.Series
    multiplier: pd.Series
    decimal_comma: bool = False
    currency: str | None = None

    @property
    def parsed_share(self) -> float:
        """Share of non-missing cells that are numbers (1.0 for an empty column)."""
        present = int((~self.missing).sum())
        return 1.0 if present == 0 else 1.0 - int(self.bad.sum()) / present

    @property
    def suffix_share(self) -> float:
        """Share of numeric cells written with a ``k``/``M`` suffix."""
        good = ~self.missing & ~self.bad
        count = int(good.sum())
        return 0.0 if count == 0 else float((self.multiplier[good] != 1).sum()) / count


def parse_numbers(column: pd.Series) -> ParsedNumbers:
    """Read a column of cells as numbers; numeric dtypes pass straight through.

    Text cells are cleaned once per distinct value and spread back, so a million cells with
    a few hundred distinct incomes cost a few hundred cleanings.
    """
    if pd.api.types.is_bool_dtype(column.dtype):
        column = column.astype("float64")
    if pd.api.types.is_numeric_dtype(column.dtype):
        values = column.astype("float64")
        missing = values.isna()
        # Constant columns as read-only views of one value: no memory per row.
        ones = pd.Series(np.broadcast_to(1.0, len(column)), index=column.index, copy=False)
        none = pd.Series(np.broadcast_to(False, len(column)), index=column.index, copy=False)
        return _finite_only(ParsedNumbers(values, missing, none, values, ones))
    codes, uniques = pd.factorize(column.astype(object), use_na_sentinel=True)
    distinct = pd.Series(uniques, dtype=object).map(str)
    # One extra entry for missing cells (code -1 picks the last one).
    distinct = pd.concat([distinct, pd.Series([""], dtype=object)], ignore_index=True)
    parsed = _parse_distinct(distinct.astype(str).str.strip(), _counts(codes, len(distinct)))
    parsed = _finite_only(parsed)
    return ParsedNumbers(
        values=_spread(parsed.values, codes, column.index),
        missing=_spread(parsed.missing, codes, column.index),
        bad=_spread(parsed.bad, codes, column.index),
        written=_spread(parsed.written, codes, column.index),
        multiplier=_spread(parsed.multiplier, codes, column.index),
        decimal_comma=parsed.decimal_comma,
        currency=parsed.currency,
    )


def _finite_only(parsed: ParsedNumbers) -> ParsedNumbers:
    """Count ``inf`` and overflowing numbers as not-a-number cells."""
    infinite = ~parsed.values.isna() & ~np.isfinite(parsed.values.to_numpy(dtype="float64"))
    if not infinite.any():
        return parsed
    return replace(
        parsed,
        values=parsed.values.where(~infinite),
        written=parsed.written.where(~infinite),
        bad=parsed.bad | infinite,
    )


def _counts(codes: np.ndarray, size: int) -> np.ndarray:
    """How many cells hold each distinct value (missing cells count for the last one)."""
    return np.bincount(np.where(codes < 0, size - 1, codes), minlength=size)


def _spread(distinct: pd.Series, codes: np.ndarray, index: pd.Index) -> pd.Series:
    """Per-distinct-value results back to one per cell."""
    return pd.Series(distinct.to_numpy()[codes], index=index)


def _parse_distinct(text: pd.Series, counts: np.ndarray) -> ParsedNumbers:
    """Parse stripped distinct cell texts; ``counts`` weighs them for the currency vote."""
    missing = text.str.lower().isin(MISSING_TOKENS)
    quick = pd.to_numeric(text.where(~missing), errors="coerce")
    if bool((quick.notna() | missing).all()):
        ones = pd.Series(1.0, index=text.index)
        none = pd.Series(False, index=text.index)
        quick = quick.astype("float64")
        return ParsedNumbers(quick, missing, none, quick, ones)
    return _parse_messy(text, missing, counts)


def _parse_messy(text: pd.Series, missing: pd.Series, counts: np.ndarray) -> ParsedNumbers:
    """The slow path: currency signs, suffixes, separators and negatives in brackets.

    Each cleaning pass runs only when the column holds its trigger character at all, so a
    column of ``$1,234.56`` pays for two or three passes, not a dozen.
    """
    cells = text.where(~missing, "")
    joined = "\x00".join(cells.tolist())
    currency: str | None = None
    letters = _LETTER.search(joined) is not None
    if letters:
        found = cells.str.extract(_CURRENCY, expand=False).str.replace(_RUPEES, "Rs", regex=True)
        currency = _most_common(found, counts)
        cells = cells.str.replace(_CURRENCY, "", regex=True).str.strip()
    else:
        signs = [sign for sign in _SIGNS if sign in joined]
        if signs:
            currency = max(signs, key=joined.count)
            cells = cells.str.translate(_DROP_SIGNS).str.strip()
    if "/-" in joined:
        cells = cells.str.replace(_NO_PAISE, "", regex=True)
    if letters or "%" in joined:
        cells = cells.str.replace(_UNIT_WORDS, "", regex=True)
    negative_brackets = pd.Series(False, index=cells.index)
    if "(" in joined:
        negative_brackets = cells.str.match(r"^\(.*\)$").astype(bool)
        cells = cells.str.replace(r"^\((.*)\)$", r"\1", regex=True).str.strip()
    multiplier = pd.Series(1.0, index=cells.index)
    if letters:
        suffix = cells.str.extract(_SUFFIX, expand=False).fillna("").str.lower()
        multiplier = suffix.map(_multiplier).astype("float64")
        cells = cells.str.replace(_SUFFIX, "", regex=True)
    if "−" in joined:
        cells = cells.str.replace("−", "-", regex=False)
    if _ANY_GAP.search(joined):
        cells = _drop_gaps(cells)
    cells = cells.where(cells != "-", "")

    comma_is_decimal = "," in joined and _comma_is_decimal(cells, counts)
    if comma_is_decimal:
        dot_groups = cells.str.match(_DOT_THOUSANDS) | ~cells.str.contains(".", regex=False)
        cleaned = cells.where(dot_groups, "x").str.replace(".", "", regex=False)
        cleaned = cleaned.str.replace(",", ".", regex=False)
    else:
        cleaned = _drop_grouping_commas(cells) if "," in joined else cells
        if _TWO_DOTS.search(joined):  # 1.234.567: dots grouping thousands
            many_dots = cleaned.str.count(r"\.") > 1
            dot_groups = many_dots & cells.str.match(_DOT_THOUSANDS)
            cleaned = cleaned.where(~dot_groups, cleaned.str.replace(".", "", regex=False))
    plain = cleaned.str.match(_PLAIN).astype(bool)
    written = pd.to_numeric(cleaned.where(plain & ~missing), errors="coerce").astype("float64")
    written = written.where(~negative_brackets, -written)
    values = written * multiplier
    bad = ~missing & written.isna()
    return ParsedNumbers(
        values=values,
        missing=missing,
        bad=bad,
        written=written,
        multiplier=multiplier,
        decimal_comma=comma_is_decimal,
        currency=currency,
    )


def _comma_grouped(cells: pd.Series) -> pd.Series:
    """Whether each cell's commas group digits the Western or the Indian way."""
    return (cells.str.match(_COMMA_THOUSANDS) | cells.str.match(_COMMA_LAKHS)).astype(bool)


def _comma_is_decimal(cells: pd.Series, counts: np.ndarray) -> bool:
    """Whether more cells can only hold a decimal comma than can only hold grouping commas."""
    grouped = _comma_grouped(cells)
    decimal = cells.str.match(_COMMA_DECIMAL).astype(bool)
    weights = pd.Series(counts, index=cells.index)
    only_decimal = int(weights[decimal & ~grouped].sum())
    return only_decimal > 0 and only_decimal >= int(weights[grouped & ~decimal].sum())


def _drop_grouping_commas(cells: pd.Series) -> pd.Series:
    """Remove grouping commas; a cell whose commas group in no known way (1,2345) is text."""
    has_comma = cells.str.contains(",", regex=False).astype(bool)
    return cells.where(_comma_grouped(cells) | ~has_comma, "x").str.replace(",", "", regex=False)


def _drop_gaps(cells: pd.Series) -> pd.Series:
    """Remove spaces and apostrophes that group thousands; a cell with any other gap is text.

    ``15 000`` and ``1'234'567.50`` are numbers; ``12 345 67`` and ``1997 01 01`` are not.
    """
    cells = cells.str.strip().str.replace(r"^-\s+", "-", regex=True)
    gapped = cells.str.contains(_ANY_GAP).astype(bool)
    grouped = cells.str.match(_GAP_GROUPED).astype(bool)
    return cells.where(~gapped | grouped, "x").str.translate(_DROP_GROUPING)


def _multiplier(suffix: str) -> float:
    """The factor a suffix such as ``k`` or ``mln`` stands for."""
    if not suffix:
        return 1.0
    if suffix in _MULTIPLIERS:
        return _MULTIPLIERS[suffix]
    return 1e6


def _most_common(found: pd.Series, counts: np.ndarray) -> str | None:
    """The value found in most cells, or ``None``."""
    present = found.notna().to_numpy()
    if not present.any():
        return None
    weights = pd.Series(counts[present], index=found[present].to_numpy()).groupby(level=0).sum()
    return str(weights.sort_index().idxmax())
