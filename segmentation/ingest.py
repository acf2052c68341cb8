"""Read the customer file a manager sends into a validated :class:`CustomerTable`.

Accepted: CSV text in UTF-8 (with or without BOM), UTF-16 (Excel "Unicode text"),
Windows-1252/Latin-1 (or Windows-1251), separated by ``,`` ``;`` tab or ``|``, with or without
quotes, CRLF or LF, blank lines anywhere; and ``.xlsx`` workbooks (first sheet). Columns are
recognised by meaning (see :mod:`segmentation.columns`), numbers in the forms described in
:mod:`segmentation.numbers`.

Rows are left out (and counted in the receipt) when the id is missing or repeated, or when
age, income or score is missing, not a number, or impossible: age outside 0–120, negative
income, a score outside the range its header states (``(1-100)``) or, with no stated range,
outside 0–100 when nearly all scores lie there.

Income is shown in thousands whenever that is how it was meant: when the header says so
(``k$``, ``'000``, ``thousands``), when most cells carry a ``k`` suffix (``$15k``), or when the
amounts are written in full (median of 1,000 or more: ``$15,000`` and ``15 000 €`` both become
15 k). Under a thousands header, cells written in full (``$15,000`` under ``(k$)``) are
recognised by their size and not multiplied again.
"""

from __future__ import annotations

import io
import logging
import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from segmentation.columns import is_thousands_unit, looks_like_id_name, read_header
from segmentation.decode import (
    binary_refusal,
    decode_text,
    detect_delimiter,
    is_xlsx,
    text_refusal,
)
from segmentation.numbers import ParsedNumbers, parse_numbers
from segmentation.table import (
    CANONICAL_FIELDS,
    DEFAULT_LIMITS,
    ColumnRole,
    CustomerTable,
    IngestLimits,
    Receipt,
    SkippedRows,
    normalise_id,
    normalise_name,
)

logger = logging.getLogger(__name__)


class IngestError(Exception):
    """The upload cannot be read as a customer table; ``str(e)`` tells the manager why."""


#: A text column with at most this many distinct values is kept as an attribute.
MAX_ATTRIBUTE_LEVELS = 20
#: A column counts as numeric when at least this share of its filled cells are numbers.
MIN_NUMERIC_SHARE = 0.9
#: For age, income and score the bar is lower: their other cells are reported as not numbers.
MIN_CANONICAL_NUMERIC_SHARE = 0.5
_EXAMPLES = 5
_SAMPLE_LINES = 50
_CANONICAL_NUMERIC = ("age", "income", "score")
_AGE_RANGE = (0.0, 120.0)
_DATE = re.compile(
    r"^(?:\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}|\d{1,2}\s+[A-Za-z]{3,9}\.?\s+\d{2,4}"
    r"|[A-Za-z]{3,9}\.?\s+\d{1,2},?\s+\d{2,4})(?:[ T]\d{1,2}:\d{2}(?::\d{2})?.*)?$"
)
_GENDER_WORDS: dict[str, str | None] = {
    **dict.fromkeys(
        ["f", "female", "woman", "women", "w", "girl", "femme", "frau", "mujer", "femenino",
         "feminino", "femmina", "ж", "жен", "женский", "женщина", "fem", "lady"],
        "Female",
    ),
    **dict.fromkeys(
        ["m", "male", "man", "men", "boy", "homme", "mann", "hombre", "masculino", "maschio",
         "м", "муж", "мужской", "мужчина", "masc", "gentleman"],
        "Male",
    ),
    **dict.fromkeys(
        ["other", "o", "x", "nb", "non-binary", "nonbinary", "non binary", "diverse", "divers",
         "d", "otro", "autre", "другое", "genderqueer", "agender"],
        "Other",
    ),
    **dict.fromkeys(
        ["", "u", "unknown", "unk", "prefer not to say", "n/a", "na", "-", "?", "none", "null",
         "nan", "not specified", "unspecified"],
        None,
    ),
}  # fmt: skip


