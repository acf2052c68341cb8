"""Turn upload bytes into a table of cells: file-type checks, decoding, the CSV parser, .xlsx.

Nothing here knows what the columns mean. Refusals are raised as :class:`Unreadable`, whose
message ``segmentation.ingest.load`` passes on to the manager.
"""

from __future__ import annotations

import contextlib
import io
import logging
import re
import warnings
import zipfile
import zlib
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import pandas as pd

from segmentation.errors import EngineError
from segmentation.ingest.decoding import (
    WHITESPACE,
    binary_refusal,
    decode_text,
    find_layout,
    is_plain_ascii,
    is_xlsx,
    text_refusal,
)
from segmentation.ingest.digit_ids import DigitIds, digit_ids, first_column_widths
from segmentation.ingest.headers import read_header
from segmentation.ingest.table import IngestLimits
from segmentation.words import N_, Number, Text

logger = logging.getLogger(__name__)


class Unreadable(EngineError):
    """The upload cannot be read as a table; ``e.text`` is the message for the manager."""


_SAMPLE_LINES = 50


def read_upload(data: bytes, filename: str, limits: IngestLimits) -> ParsedFile:
    """Check an upload and parse it into cells (text or numbers) per column.

    Raises:
        Unreadable: Too big, empty, not a table, or rows that cannot be split into columns.
    """
    if len(data) > limits.max_bytes:
        raise Unreadable(
            N_(
                "The file is {size}, more than the {limit} limit. Send a smaller export (fewer "
                "columns or rows), or split it in parts."
            ),
            size=_megabytes(len(data)),
            limit=_megabytes(limits.max_bytes),
        )
    if not data.strip():
        raise Unreadable(
            N_(
                "The file is empty. Export the customer list again (one header row, then one "
                "customer per line) and send it."
            )
        )
    if is_xlsx(data):
        return _read_xlsx(data, limits)
    inner = unpack_archive(data, filename, limits)
    if inner is not None:
        data, filename = inner
        if is_xlsx(data):
            return _read_xlsx(data, limits)
    refusal = binary_refusal(data, filename)
    if refusal is not None:
        raise Unreadable(refusal)
    return _read_csv(data, limits)


_GZIP = b"\x1f\x8b"
_ZIP = (b"PK\x03\x04", b"PK\x05\x06")


def unpack_archive(data: bytes, filename: str, limits: IngestLimits) -> tuple[bytes, str] | None:
    """The file inside a ``.gz`` or a one-file ``.zip``, or ``None`` when ``data`` is neither.

    Big purchase logs travel compressed (a 100 MB log zips under Telegram's 20 MB download
    limit). What comes out is capped at ``limits.max_unpacked_bytes`` while it is unpacked, so
    a small bomb never inflates past the budget; an archive of several files is refused.

    Raises:
        Unreadable: Several files, a damaged archive, or more than the budget once unpacked.
    """
    cap = limits.max_unpacked_bytes
    if data.startswith(_GZIP):
        inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
        try:
            out = inflater.decompress(data, cap + 1)
        except zlib.error as exc:
            raise Unreadable(_DAMAGED) from exc
        if len(out) > cap or inflater.unconsumed_tail:
            raise Unreadable(_too_big_unpacked(cap))
        name = filename[:-3] if filename.lower().endswith(".gz") else filename
        return out, name
    if not data.startswith(_ZIP):
        return None
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = [
                info
                for info in archive.infolist()
                if not info.is_dir()
                and not info.filename.startswith(("__MACOSX/", "."))
                and "/." not in info.filename
            ]
            spreadsheet = any(m.filename.lower().endswith((".ods", ".docx")) for m in members)
            if not members or spreadsheet or len(members) > 1:
                if len(members) > 1:
                    raise Unreadable(
                        Text.ngettext(
                            "This ZIP archive holds {n} files; send one CSV file at a time "
                            "(zipped alone, or as it is).",
                            "This ZIP archive holds {n} files; send one CSV file at a time "
                            "(zipped alone, or as it is).",
                            len(members),
                        )
                    )
                return None  # not an archive of a table: the format checks say what it is
            member = members[0]
            if member.file_size > cap:
                raise Unreadable(_too_big_unpacked(cap))
            with archive.open(member) as handle:
                out = handle.read(cap + 1)
    except (zipfile.BadZipFile, zlib.error, ValueError, OSError, NotImplementedError) as exc:
        raise Unreadable(_DAMAGED) from exc
    if len(out) > cap:
        raise Unreadable(_too_big_unpacked(cap))
    return out, member.filename.rsplit("/", 1)[-1]


