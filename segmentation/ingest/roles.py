"""Decide what every column of a parsed upload is: id, gender, age, income, score, another
numeric feature, a text attribute, or a column to ignore (and why).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from segmentation.errors import IngestError
from segmentation.ingest.headers import is_thousands_unit, looks_like_id_name, read_header
from segmentation.ingest.levels import read_levels
from segmentation.ingest.meanings import NO_MEANINGS, Meanings
from segmentation.ingest.numbers import ParsedNumbers, parse_numbers
from segmentation.ingest.parsing import cell_text
from segmentation.ingest.table import CANONICAL_FIELDS, ColumnRole, normalise_name
from segmentation.words import N_, Text

#: The canonical numeric fields, in display order.
CANONICAL_NUMERIC: tuple[str, ...] = ("age", "income", "score")
#: A text column with at most this many distinct values is kept as an attribute.
MAX_ATTRIBUTE_LEVELS = 20

#: A column counts as numeric when at least this share of its filled cells are numbers.
MIN_NUMERIC_SHARE = 0.9
#: Largest magnitude an optional numeric column may hold; beyond it sums and spreads overflow
#: (no customer measure comes near it).
MAX_MAGNITUDE = 1e15

#: For age, income and score the bar is lower: their other cells are reported as not numbers.
MIN_CANONICAL_NUMERIC_SHARE = 0.5

# A header ending in one of these words makes a column of a few whole numbers category codes
# (``Region`` 1/2/3), not a measurement.
_CATEGORY_WORDS = frozenset(
    {"channel", "region", "segment", "category", "type", "class", "group", "cluster", "store",
     "branch", "zone", "area", "city", "country", "state", "code", "status", "tier", "level"}
)  # fmt: skip
_DATE = re.compile(
    r"^(?:\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}|\d{1,2}\s+[A-Za-z]{3,9}\.?\s+\d{2,4}"
    r"|[A-Za-z]{3,9}\.?\s+\d{1,2},?\s+\d{2,4})(?:[ T]\d{1,2}:\d{2}(?::\d{2})?.*)?$"
)

_GENDER_WORDS: dict[str, str | None] = {
    **dict.fromkeys(
        ["f", "female", "woman", "women", "w", "girl", "femme", "frau", "mujer", "femenino",
         "feminino", "femmina", "ж", "жен", "женский", "женщина", "fem", "lady", "weiblich",
         "féminin", "feminin", "mulher", "femenina", "feminina", "perempuan", "wanita",
         "donna", "женск", "девушка", "weibl", "frauen", "femmes", "mujeres", "mulheres",
         "женщины", "женская"],
        "Female",
    ),
    **dict.fromkeys(
        ["m", "male", "man", "men", "boy", "homme", "mann", "hombre", "masculino", "maschio",
         "м", "муж", "мужской", "мужчина", "masc", "gentleman", "männlich", "maennlich",
         "masculin", "homem", "laki-laki", "laki laki", "lakilaki", "pria", "uomo",
         "мужск", "парень", "männl", "männer", "hommes", "hombres", "homens", "varón", "мужчины",
         "мужская", "laki", "laki2", "lelaki"],
        "Male",
    ),
    **dict.fromkeys(
        ["other", "o", "x", "nb", "non-binary", "nonbinary", "non binary", "diverse", "divers",
         "d", "otro", "autre", "другое", "genderqueer", "agender", "otra", "outro", "outra",
         "andere", "anderes", "другой", "lainnya", "lain-lain", "non binaire", "no binario",
         "não binário"],
        "Other",
    ),
    **dict.fromkeys(
        ["", "u", "unknown", "unk", "prefer not to say", "n/a", "na", "-", "?", "none", "null",
         "nan", "not specified", "unspecified", "k. a", "k.a", "keine angabe", "unbekannt",
         "не указан", "не указано", "неизвестно", "no especificado", "desconocido",
         "não informado", "desconhecido", "tidak diketahui", "inconnu", "non précisé",
         "non renseigné"],
        None,
    ),
}  # fmt: skip
# One letter per gender, as each language's exports write it. ``m`` is Male and ``f`` Female
# everywhere they occur; ``h`` (homme), ``l``/``lk`` (laki-laki) and ``p``/``pr`` (perempuan)
# are read only in a column whose letters all belong to one of these schemes: ``H``/``M``
# (Spanish hombre/mujer, where M is a woman) is left as written, and reported.
_LETTER_SCHEMES: tuple[dict[str, str], ...] = (
    {"m": "Male", "f": "Female"},
    {"m": "Male", "w": "Female", "d": "Other"},
    {"h": "Male", "f": "Female"},
    {"м": "Male", "ж": "Female"},
    {"l": "Male", "p": "Female", "lk": "Male", "pr": "Female"},
)
_LETTERS = frozenset(letter for scheme in _LETTER_SCHEMES for letter in scheme)
_SCHEME_ONLY = frozenset({"h", "l", "lk", "p", "pr"})


def _gender_key(value: object) -> str:
    """A gender cell compared without regard to case, accents or full stops (``Männl.``)."""
    decomposed = unicodedata.normalize("NFKD", str(value).strip().casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).strip(".")


_GENDERS: dict[str, str | None] = {_gender_key(word): g for word, g in _GENDER_WORDS.items()}
# The English words and letters among them (and the cells that say nothing).
_ENGLISH_GENDERS = frozenset(
    ["f", "female", "woman", "women", "girl", "fem", "lady", "m", "male", "man", "men", "boy",
     "masc", "gentleman", "other", "o", "x", "nb", "non-binary", "nonbinary", "non binary",
     "diverse", "genderqueer", "agender", "", "u", "unknown", "unk", "prefer not to say", "n/a",
     "na", "-", "?", "none", "null", "nan", "not specified", "unspecified"]
)  # fmt: skip


def classify_columns(
    headers: list[str], frame: pd.DataFrame, meanings: Meanings = NO_MEANINGS
) -> list[Column]:
    """One :class:`Column` per header, in file order; each canonical field is taken once.

    A header the manager gave a meaning becomes that field whatever segbot would have
    recognised; the field is then not given to any other column.

    Raises:
        IngestError: Two columns of the file are given one meaning, or a column cannot be
            read as the meaning given to it.
    """
    given = given_fields(headers, meanings)
    columns: list[Column] = []
    taken: set[str] = set(given.values())
    for name in headers:
        field = given.get(name)
        column = (
            classify_column(name, frame[name], taken)
            if field is None
            else classify_as(name, frame[name], field)
        )
        if is_canonical(column):
            taken.add(column.role.field)
        columns.append(column)
    rename_clashes(columns)
    return columns


def given_fields(headers: list[str], meanings: Meanings) -> dict[str, str]:
    """Header -> the field the manager gave it, for the headers of this file that have one.

    Raises:
        IngestError: Two headers of the file are given the same field.
    """
    given: dict[str, str] = {}
    holder: dict[str, str] = {}
    for name in headers:
        field = meanings.field_for(name)
        if field is None:
            continue
        if field in holder:
            raise IngestError(
                N_(
                    "The columns {first} and {second} are both given the meaning {meaning}, and "
                    "a file can have one. Keep that meaning for one of them and try again."
                ),
                first=repr(holder[field]),
                second=repr(name),
                meaning=_word(field),
            )
        holder[field] = name
        given[name] = field
    return given


def classify_as(name: str, raw: pd.Series, field: str) -> Column:
    """Read a column as the field the manager said it is.

    Raises:
        IngestError: The cells cannot be read as that field (too few numbers for age,
            income or score, values that are not genders); the message names the column.
    """
    header = read_header(name)
    if field == "customer_id":
        return Column(ColumnRole(name, "customer_id", "id", by_meaning=True), raw)
    if field == "gender":
        gender = _normalise_gender(raw)
        if gender is None or gender.isna().all():
            raise IngestError(
                N_(
                    "You said {column} is gender, but its values ({examples}) are not genders I "
                    "know (Female/Male, F/M, Woman/Man …). Check the column, or give it another "
                    "meaning, and try again."
                ),
                column=repr(name),
                examples=_examples(raw),
            )
        return Column(ColumnRole(name, "gender", "gender", by_meaning=True), gender)
    parsed = parse_numbers(raw)
    readable = parsed.values.notna().any() and parsed.parsed_share >= MIN_CANONICAL_NUMERIC_SHARE
    if readable:
        column = _numeric_column(name, field, header.unit, header.value_range, parsed)
        column.role = replace(column.role, by_meaning=True)
        return column
    levels_read = read_levels(raw) if field == "score" else None
    if levels_read is not None:
        scores, note = levels_read
        role = ColumnRole(name, "score", "numeric", None, note, by_meaning=True)
        return Column(role, scores.values, scores)
    if not parsed.values.notna().any() and not parsed.bad.any():
        raise IngestError(
            N_(
                "You said {column} is {meaning}, but it has no values. Check the column, or give "
                "it another meaning, and try again."
            ),
            column=repr(name),
            meaning=_word(field),
        )
    raise IngestError(
        N_(
            "You said {column} is {meaning}, but most of its values are not numbers (for example "
            "{examples}). Check the column, or give it another meaning, and try again."
        ),
        column=repr(name),
        meaning=_word(field),
        examples=_examples(raw[parsed.bad]),
    )


def _word(field: str) -> str:
    """A canonical field as the manager names it in a meaning."""
    return "id" if field == "customer_id" else field


def _examples(raw: pd.Series) -> str | Text:
    """Up to three distinct filled cells, quoted and shortened."""
    cells = [str(v).strip() for v in raw.dropna().unique()[:20]]
    shown = [repr(c[:20] + ("…" if len(c) > 20 else "")) for c in cells if c][:3]
    return ", ".join(shown) if shown else Text.of(N_("empty cells"))


@dataclass
class Column:
    """What one file column becomes.

    Attributes:
        role: Its role, as shown in the receipt.
        values: Its cells as they go into the table (float for numbers, text otherwise).
        parsed: How its cells read as numbers, for numeric columns.
        value_range: The range its header states (``(1-100)``), if any.
        unreadable: Age, income or score whose cells are mostly not numbers (nor word
            levels): the upload is refused rather than analysed without it.
    """

    role: ColumnRole
    values: pd.Series
    parsed: ParsedNumbers | None = None
    value_range: tuple[float, float] | None = None
    unreadable: bool = False


def classify_column(name: str, raw: pd.Series, taken: set[str]) -> Column:
    """Decide what a column is from its header and its cells (a taken field is not reused)."""
    header = read_header(name)
    canonical = None if header.field in taken else header.field
    if canonical == "customer_id":
        return Column(ColumnRole(name, "customer_id", "id"), raw)
    present = raw.notna().to_numpy()
    if not present.any():
        return Column(ColumnRole(name, name, "ignored", header.unit, N_("empty")), raw)
    if canonical == "gender":
        gender = _normalise_gender(raw)
        if gender is not None and gender.isna().all():
            return Column(ColumnRole(name, name, "ignored", None, N_("empty")), gender)
        if gender is not None:
            return Column(ColumnRole(name, "gender", "gender"), gender)
    key = canonical in CANONICAL_NUMERIC
    if not pd.api.types.is_numeric_dtype(raw.dtype) and _looks_like_dates(
        raw.iloc[np.flatnonzero(present)[:200]]
    ):
        if key:
            return _unreadable(name, raw, parse_numbers(raw))
        return Column(ColumnRole(name, name, "ignored", None, N_("dates")), raw.astype(object))
    # A gender column coded with numbers (0/1, 1/2) is a category, not a measurement.
    parsed = None if header.field == "gender" else parse_numbers(raw)
    needed = MIN_CANONICAL_NUMERIC_SHARE if key else MIN_NUMERIC_SHARE
    if parsed is not None and parsed.parsed_share >= needed:
        return _numeric_column(name, canonical, header.unit, header.value_range, parsed)
    levels_read = read_levels(raw) if canonical == "score" else None
    if levels_read is not None:
        # Low/Average/High: the score on the 0–100 scale of :mod:`segmentation.ingest.levels`, not
        # on any range the header states.
        scores, note = levels_read
        return Column(ColumnRole(name, "score", "numeric", None, note), scores.values, scores)
    text = _text_cells(raw)
    levels = text.nunique(dropna=True)
    if levels == 0:
        return Column(ColumnRole(name, name, "ignored", header.unit, N_("empty")), text)
    filled = int(present.sum())
    few = levels <= MAX_ATTRIBUTE_LEVELS and (levels < filled or filled < 3)
    if key and parsed is not None and not (few and _words_only(text)):
        # Numbers written in a form not read (1,2345; 12 345 67) must not vanish from the
        # analysis under another reason; a few words (Bronze/Gold) stay an attribute.
        return _unreadable(name, text, parsed)
    if few:
        return Column(ColumnRole(name, name, "attribute"), text)
    return Column(ColumnRole(name, name, "ignored", None, N_("too many distinct values")), text)


def _unreadable(name: str, values: pd.Series, parsed: ParsedNumbers) -> Column:
    """Age, income or score that cannot be read as numbers; loading refuses the file."""
    role = ColumnRole(name, name, "ignored", None, N_("not numbers"))
    return Column(role, values.astype(object), parsed, unreadable=True)


def _words_only(text: pd.Series) -> bool:
    """Whether no filled cell holds a digit (levels such as Bronze/Silver/Gold)."""
    distinct = pd.Series(text.dropna().unique(), dtype=object).astype(str)
    return not bool(distinct.str.contains(r"\d").any())


def _text_cells(raw: pd.Series) -> pd.Series:
    """Cells as stripped text (``None`` when empty), cleaned once per distinct value."""
    codes, uniques = pd.factorize(raw.astype(object), use_na_sentinel=True)
    cleaned = [cell_text(v) if not isinstance(v, str) else v.strip() for v in uniques]
    lookup = np.array([*(c or None for c in cleaned), None], dtype=object)
    return pd.Series(lookup[codes], index=raw.index, dtype=object, copy=False)


def _numeric_column(
    name: str,
    canonical: str | None,
    unit: str | None,
    value_range: tuple[float, float] | None,
    parsed: ParsedNumbers,
) -> Column:
    """A numeric column: canonical field, candidate feature, or a column not to cluster on."""
    if parsed.values.isna().all():
        # Blank cells only (spaces, "NA"): nothing to use, and no reason to drop rows for it.
        return Column(ColumnRole(name, name, "ignored", unit, N_("empty")), parsed.values)
    if canonical == "income":
        values, unit = _income_values(parsed, unit)
        column = Column(ColumnRole(name, "income", "numeric", unit), values, parsed)
    elif canonical in ("age", "score"):
        column = Column(ColumnRole(name, canonical, "numeric", unit), parsed.values, parsed)
    else:
        column = Column(ColumnRole(name, name, "numeric", unit), parsed.values, parsed)
        present = parsed.values.dropna()
        huge = ~np.isfinite(present.to_numpy(dtype="float64")) | (present.abs() > MAX_MAGNITUDE)
        if huge.any():
            # 1e308 and the like overflow every statistic; an optional column is left out.
            return Column(
                ColumnRole(name, name, "ignored", unit, N_("numbers too large to use")),
                parsed.values,
            )
        if present.nunique() <= 1:
            column.role = ColumnRole(name, name, "numeric", unit, N_("constant"))
        elif _looks_like_id(name, present):
            column.role = ColumnRole(name, name, "numeric", unit, N_("looks like an id"))
        elif _looks_like_codes(name, present):
            column.role = ColumnRole(name, name, "attribute", None, N_("category codes"))
            column.values = _text_cells(column.values)
    column.value_range = value_range
    return column


def _looks_like_codes(name: str, values: pd.Series) -> bool:
    """Whether numbers are codes for categories (``Region`` 1/2/3), named so and few."""
    words = re.findall(r"[a-z]+", re.sub(r"([a-z])([A-Z])", r"\1 \2", name).lower())
    if not words or words[-1] not in _CATEGORY_WORDS or values.nunique() > MAX_ATTRIBUTE_LEVELS:
        return False
    return bool(np.all(np.mod(values.to_numpy(dtype="float64"), 1) == 0))


def _income_values(parsed: ParsedNumbers, unit: str | None) -> tuple[pd.Series, str | None]:
    """Income in thousands when the file means thousands, else as written.

    The rule, for a manager's eye (``15`` k$ is the classic mall unit):

    - Under a thousands header (``k$``, ``'000``, ``thousands``) plain numbers are thousands,
      unless they are plainly written in full (median of 1,000 or more: ``$15,000`` under
      ``(k$)``), and then they are divided by 1,000.
    - ``$15k`` / ``1.2M`` are full amounts (15,000 / 1,200,000).
    - The column ends up in thousands when its header says so, when most cells carry a ``k``
      suffix, or when cells are written as money (``$15,000``, ``15 000 €``) with a median of
      1,000 or more. Plain numbers under a plain header (``Income``: ``58138``) stay as written.
    """
    header_thousands = is_thousands_unit(unit)
    bare = parsed.multiplier == 1
    factor = (
        1000.0 if header_thousands and not _median_at_least(parsed.written[bare], 1000) else 1.0
    )
    amounts = parsed.values.where(~bare, parsed.written * factor)
    money_in_full = parsed.currency is not None and _median_at_least(amounts, 1000)
    if header_thousands or parsed.suffix_share >= 0.5 or money_in_full:
        money = parsed.currency or (unit if unit and not header_thousands else "")
        shown = unit if header_thousands else f"k{money}"
        return amounts / 1000.0, shown
    return amounts, unit or parsed.currency


def _median_at_least(values: pd.Series, bound: float) -> bool:
    """Whether the median of the present values is ``bound`` or more (``False`` when none)."""
    numbers = values.to_numpy(dtype="float64", na_value=np.nan)
    numbers = numbers[~np.isnan(numbers)]
    return bool(len(numbers)) and float(np.median(numbers)) >= bound


def _looks_like_id(name: str, values: pd.Series) -> bool:
    """Whether a numeric column is an identifier: distinct whole numbers, named or counted so."""
    if len(values) < 3 or values.nunique() != len(values):
        return False
    whole = values.to_numpy(dtype="float64")
    if not np.all(np.mod(whole, 1) == 0):
        return False
    if looks_like_id_name(name):
        return True
    steps = np.diff(whole)
    return bool(np.all(steps == 1))


def is_canonical(column: Column) -> bool:
    """Whether a column became one of the canonical fields."""
    role = column.role
    if role.field == "customer_id":
        return role.kind == "id"
    if role.field == "gender":
        return role.kind == "gender"
    return role.field in CANONICAL_NUMERIC and role.kind == "numeric" and column.parsed is not None


def is_feature(column: Column) -> bool:
    """Whether a numeric column may be clustered on (not constant, not an id)."""
    return column.role.kind == "numeric" and (column.role.note == "" or is_canonical(column))


def rename_clashes(columns: list[Column]) -> None:
    """Give other columns whose header reads like a canonical field a name of their own."""
    reserved = {normalise_name(name) for name in CANONICAL_FIELDS}
    for position, column in enumerate(columns, start=1):
        role = column.role
        if not is_canonical(column) and normalise_name(role.field) in reserved:
            field = f"{role.source} (column {position})"
            column.role = replace(role, field=field)


def _normalise_gender(raw: pd.Series) -> pd.Series | None:
    """Female/Male/Other (or missing) per cell, or ``None`` if these are not gender values."""
    codes, uniques = pd.factorize(raw.astype(object), use_na_sentinel=True)
    keys = [_gender_key(value) for value in uniques]
    letters = _letter_scheme({key for key in keys if key in _LETTERS})
    if letters is None:
        return None
    mapped: list[str | None] = []
    known = 0
    for key in keys:
        if key in letters or key in _GENDERS:
            known += 1
            mapped.append(letters[key] if key in letters else _GENDERS[key])
        else:
            mapped.append("Other")
    if len(uniques) and known < max(1, len(uniques) // 2):
        return None
    lookup = np.array([*mapped, None], dtype=object)
    return pd.Series(lookup[codes], index=raw.index, dtype=object, copy=False)


def foreign_genders(raw: pd.Series) -> pd.Series | None:
    """Female/Male/Other per cell of a gender column written in another language
    (``männlich``/``weiblich``, ``М``/``Ж``, ``L``/``P``), or ``None`` when it is not one."""
    keys = {_gender_key(value) for value in raw.dropna().unique()}
    if not any(k not in _ENGLISH_GENDERS and (k in _GENDERS or k in _LETTERS) for k in keys):
        return None
    return _normalise_gender(raw)


def _letter_scheme(letters: set[str]) -> dict[str, str] | None:
    """How a column's one-letter genders read: ``{}`` when only the letters read the same in
    every scheme occur (``m``, ``f``, ``w`` …), the one scheme holding them all, or ``None``
    when ``h``, ``l`` or ``p`` occur with letters of another scheme."""
    if not letters & _SCHEME_ONLY:
        return {}
    return next((scheme for scheme in _LETTER_SCHEMES if letters <= scheme.keys()), None)


def _looks_like_dates(filled: pd.Series) -> bool:
    """Whether most of the first (up to 200) filled cells look like dates."""
    sample = filled.head(200).astype(str).str.strip()
    return bool(sample.str.match(_DATE).mean() >= 0.8)