def load_customers(
    data: bytes, filename: str = "upload.csv", *, limits: IngestLimits = DEFAULT_LIMITS
) -> CustomerTable:
    """Read an uploaded customer file into a validated table with a receipt.

    Args:
        data: The file's bytes, as uploaded.
        filename: The file's name, used in messages and the receipt.
        limits: Size, row and minimum-customer limits.

    Returns:
        The customers ready to segment, with a receipt of what was read and left out.

    Raises:
        IngestError: The file cannot be used; the message says why and what to do.
    """
    try:
        return _load(data, filename, limits)
    except IngestError:
        raise
    except MemoryError as exc:
        raise IngestError(
            "The file is too large to read in memory. Send a smaller export."
        ) from exc
    except Exception as exc:  # the safety net: a manager gets a sentence, never a traceback
        logger.exception("unexpected failure while reading an upload of %d bytes", len(data))
        raise IngestError(
            "This file could not be read as a customer table. Save it as CSV (UTF-8, "
            "comma-separated, one header row) and send it again."
        ) from exc


@dataclass
class _Frame:
    """A parsed table before validation: text or numbers per column, and each row's line."""

    frame: pd.DataFrame
    headers: list[str]
    lines: np.ndarray
    encoding: str
    delimiter: str
    notes: dict[str, str] = field(default_factory=dict)


def _load(data: bytes, filename: str, limits: IngestLimits) -> CustomerTable:
    """Check, parse and validate an upload."""
    if len(data) > limits.max_bytes:
        raise IngestError(
            f"The file is {_megabytes(len(data))}, more than the {_megabytes(limits.max_bytes)} "
            "limit. Send a smaller export (fewer columns or rows), or split it in parts."
        )
    if not data.strip():
        raise IngestError(
            "The file is empty. Export the customer list again (one header row, then one "
            "customer per line) and send it."
        )
    if is_xlsx(data):
        parsed = _read_xlsx(data, limits)
    else:
        refusal = binary_refusal(data, filename)
        if refusal is not None:
            raise IngestError(refusal)
        parsed = _read_csv(data, limits)
    return _build_table(parsed, filename, len(data), limits)


def _megabytes(size: int) -> str:
    """A size in MB for messages."""
    return f"{size / (1024 * 1024):.1f} MB"


def _read_csv(data: bytes, limits: IngestLimits) -> _Frame:
    """Decode and parse CSV bytes."""
    text, encoding = decode_text(data)
    refusal = text_refusal(text)
    if refusal is not None:
        raise IngestError(refusal)
    start, offset = _first_content_line(text)
    if start < 0:
        raise IngestError("The file has no text in it. Export the customer list again and send it.")
    body = text[start:]
    sample = [line for line in body[:200_000].splitlines()[: _SAMPLE_LINES * 4] if line.strip()]
    delimiter = detect_delimiter(sample[:_SAMPLE_LINES])
    raw = body.encode("utf-8") if encoding != "utf-8" or start else data
    nrows = limits.max_rows + 1
    headers: list[str] = []
    try:
        headers = _unique_headers(_header_fields(raw, delimiter))
        _check_header_is_not_data(headers, delimiter)
        frame = _parse_rows(raw, delimiter, headers, nrows, offset)
        id_column = next((h for h in headers if read_header(h).field == "customer_id"), None)
        if id_column is not None and pd.api.types.is_float_dtype(frame[id_column].dtype):
            # Read as numbers, ids such as 1.10 and 1.1 would merge: read them again as text.
            frame[id_column] = _parse(raw, delimiter, headers, nrows, id_column)[id_column]
    except pd.errors.ParserError as exc:
        raise IngestError(_parser_message(str(exc), offset, len(headers))) from exc
    except (ValueError, UnicodeError, OverflowError) as exc:
        raise IngestError(
            "The rows could not be split into columns. Check that every line uses the same "
            "separator and that quotes are balanced, then send the file again."
        ) from exc
    blank = frame.isna().all(axis=1).to_numpy()
    lines = np.arange(len(frame)) + 2 + offset
    frame = frame.loc[~blank]
    lines = lines[~blank]
    frame.index = pd.RangeIndex(len(frame))
    return _Frame(frame, headers, lines, encoding, delimiter)