_DAMAGED = Text.of(
    N_(
        "This compressed file could not be unpacked. Compress the CSV file again (ZIP or "
        "gzip), or send it as it is."
    )
)


def _too_big_unpacked(cap: int) -> Text:
    """The refusal for an archive that unpacks past the budget."""
    return Text.of(
        N_(
            "This archive unpacks to more than {limit}, the most read at once. Send fewer rows "
            "(for example one year of purchases) or split the file."
        ),
        limit=_megabytes(cap),
    )


@dataclass
class ParsedFile:
    """A parsed table before validation.

    Attributes:
        frame: One column per header (numbers where the parser could, else text), blank rows
            removed, index 0..n-1.
        headers: Column names as shown in the file (blank ones named by position, repeats
            numbered).
        lines: The file line of each row (the header is line 1).
        encoding: The text encoding found, or ``"xlsx"``.
        delimiter: The separator found.
        id_digits: When the id column (the first) is digits and was read as integers:
            how many characters each row's id was written with (the leading zeros the
            integers drop) and its text without them (see
            :mod:`segmentation.ingest.digit_ids`); :meth:`with_text_ids` gives the column
            back as the text it was.
    """

    frame: pd.DataFrame
    headers: list[str]
    lines: np.ndarray
    encoding: str
    delimiter: str
    id_digits: DigitIds | None = None

    def with_text_ids(self) -> ParsedFile:
        """This file with its id column as the text it was written as (itself when it is)."""
        if self.id_digits is None:
            return self
        header, widths = self.id_digits.header, self.id_digits.widths
        numbers = self.frame[header].to_numpy(dtype=np.int64)
        # Each distinct id written once (a purchase log repeats its customers), then placed.
        keys = pd.MultiIndex.from_arrays([numbers, widths])
        codes, distinct = pd.factorize(keys)
        texts = np.array(
            [str(number).zfill(width) for number, width in distinct.tolist()], dtype=object
        )
        column = pd.Series(texts[codes], dtype="str", index=self.frame.index)
        return replace(self, frame=self.frame.assign(**{header: column}), id_digits=None)


def _megabytes(size: int) -> Text:
    """A size in MB for messages (``20.0 MB``)."""
    return Text.of(N_("{size} MB"), size=Number(size / (1024 * 1024), 1, grouped=False))