def _header_fields(raw: bytes, delimiter: str) -> list[str]:
    """The first line's cells, split by the same parser that reads the rows."""
    head = pd.read_csv(
        io.BytesIO(raw),
        sep=delimiter,
        header=None,
        nrows=1,
        dtype=str,
        keep_default_na=False,
        skipinitialspace=True,
        engine="c",
        encoding="utf-8",
        encoding_errors="replace",
    )
    return [str(value) for value in head.iloc[0].tolist()] if len(head) else []


def _parse_rows(
    raw: bytes, delimiter: str, headers: list[str], nrows: int, offset: int
) -> pd.DataFrame:
    """Parse the rows; a first row wider than the header may only add empty cells.

    pandas would silently turn a first row with more cells than the header into an index, so
    the width of the first row is checked first: exports that end every row with a separator
    are read, anything else is a ragged file.
    """
    try:
        probe = pd.read_csv(
            io.BytesIO(raw),
            sep=delimiter,
            header=None,
            skiprows=1,
            nrows=1,
            dtype=str,
            engine="c",
            encoding="utf-8",
            encoding_errors="replace",
        )
    except pd.errors.EmptyDataError:
        probe = pd.DataFrame()
    width = probe.shape[1] if len(probe) else len(headers)
    extra = [f"\x00extra {n}" for n in range(max(0, width - len(headers)))]
    frame = _parse(raw, delimiter, headers + extra, nrows)
    if not extra:
        return frame
    filled = frame[extra].notna().any(axis=1).to_numpy()
    if filled.any():
        line = int(np.argmax(filled)) + 2 + offset
        raise IngestError(
            f"Line {line} has more values than the header has columns ({len(headers)}). "
            "Add the missing column names to the header, or put values that contain the "
            "separator in quotes, and send the file again."
        )
    return frame.drop(columns=extra)


def _parse(
    raw: bytes, delimiter: str, headers: list[str], nrows: int, only: str | None = None
) -> pd.DataFrame:
    """Run pandas' C parser; blank lines stay as empty rows so row numbers map to lines."""
    return pd.read_csv(
        io.BytesIO(raw),
        sep=delimiter,
        header=0,
        names=headers,
        usecols=None if only is None else [only],
        dtype=None if only is None else {only: str},
        skip_blank_lines=False,
        skipinitialspace=True,
        nrows=nrows,
        engine="c",
        low_memory=False,
        encoding="utf-8",
        encoding_errors="replace",
    )


def _first_content_line(text: str) -> tuple[int, int]:
    """The offset of the first non-blank line and how many blank lines precede it."""
    position, skipped = 0, 0
    while position < len(text):
        end = text.find("\n", position)
        end = len(text) if end < 0 else end
        if text[position:end].strip():
            return position, skipped
        position, skipped = end + 1, skipped + 1
    return -1, skipped


def _unique_headers(raw: list[str]) -> list[str]:
    """Stripped headers, with blanks named by position and repeats numbered."""
    headers: list[str] = []
    seen: set[str] = set()
    for index, name in enumerate(raw, start=1):
        base = name.strip().strip('"').strip() or f"column {index}"
        candidate, n = base, 2
        while candidate.casefold() in seen:
            candidate, n = f"{base} ({n})", n + 1
        seen.add(candidate.casefold())
        headers.append(candidate)
    return headers


def _check_header_is_not_data(headers: list[str], delimiter: str) -> None:
    """Refuse a file whose first line is a customer row rather than column names."""
    if len(headers) < 2:
        return
    numeric = sum(1 for h in headers if re.fullmatch(r"-?[\d.,]+", h) is not None)
    if numeric * 2 >= len(headers):
        shown = "" if delimiter == "," else f" (separated by {_delimiter_name(delimiter)})"
        raise IngestError(
            "The first line looks like customer data, not column names. Add a header row"
            f"{shown} such as CustomerID,Gender,Age,Annual Income (k$),Spending Score (1-100) "
            "and send the file again."
        )


def _delimiter_name(delimiter: str) -> str:
    """How to name a delimiter in a message."""
    return {",": "commas", ";": "semicolons", "\t": "tabs", "|": "pipes"}.get(delimiter, "commas")


def _parser_message(detail: str, offset: int, columns: int) -> str:
    """Turn a pandas parser error into a message that names the line."""
    found = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", detail)
    if found:
        line = int(found.group(2)) + offset
        return (
            f"Line {line} has {found.group(3)} values but the header has {found.group(1)} "
            "columns. A value probably contains the separator: put such values in quotes "
            "(or remove the extra separator) and send the file again."
        )
    if "EOF inside string" in detail or "EOF following" in detail:
        found = re.search(r"row (\d+)", detail)
        where = f" near line {int(found.group(1)) + 1 + offset}" if found else ""
        return (
            f'A quote (") opened{where} is never closed. Remove the stray quote or close it, '
            "then send the file again."
        )
    return (
        f"The rows could not be split into {columns} columns. Check that every line uses the "
        "same separator and that quotes are balanced, then send the file again."
    )


def _read_xlsx(data: bytes, limits: IngestLimits) -> _Frame:
    """Read the first sheet of an .xlsx workbook as text cells."""
    try:
        frame = pd.read_excel(
            io.BytesIO(data), sheet_name=0, header=None, dtype=object, engine="openpyxl"
        )
    except Exception as exc:
        raise IngestError(
            "This Excel workbook could not be opened. In Excel choose File › Save As › "
            "CSV UTF-8 and send that file."
        ) from exc
    frame = frame.dropna(how="all").dropna(axis=1, how="all")
    if frame.empty:
        raise IngestError("The workbook's first sheet is empty. Put the customer list there.")
    headers = _unique_headers([_cell_text(v) for v in frame.iloc[0].tolist()])
    _check_header_is_not_data(headers, ",")
    body = frame.iloc[1 : limits.max_rows + 2]
    lines = body.index.to_numpy() + 1
    text = body.map(_cell_text)
    text.columns = headers
    text = text.replace("", np.nan)
    text.index = pd.RangeIndex(len(text))
    return _Frame(text, headers, lines, "xlsx", ",")