def _read_csv(data: bytes, limits: IngestLimits) -> ParsedFile:
    """Decode and parse CSV bytes."""
    ascii_head = len(data) > _ASCII_HEAD and is_plain_ascii(data)
    # A plain-ASCII file (UTF-8, since ASCII is) is decoded only as far as its layout is
    # sniffed: the rows are parsed from the bytes.
    if ascii_head:
        text, encoding = data[:_ASCII_HEAD].decode("ascii"), "utf-8"
    else:
        text, encoding = decode_text(data)
    refusal = text_refusal(text)
    if refusal is not None:
        raise Unreadable(refusal)
    start, offset = _first_content_line(text)
    if ascii_head and (start < 0 or start + _SNIFF_CHARS > len(text)):
        # The decoded beginning does not reach past the first lines: decode it all.
        ascii_head = False
        text, encoding = decode_text(data)
        start, offset = _first_content_line(text)
    if start < 0:
        raise Unreadable(
            N_("The file has no text in it. Export the customer list again and send it.")
        )
    head = text[start : start + _SNIFF_CHARS].splitlines(keepends=True)[: _SAMPLE_LINES * 4]
    filled = [n for n, line in enumerate(head) if line.strip()][: _SAMPLE_LINES + 1]
    # Excel writes "sep=;" on the first line when asked to name its separator.
    named = re.fullmatch(r"(?i)sep=(.)", head[filled[0]].strip()) if filled else None
    if named:
        if len(filled) < 2:
            raise Unreadable(
                N_(
                    "The file holds only Excel's separator line (sep=), no customers. Export "
                    "the customer list again and send it."
                )
            )
        filled = filled[1:]
    delimiter, header_at = find_layout([head[n] for n in filled[:_SAMPLE_LINES]])
    if named:
        delimiter, header_at = named.group(1), 0
    skipped = filled[header_at] if filled else 0
    if skipped:
        # Title lines above the header ("Customer export, March") are left out.
        start += sum(len(line) for line in head[:skipped])
        offset += skipped
        logger.info("skipped %d lines above the header", skipped)
    if ascii_head:  # characters are bytes
        raw = data[start:] if start else data
    else:
        raw = text[start:].encode("utf-8") if encoding != "utf-8" or start else data
    nrows = limits.max_rows + 1
    headers: list[str] = []
    try:
        _check_header_budget(_header_width(raw, delimiter), _row_count(raw), limits)
        fields = _header_fields(raw, delimiter)
        headers = _unique_headers(fields)
        _check_header_is_not_data(headers, delimiter)
        # Read as numbers, ids such as 1.10 and 1.1 would merge and 0042 would lose the zeros
        # it is written with: the id column is read as text, in the one parse of the rows.
        id_column = next((h for h in headers if read_header(h).field == "customer_id"), None)
        frame, id_digits = _parse_rows(raw, delimiter, headers, nrows, offset, id_column)
    except pd.errors.ParserError as exc:
        raise Unreadable(_parser_message(str(exc), offset, len(headers))) from exc
    except (ValueError, UnicodeError, OverflowError) as exc:
        raise Unreadable(
            N_(
                "The rows could not be split into columns. Check that every line uses the same "
                "separator and that quotes are balanced, then send the file again."
            )
        ) from exc
    # A file whose ids were read as digits has none: every row has an id.
    blank = _blank_rows(frame)
    lines = np.arange(len(frame)) + 2 + offset
    if blank.any():
        frame = frame.loc[~blank]
        lines = lines[~blank]
        frame.index = pd.RangeIndex(len(frame))
    return ParsedFile(frame, headers, lines, encoding, delimiter, id_digits)


#: Characters from the first line that the layout is sniffed on.
_SNIFF_CHARS = 200_000
#: Bytes of a plain-ASCII file decoded to find its layout (the parser reads the bytes).
_ASCII_HEAD = 1 << 20