def _cell_text(value: object) -> str:
    """A workbook cell as the text a CSV export would hold."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, pd.Timestamp):
        return value.isoformat()
    return str(value).strip()


@dataclass
class _Column:
    """What one file column becomes."""

    role: ColumnRole
    values: pd.Series
    parsed: ParsedNumbers | None = None
    value_range: tuple[float, float] | None = None


class _Skips:
    """Collects rows to leave out, each counted under the first reason it meets."""

    def __init__(self, lines: np.ndarray) -> None:
        self.lines = lines
        self.dropped = np.zeros(len(lines), dtype=bool)
        self.records: list[SkippedRows] = []

    def add(self, mask: np.ndarray, reason: str, column: str, detail: str) -> None:
        """Leave out the rows in ``mask`` not already left out."""
        new = mask & ~self.dropped
        count = int(new.sum())
        if count:
            examples = tuple(int(x) for x in self.lines[new][:_EXAMPLES])
            self.records.append(SkippedRows(reason, column, count, examples, detail))
            self.dropped |= new


def _build_table(parsed: _Frame, filename: str, size: int, limits: IngestLimits) -> CustomerTable:
    """Give every column a role, leave out unusable rows and assemble the table."""
    frame = parsed.frame
    if len(frame) == 0:
        raise IngestError(
            f"The file has a header row ({', '.join(parsed.headers[:6])}) but no customer rows. "
            "Export the list again with the customers in it."
        )
    if len(frame) > limits.max_rows:
        raise IngestError(
            f"The file has more than {limits.max_rows:,} customer rows, the most that can be "
            "segmented at once. Split it (for example by store or region) and send the parts."
        )
    columns: list[_Column] = []
    taken: set[str] = set()
    for name in parsed.headers:
        column = _classify(name, frame[name], taken)
        if _is_canonical(column):
            taken.add(column.role.field)
        columns.append(column)
    _rename_clashes(columns)

    skips = _Skips(parsed.lines)
    ids, ids_generated = _customer_ids(columns, len(frame), skips)
    for name in _CANONICAL_NUMERIC:
        found = next((c for c in columns if c.role.field == name and _is_canonical(c)), None)
        if found is not None:
            _check_range(found, skips)
    if ids_generated:
        duplicated = np.zeros(len(frame), dtype=bool)
    else:
        candidates = pd.Series(ids).where(~skips.dropped)
        duplicated = candidates.duplicated(keep="first").to_numpy() & ~skips.dropped
    skips.add(duplicated, "duplicate_id", "customer_id", "repeated id")

    keep = ~skips.dropped
    table_columns: dict[str, pd.Series] = {}
    order = sorted(
        (c for c in columns if c.role.kind != "id"),
        key=lambda c: (
            (["gender", *_CANONICAL_NUMERIC].index(c.role.field), 0)
            if c.role.field in ("gender", *_CANONICAL_NUMERIC)
            else (9, columns.index(c))
        ),
    )
    for column in order:
        table_columns[column.role.field] = column.values[keep].reset_index(drop=True)
    index = pd.Index(ids[keep], name="customer_id", dtype=object)
    customers = pd.DataFrame(table_columns)
    customers.index = index

    if not any(c.role.kind == "numeric" and c.role.note == "" for c in columns):
        raise IngestError(_no_numeric_message(columns))
    used = int(keep.sum())
    if used < limits.min_customers:
        raise IngestError(_too_few_message(used, len(frame), skips.records, limits))
    numeric = tuple(
        c.role.field
        for c in order
        if c.role.kind == "numeric" and c.role.note == "" and customers[c.role.field].notna().any()
    )
    if not numeric:
        raise IngestError(_no_numeric_message(columns))
    attributes = tuple(c.role.field for c in order if c.role.kind in ("gender", "attribute"))

    roles = tuple(c.role for c in columns)
    receipt = Receipt(
        filename=filename,
        size_bytes=size,
        encoding=parsed.encoding,
        delimiter=parsed.delimiter,
        rows_read=len(frame),
        rows_used=used,
        columns=roles,
        skipped=tuple(skips.records),
        ids_generated=ids_generated,
        decimal_comma=any(c.parsed is not None and c.parsed.decimal_comma for c in columns),
    )
    labels = {c.role.field: c.role.source for c in columns if c.role.kind != "id"}
    units = {c.role.field: c.role.unit for c in columns if c.role.unit and c.role.kind != "id"}
    logger.info(
        "read %d rows, used %d, %d columns (%d numeric)", len(frame), used, len(roles), len(numeric)
    )
    return CustomerTable(
        customers=customers,
        receipt=receipt,
        numeric=numeric,
        attributes=attributes,
        labels=labels,
        units=units,
    )


def _classify(name: str, raw: pd.Series, taken: set[str]) -> _Column:
    """Decide what a column is from its header and its cells (a taken field is not reused)."""
    header = read_header(name)
    canonical = None if header.field in taken else header.field
    if canonical == "customer_id":
        return _Column(ColumnRole(name, "customer_id", "id"), raw)
    filled = raw.dropna()
    if filled.empty:
        return _Column(ColumnRole(name, name, "ignored", header.unit, "empty"), raw)
    if canonical == "gender":
        gender = _normalise_gender(raw)
        if gender is not None:
            return _Column(ColumnRole(name, "gender", "gender"), gender)
    if not pd.api.types.is_numeric_dtype(raw.dtype) and _looks_like_dates(filled):
        return _Column(ColumnRole(name, name, "ignored", None, "dates"), raw.astype(object))
    # A gender column coded with numbers (0/1, 1/2) is a category, not a measurement.
    parsed = None if header.field == "gender" else parse_numbers(raw)
    needed = MIN_CANONICAL_NUMERIC_SHARE if canonical in _CANONICAL_NUMERIC else MIN_NUMERIC_SHARE
    if parsed is not None and parsed.parsed_share >= needed:
        return _numeric_column(name, canonical, header.unit, header.value_range, parsed)
    text = _text_cells(raw)
    levels = text.nunique(dropna=True)
    if levels <= MAX_ATTRIBUTE_LEVELS and (levels < len(filled) or len(filled) < 3):
        return _Column(ColumnRole(name, name, "attribute"), text)
    return _Column(ColumnRole(name, name, "ignored", None, "too many distinct values"), text)


def _text_cells(raw: pd.Series) -> pd.Series:
    """Cells as stripped text (``None`` when empty), cleaned once per distinct value."""
    codes, uniques = pd.factorize(raw.astype(object), use_na_sentinel=True)
    cleaned = [_cell_text(v) if not isinstance(v, str) else v.strip() for v in uniques]
    lookup = np.array([*(c or None for c in cleaned), None], dtype=object)
    return pd.Series(lookup[codes], index=raw.index, dtype=object)


def _numeric_column(
    name: str,
    canonical: str | None,
    unit: str | None,
    value_range: tuple[float, float] | None,
    parsed: ParsedNumbers,
) -> _Column:
    """A numeric column: canonical field, candidate feature, or a column not to cluster on."""
    if canonical == "income":
        values, unit = _income_values(parsed, unit)
        column = _Column(ColumnRole(name, "income", "numeric", unit), values, parsed)
    elif canonical in ("age", "score"):
        column = _Column(ColumnRole(name, canonical, "numeric", unit), parsed.values, parsed)
    else:
        column = _Column(ColumnRole(name, name, "numeric", unit), parsed.values, parsed)
        present = parsed.values.dropna()
        if present.nunique() <= 1:
            column.role = ColumnRole(name, name, "numeric", unit, "constant")
        elif _looks_like_id(name, present):
            column.role = ColumnRole(name, name, "numeric", unit, "looks like an id")
    column.value_range = value_range
    return column


def _income_values(parsed: ParsedNumbers, unit: str | None) -> tuple[pd.Series, str | None]:
    """Income in the unit it was meant in; thousands when the file means thousands.

    The rule: bare numbers under a thousands header (``k$``) are thousands, unless they are
    clearly written in full (median of 1,000 or more). Cells with a ``k``/``M`` suffix are full
    amounts. The result is in thousands when the header says thousands, when most cells carry
    a suffix, or when the full amounts have a median of 1,000 or more; otherwise as written.
    """
    header_thousands = is_thousands_unit(unit)
    bare = parsed.multiplier == 1
    bare_written = parsed.written[bare].dropna()
    bare_in_full = not bare_written.empty and float(bare_written.median()) >= 1000
    factor = 1000.0 if header_thousands and not bare_in_full else 1.0
    amounts = parsed.values.where(~bare, parsed.written * factor)
    present = amounts.dropna()
    in_full = not present.empty and float(present.median()) >= 1000
    if header_thousands or parsed.suffix_share >= 0.5 or in_full:
        money = parsed.currency or (unit if unit and not header_thousands else "")
        shown = unit if header_thousands else f"k{money}"
        return amounts / 1000.0, shown
    return amounts, unit or parsed.currency


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


def _is_canonical(column: _Column) -> bool:
    """Whether a column became one of the canonical fields."""
    role = column.role
    if role.field == "customer_id":
        return role.kind == "id"
    if role.field == "gender":
        return role.kind == "gender"
    return role.field in _CANONICAL_NUMERIC and role.kind == "numeric" and column.parsed is not None


def _rename_clashes(columns: list[_Column]) -> None:
    """Give other columns whose header reads like a canonical field a name of their own."""
    reserved = {normalise_name(name) for name in CANONICAL_FIELDS}
    for position, column in enumerate(columns, start=1):
        role = column.role
        if not _is_canonical(column) and normalise_name(role.field) in reserved:
            field = f"{role.source} (column {position})"
            column.role = ColumnRole(role.source, field, role.kind, role.unit, role.note)


def _normalise_gender(raw: pd.Series) -> pd.Series | None:
    """Female/Male/Other (or missing) per cell, or ``None`` if these are not gender values."""
    codes, uniques = pd.factorize(raw.astype(object), use_na_sentinel=True)
    mapped: list[str | None] = []
    known = 0
    for value in uniques:
        key = str(value).strip().casefold().strip(".")
        if key in _GENDER_WORDS:
            known += 1
            mapped.append(_GENDER_WORDS[key])
        else:
            mapped.append("Other")
    if len(uniques) and known < max(1, len(uniques) // 2):
        return None
    lookup = np.array([*mapped, None], dtype=object)
    return pd.Series(lookup[codes], index=raw.index, dtype=object)


def _looks_like_dates(filled: pd.Series) -> bool:
    """Whether most of the first cells look like dates."""
    sample = filled.head(200).astype(str).str.strip()
    return bool(sample.str.match(_DATE).mean() >= 0.8)


def _customer_ids(columns: list[_Column], rows: int, skips: _Skips) -> tuple[np.ndarray, bool]:
    """Normalised ids (row numbers when there is no id column); missing ids are left out."""
    column = next((c for c in columns if c.role.kind == "id"), None)
    if column is None:
        return np.array([str(i) for i in range(1, rows + 1)], dtype=object), True
    raw = column.values
    if pd.api.types.is_integer_dtype(raw.dtype):
        # The parser already dropped leading zeros, exactly as normalise_id does.
        return np.array([str(v) for v in raw.tolist()], dtype=object), False
    cells = raw.astype(object).where(raw.notna(), "").tolist()
    ids = np.array([normalise_id(v) for v in cells], dtype=object)
    skips.add(ids == "", "missing", "customer_id", "no id")
    return ids, False


def _check_range(column: _Column, skips: _Skips) -> None:
    """Leave out rows whose age, income or score is missing, not a number or impossible."""
    parsed = column.parsed
    assert parsed is not None
    name = column.role.field
    values = column.values
    skips.add(parsed.missing.to_numpy(), "missing", name, "empty")
    skips.add(parsed.bad.to_numpy(), "unparseable", name, "not a number")
    low, high, detail = _allowed_range(name, values, column.value_range)
    array = values.to_numpy(dtype="float64")
    with np.errstate(invalid="ignore"):
        outside = ~np.isfinite(array) | (array < low) | (array > high)
    outside &= ~values.isna().to_numpy() | ~np.isfinite(array)
    outside &= ~(parsed.missing.to_numpy() | parsed.bad.to_numpy())
    skips.add(outside, "out_of_range", name, detail)


def _allowed_range(
    name: str, values: pd.Series, stated: tuple[float, float] | None
) -> tuple[float, float, str]:
    """The allowed values of a canonical field, and how to describe them."""
    if name == "age":
        return (*_AGE_RANGE, "0–120")
    if name == "income":
        return (0.0, np.inf, "0 or more")
    if stated is not None:
        low, high = sorted(stated)
        return (low, high, f"{_number(low)}–{_number(high)}")
    present = values.dropna()
    if not present.empty and float(present.between(0, 100).mean()) >= 0.9:
        return (0.0, 100.0, "0–100")
    return (-np.inf, np.inf, "a number")


def _number(value: float) -> str:
    """A range bound without a needless ``.0``."""
    return str(int(value)) if float(value).is_integer() else str(value)


def _no_numeric_message(columns: list[_Column]) -> str:
    """Why nothing can be clustered on."""
    names = [c.role.source for c in columns]
    if len(names) == 1:
        return (
            f"Only one column was found ({names[0][:60]}). Separate the columns with commas, "
            "semicolons or tabs, and include at least one number column such as age, income "
            "or spending score."
        )
    shown = ", ".join(names[:8]) + (" …" if len(names) > 8 else "")
    return (
        f"No column holds numbers to segment on (columns found: {shown}). Include at least one "
        "number column such as age, annual income or spending score, and send the file again."
    )


def _too_few_message(used: int, rows: int, records: list[SkippedRows], limits: IngestLimits) -> str:
    """Why there are too few customers."""
    base = (
        f"Only {used} of {rows} customers can be used; at least {limits.min_customers} are "
        "needed to find segments."
    )
    if not records:
        return base + " Send the full customer list."
    worst = max(records, key=lambda r: r.count)
    what = worst.column.replace("_", " ") or "row"
    lines = ", ".join(str(x) for x in worst.examples)
    reason = {
        "missing": f"{what} is empty",
        "unparseable": f"{what} is not a number",
        "out_of_range": f"{what} is impossible (allowed: {worst.detail})",
        "duplicate_id": "the customer id is repeated",
    }.get(worst.reason, worst.reason)
    return base + f" Most were left out because {reason} (lines {lines}); fix those and resend."