def _blank_rows(frame: pd.DataFrame) -> np.ndarray:
    """Rows with no value at all: number columns are looked at first (cheap), and text
    columns only on the rows still blank after them."""
    numeric = [name for name in frame.columns if frame[name].dtype.kind in "biufcmM"]
    blank = np.ones(len(frame), dtype=bool)
    for name in numeric:
        blank &= frame[name].isna().to_numpy()
    looked = set(numeric)
    rest = [name for name in frame.columns if name not in looked]
    candidates = np.flatnonzero(blank)
    for name in rest:
        if not len(candidates):
            break
        gone = frame[name].iloc[candidates].isna().to_numpy()
        blank[candidates[~gone]] = False
        candidates = candidates[gone]
    return blank


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
    raw: bytes,
    delimiter: str,
    headers: list[str],
    nrows: int,
    offset: int,
    text_column: str | None = None,
) -> tuple[pd.DataFrame, DigitIds | None]:
    """Parse the rows; a first row wider than the header may only add empty cells.

    Returns the rows under ``headers``, and the ids' widths and texts when ``text_column`` is
    the first column and its ids were read as integers (see
    :mod:`segmentation.ingest.digit_ids`); else ``None``. Any other ``text_column`` is read
    as text.

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
    names = headers + extra
    if not extra and text_column is not None and headers[0] == text_column:
        cells = first_column_widths(raw, delimiter, nrows)
        if cells is not None:
            frame = _parse(raw, delimiter, names, nrows, text_column=text_column, digits=True)
            numbers = frame[text_column].to_numpy(dtype=np.int64)
            with contextlib.suppress(ValueError):  # not the same rows after all: read as text
                return frame, digit_ids(raw, delimiter, text_column, cells, numbers)
    frame = _parse(raw, delimiter, names, nrows, text_column=text_column)
    if not extra:
        return frame, None
    filled = frame[extra].notna().any(axis=1).to_numpy()
    if filled.any():
        line = int(np.argmax(filled)) + 2 + offset
        raise Unreadable(
            N_(
                "Line {line} has more values than the header has columns ({columns}). Add the "
                "missing column names to the header, or put values that contain the separator "
                "in quotes, and send the file again."
            ),
            line=str(line),
            columns=str(len(headers)),
        )
    return frame.drop(columns=extra), None


def _parse(
    raw: bytes,
    delimiter: str,
    headers: list[str],
    nrows: int,
    text_column: str | None = None,
    digits: bool = False,
) -> pd.DataFrame:
    """Run pandas' C parser; blank lines stay as empty rows so row numbers map to lines
    (``text_column``, when given, is read as text, or as integers with ``digits``).

    The rows are parsed in chunks (half the time of one pass over the whole file, which holds
    every text cell twice). A column that reads as numbers in one chunk and as text in another
    comes out as a mix of both: only such columns are parsed again, whole, so ``01234`` stays
    text exactly as when the file is read at once.
    """
    # Spaces after a separator are skipped; a body with no space or tab at all has none to
    # skip, and its parse is quicker without looking (two byte searches, not a pass per cell).
    body = raw.find(b"\n") + 1
    spaced = raw.find(b" ", body) >= 0 or raw.find(b"\t", body) >= 0
    options: dict[str, Any] = {
        "sep": delimiter,
        "header": 0,
        "names": headers,
        "skip_blank_lines": False,
        "skipinitialspace": spaced,
        "nrows": nrows,
        "engine": "c",
        "encoding": "utf-8",
        "encoding_errors": "replace",
    }
    dtype = None if text_column is None else {text_column: np.int64 if digits else str}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", pd.errors.DtypeWarning)
        frame = pd.read_csv(io.BytesIO(raw), dtype=dtype, low_memory=True, **options)
    mixed = [name for name in frame.columns if frame[name].dtype == object]
    if mixed:
        whole = pd.read_csv(io.BytesIO(raw), usecols=mixed, low_memory=False, **options)
        for name in mixed:
            frame[name] = whole[name]
    return frame


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
    """Stripped headers, with blanks named by position and repeats numbered.

    Linear in the number of columns: each name remembers the next number to try, so a line of
    a million identical names costs a million steps, not a million squared.
    """
    headers: list[str] = []
    seen: set[str] = set()
    next_number: dict[str, int] = {}
    for index, name in enumerate(raw, start=1):
        base = name.strip().strip('"').strip() or f"column {index}"
        candidate, key = base, base.casefold()
        n = next_number.get(key, 2)
        while candidate.casefold() in seen:
            candidate, n = f"{base} ({n})", n + 1
        next_number[key] = n
        seen.add(candidate.casefold())
        headers.append(candidate)
    return headers


def _header_width(raw: bytes, delimiter: str) -> tuple[int, int]:
    """How many columns the first line names, and its longest name, counted without parsing.

    Quoted sections are left out of the count, so a separator inside quotes does not count.
    """
    end = raw.find(b"\n")
    line = (raw if end < 0 else raw[:end]).decode("utf-8", errors="replace")
    line = re.sub(r'"[^"]*"', lambda m: "q" * (len(m.group(0)) - 2), line)
    names = line.split() if delimiter == WHITESPACE else line.split(delimiter)
    return len(names), max((len(name.strip()) for name in names), default=0)


def _row_count(raw: bytes) -> int:
    """Data rows in a CSV body, roughly: its lines less the header."""
    lines = raw.count(b"\n") + (0 if raw.endswith(b"\n") else 1)
    return max(0, lines - 1)


def _check_header_budget(width: tuple[int, int], rows: int, limits: IngestLimits) -> None:
    """Refuse a header too wide or too long, or a table of too many cells, before parsing."""
    columns, longest = width
    if columns > limits.max_columns:
        raise Unreadable(
            N_(
                "The file has {columns} columns; at most {limit} are read. Export only the "
                "customer columns you need (id, gender, age, income, spending score and the "
                "like) and send it again."
            ),
            columns=columns,
            limit=limits.max_columns,
        )
    if longest > limits.max_header_chars:
        raise Unreadable(
            N_(
                "A column name is {length} characters long; at most {limit} are accepted. "
                "Check that the first line holds the column names, then send it again."
            ),
            length=longest,
            limit=limits.max_header_chars,
        )
    if rows * columns > limits.max_cells:
        raise Unreadable(
            N_(
                "The file has about {rows} rows × {columns} columns, more than the {limit} "
                "cells read at once. Export fewer columns (or split the rows) and send it again."
            ),
            rows=rows,
            columns=columns,
            limit=limits.max_cells,
        )


def _check_header_is_not_data(headers: list[str], delimiter: str) -> None:
    """Refuse a file whose first line is a customer row rather than column names."""
    if len(headers) < 2:
        return
    numeric = sum(1 for h in headers if re.fullmatch(r"-?[\d.,]+", h) is not None)
    if numeric * 2 >= len(headers):
        if delimiter == ",":
            raise Unreadable(
                N_(
                    "The first line looks like customer data, not column names. Add a header "
                    "row such as CustomerID,Gender,Age,Annual Income (k$),Spending Score "
                    "(1-100) and send the file again."
                )
            )
        raise Unreadable(
            N_(
                "The first line looks like customer data, not column names. Add a header row "
                "(separated by {separator}) such as CustomerID,Gender,Age,Annual Income "
                "(k$),Spending Score (1-100) and send the file again."
            ),
            separator=Text.of(_delimiter_name(delimiter)),
        )


#: How a delimiter is named in a message.
_DELIMITER_NAMES = {
    ",": N_("commas"),
    ";": N_("semicolons"),
    "\t": N_("tabs"),
    "|": N_("pipes"),
    WHITESPACE: N_("spaces"),
}


def _delimiter_name(delimiter: str) -> str:
    """How to name a delimiter in a message."""
    return _DELIMITER_NAMES.get(delimiter, _DELIMITER_NAMES[","])


def _parser_message(detail: str, offset: int, columns: int) -> Text:
    """Turn a pandas parser error into a message that names the line."""
    found = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", detail)
    if found:
        line = int(found.group(2)) + offset
        return Text.of(
            N_(
                "Line {line} has {values} values but the header has {columns} columns. A value "
                "probably contains the separator: put such values in quotes (or remove the "
                "extra separator) and send the file again."
            ),
            line=str(line),
            values=found.group(3),
            columns=found.group(1),
        )
    if "EOF inside string" in detail or "EOF following" in detail:
        found = re.search(r"row (\d+)", detail)
        if found:
            return Text.of(
                N_(
                    'A quote (") opened near line {line} is never closed. Remove the stray '
                    "quote or close it, then send the file again."
                ),
                line=str(int(found.group(1)) + 1 + offset),
            )
        return Text.of(
            N_(
                'A quote (") opened is never closed. Remove the stray quote or close it, then '
                "send the file again."
            )
        )
    return Text.of(
        N_(
            "The rows could not be split into {columns} columns. Check that every line uses "
            "the same separator and that quotes are balanced, then send the file again."
        ),
        columns=str(columns),
    )


#: Most text a workbook's shared strings may hold: a million customers' ids, names and
#: categories come to a few tens of megabytes.
MAX_SHARED_STRINGS_BYTES = 100 * 1024 * 1024


_UNOPENED = Text.of(
    N_(
        "This Excel workbook could not be opened. In Excel choose File › Save As › CSV UTF-8 "
        "and send that file."
    )
)


def _check_unpacked_size(data: bytes, limits: IngestLimits) -> None:
    """Refuse a workbook that would unpack past the budget, before anything is unpacked.

    An ``.xlsx`` is a zip archive: a few hundred kilobytes can hold a sheet or a shared
    string of gigabytes. The sizes the archive declares are checked first; ``zipfile`` never
    inflates an entry past the size it declares (it fails the entry instead).
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            declared = sum(info.file_size for info in archive.infolist())
            strings = sum(
                info.file_size
                for info in archive.infolist()
                if info.filename.lower().endswith("sharedstrings.xml")
            )
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise Unreadable(_UNOPENED) from exc
    if strings > MAX_SHARED_STRINGS_BYTES:
        raise Unreadable(
            N_(
                "This workbook's text cells come to {size}, far more than a customer list "
                "holds (Excel itself keeps a cell under {most} characters). Save the customer "
                "sheet as CSV UTF-8 (File › Save As) and send that file."
            ),
            size=_megabytes(strings),
            most=32_767,
        )
    if declared > limits.max_unpacked_bytes:
        raise Unreadable(
            N_(
                "This workbook unpacks to {size}, more than the {limit} read at once. Save the "
                "customer sheet alone as CSV UTF-8 (File › Save As) and send that file."
            ),
            size=_megabytes(declared),
            limit=_megabytes(limits.max_unpacked_bytes),
        )


def _read_xlsx(data: bytes, limits: IngestLimits) -> ParsedFile:
    """Read the customer sheet of an .xlsx workbook as text cells.

    The first sheet that holds a table (a header and rows, two columns at least) is read, so
    a workbook whose first sheet is a cover page or notes still works; with none, the sheets
    are named. Columns of formulas that Excel never calculated (no stored results) are
    refused by name rather than read as empty.
    """
    _check_unpacked_size(data, limits)
    try:
        sheets = pd.read_excel(
            io.BytesIO(data),
            sheet_name=None,
            header=None,
            dtype=object,
            engine="openpyxl",
            # Enough for the header, blank rows above it and one row over the limit.
            nrows=limits.max_rows + 1000,
        )
    except MemoryError:
        raise
    except Exception as exc:
        if "out of memory" in str(exc) or "insufficient memory" in str(exc):
            # The XML parser and zlib report exhausted memory in their own exception types.
            raise MemoryError(str(exc)) from exc
        raise Unreadable(_UNOPENED) from exc
    name, frame = _customer_sheet(sheets)
    headers = _unique_headers([cell_text(v) for v in frame.iloc[0].tolist()])
    _check_header_is_not_data(headers, ",")
    body = frame.iloc[1 : limits.max_rows + 2]
    lines = body.index.to_numpy() + 1
    text = body.map(cell_text)
    text.columns = headers
    text = text.replace("", np.nan)
    text.index = pd.RangeIndex(len(text))
    empty = [h for h in headers if text[h].isna().all()]
    if empty:
        _refuse_uncalculated_formulas(data, name, frame, headers, empty)
    return ParsedFile(text, headers, lines, "xlsx", ",")


def _customer_sheet(sheets: dict[str, pd.DataFrame]) -> tuple[str, pd.DataFrame]:
    """The first sheet holding a table (header and rows, two columns at least)."""
    for name, raw in sheets.items():
        frame = raw.dropna(how="all").dropna(axis=1, how="all")
        if frame.shape[0] >= 2 and frame.shape[1] >= 2:
            if name != next(iter(sheets)):
                logger.info("read the workbook's sheet %d", list(sheets).index(name) + 1)
            return str(name), frame
    names = ", ".join(f"'{n}'" for n in list(sheets)[:10])
    raise Unreadable(
        N_(
            "No sheet of this workbook holds a customer table (sheets: {sheets}). Put the list "
            "on one sheet, one header row then one customer per row, and send it again."
        ),
        sheets=names,
    )


def _refuse_uncalculated_formulas(
    data: bytes, sheet: str, frame: pd.DataFrame, headers: list[str], empty: list[str]
) -> None:
    """Refuse columns whose cells are formulas with no stored result (read as empty)."""
    from openpyxl import load_workbook  # only for this rare case

    book = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    try:
        rows = book[sheet].iter_rows(values_only=True)
        position = {h: int(frame.columns[i]) for i, h in enumerate(headers)}
        first_row = int(frame.index[0])
        sample = [row for n, row in enumerate(rows) if first_row < n <= first_row + 20]
    finally:
        book.close()
    formulas = [
        h
        for h in empty
        if any(
            isinstance(row[position[h]], str) and row[position[h]].startswith("=")
            for row in sample
            if position[h] < len(row)
        )
    ]
    if formulas:
        names = ", ".join(formulas[:3])
        raise Unreadable(
            N_(
                "Column {names} holds formulas Excel never calculated, so their results are not "
                "in the file. Open it in Excel and save it (that stores the results), or save it "
                "as CSV UTF-8, then send it again."
            ),
            names=names,
        )


def cell_text(value: object) -> str:
    """A workbook cell as the text a CSV export would hold."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, pd.Timestamp):
        return value.isoformat()
    return str(value).strip()
