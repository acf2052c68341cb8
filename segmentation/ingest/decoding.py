"""Recognise what kind of file an upload is, and turn CSV bytes into text.

Nothing here raises: refusals come back as sentences (:class:`~segmentation.words.Text`) for
``ingest`` to raise.
"""

from __future__ import annotations

import codecs
import logging
import re

from segmentation.words import N_, Text

logger = logging.getLogger(__name__)

#: Delimiters we look for, in order of preference when the evidence ties.
DELIMITERS: tuple[str, ...] = (",", ";", "\t", "|")
#: Columns aligned with runs of spaces (fixed-width text exports), when no delimiter is used.
WHITESPACE = r"\s+"
#: Share of lines that must split into the same number of fields to read a file as aligned.
ALIGNED_SHARE = 0.9

# (magic bytes, offset, what it is, sure): checked before any decoding. Magic bytes that are
# plain letters ("MZ", "ID3") could start a header, so those count only in a binary-looking file.
_MAGIC: tuple[tuple[bytes, int, str, bool], ...] = (
    (b"\x89PNG\r\n\x1a\n", 0, N_("a PNG image"), True),
    (b"\xff\xd8\xff", 0, N_("a JPEG image"), True),
    (b"GIF87a", 0, N_("a GIF image"), True),
    (b"GIF89a", 0, N_("a GIF image"), True),
    (b"WEBP", 8, N_("a WebP image"), False),
    (b"II*\x00", 0, N_("a TIFF image"), True),
    (b"MM\x00*", 0, N_("a TIFF image"), True),
    (b"%PDF", 0, N_("a PDF document"), True),
    (b"\x1f\x8b", 0, N_("a gzip archive"), True),
    (b"BZh", 0, N_("a bzip2 archive"), False),
    (b"7z\xbc\xaf\x27\x1c", 0, N_("a 7-Zip archive"), True),
    (b"Rar!\x1a\x07", 0, N_("a RAR archive"), True),
    (b"\xfd7zXZ\x00", 0, N_("an xz archive"), True),
    (b"\x28\xb5\x2f\xfd", 0, N_("a zstd archive"), True),
    (b"SQLite format 3\x00", 0, N_("an SQLite database"), True),
    (b"\x7fELF", 0, N_("a program"), True),
    (b"MZ", 0, N_("a Windows program"), False),
    (b"ftyp", 4, N_("a video or photo (MP4/HEIC)"), False),
    (b"OggS", 0, N_("an audio file"), False),
    (b"ID3", 0, N_("an audio file"), False),
)

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

_QUOTED = re.compile(r'"[^"]*"')
_NON_ASCII = re.compile(r"[^\x00-\x7f]")


def binary_refusal(data: bytes, filename: str) -> Text | None:
    """Return why ``data`` is not a CSV file we can read as text, or ``None`` if it may be."""
    if data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return Text.of(
            N_(
                "This is an old Excel workbook (.xls), which cannot be read directly. In Excel "
                "or Google Sheets choose File › Save As (or Download) › CSV and send that."
            )
        )
    if data.startswith(b"PK\x03\x04") or data.startswith(b"PK\x05\x06"):
        head = data[:4096]
        if b"opendocument.spreadsheet" in head:
            return Text.of(
                N_(
                    "This is an OpenDocument spreadsheet (.ods), not a CSV file. In Excel or "
                    "Google Sheets choose File › Save As (or Download) › CSV and send that."
                )
            )
        if b"word/" in head:
            return Text.of(
                N_("This is a Word document, not a CSV file. Send the customer table as CSV.")
            )
        return Text.of(
            N_(
                "This is a ZIP archive, not a CSV file. Unzip it and send the CSV file inside "
                "(or the .xlsx workbook)."
            )
        )
    binary = bom_encoding(data) is None and _looks_binary(data[:8192])
    for magic, offset, what, sure in _MAGIC:
        if data[offset : offset + len(magic)] == magic and (sure or binary):
            return Text.of(
                N_("This file is {what}, not a CSV table. Send the customer list as a CSV file."),
                what=Text.of(what),
            )
    if binary:
        name = filename.rsplit("/", 1)[-1]
        return Text.of(
            N_(
                "{name} does not contain text, so it cannot be a CSV table. Export the customer "
                "list as CSV (comma- or semicolon-separated) and send that."
            ),
            name=name,
        )
    return None


def is_xlsx(data: bytes) -> bool:
    """Whether ``data`` is an Excel workbook in the current (.xlsx, zip) format."""
    if not data.startswith(b"PK\x03\x04"):
        return False
    head = data[:65536]
    return b"xl/" in head or (b"[Content_Types].xml" in head and b"spreadsheetml" in head)


def _looks_binary(head: bytes) -> bool:
    """Whether a chunk has NUL bytes (and is not UTF-16 text) or many control characters."""
    if not head:
        return False
    if b"\x00" in head:
        return _utf16_without_bom(head) is None
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 13, 12))
    return controls > max(4, len(head) // 100)


def _utf16_without_bom(head: bytes) -> str | None:
    """Return ``utf-16-le``/``-be`` when ``head`` looks like BOM-less UTF-16 text, else None."""
    even = head[0::2]
    odd = head[1::2]
    if len(head) < 4:
        return None
    if odd.count(0) >= 0.9 * len(odd) and even.count(0) <= 0.1 * len(even):
        return "utf-16-le"
    if even.count(0) >= 0.9 * len(even) and odd.count(0) <= 0.1 * len(odd):
        return "utf-16-be"
    return None


def bom_encoding(data: bytes) -> str | None:
    """Return the encoding a byte-order mark announces, or ``None``."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return encoding
    return None


def is_plain_ascii(data: bytes) -> bool:
    """Whether ``data`` is ASCII text as it is (no byte-order mark, not UTF-16 without one):
    then it decodes to the same characters as UTF-8, one per byte."""
    return bom_encoding(data) is None and _utf16_without_bom(data[:8192]) is None and data.isascii()


def decode_text(data: bytes) -> tuple[str, str]:
    """Decode CSV bytes: BOMs first, then strict UTF-8, then single-byte Windows encodings.

    Returns:
        The text (without BOM) and the encoding's name as shown to the user.
    """
    encoding = bom_encoding(data)
    if encoding is not None:
        body = data[len(_bom_for(encoding)) :]
        text = body.decode(encoding, errors="replace")
        return text, "utf-8-sig" if encoding == "utf-8" else encoding.rsplit("-", 1)[0]
    utf16 = _utf16_without_bom(data[:8192])
    if utf16 is not None:
        return data.decode(utf16, errors="replace"), "utf-16"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    replaced = data.decode("utf-8", errors="replace")
    if _mostly_utf8(replaced):
        # A UTF-8 file with a few damaged bytes: reading it as cp1252 would garble every accent.
        return replaced, "utf-8"
    guess = _guess_single_byte(data)
    if _has_utf8_text(replaced):
        # Real UTF-8 characters beside bytes UTF-8 cannot hold: a file pasted together from two
        # exports. Each line is read in the encoding it is written in.
        return _decode_per_line(data, guess), f"utf-8 and {guess}"
    try:
        return data.decode(guess), guess
    except UnicodeDecodeError:
        return data.decode("latin-1"), "latin-1"


def _has_utf8_text(replaced: str) -> bool:
    """Whether text decoded as UTF-8 holds real (not replaced) non-ASCII characters."""
    return len(_NON_ASCII.findall(replaced)) > replaced.count("\ufffd")


def _decode_per_line(data: bytes, fallback: str) -> str:
    """Decode each line as UTF-8 when it is, else in ``fallback`` (a single-byte encoding)."""
    lines = []
    for line in data.split(b"\n"):
        try:
            lines.append(line.decode("utf-8"))
        except UnicodeDecodeError:
            lines.append(line.decode(fallback, errors="replace"))
    return "\n".join(lines)


def _mostly_utf8(replaced: str) -> bool:
    """Whether text decoded as UTF-8 has far more good non-ASCII characters than damaged ones."""
    damaged = replaced.count("\ufffd")
    good = len(_NON_ASCII.findall(replaced)) - damaged
    return good >= 4 * damaged


def _bom_for(encoding: str) -> bytes:
    """The byte-order mark of ``encoding``."""
    return next(bom for bom, name in _BOMS if name == encoding)


def _guess_single_byte(data: bytes) -> str:
    """Pick cp1252 (Western) unless charset-normalizer is sure the text is cp1251 (Cyrillic)."""
    high = sum(1 for b in data[:65536] if b >= 0x80)
    if high < 8:
        # Too little evidence to tell Cyrillic from accents; Western is the common case.
        return "cp1252"
    try:
        from charset_normalizer import from_bytes

        best = from_bytes(data[:65536], cp_isolation=["cp1252", "cp1251"]).best()
    except Exception:  # a detector failure must not cost the upload
        logger.warning("charset detection failed; assuming cp1252", exc_info=True)
        return "cp1252"
    if best is not None and best.encoding == "cp1251":
        return "cp1251"
    return "cp1252"


def find_layout(lines: list[str]) -> tuple[str, int]:
    """Find the delimiter of non-blank sample ``lines`` and which of them is the header.

    Quoted sections are ignored. Each delimiter's width is the count most lines share; the one
    most lines agree on wins (ties: the wider, then the order of :data:`DELIMITERS`). Lines
    before the header with under half that width (a title such as ``Customer export``) are a
    preamble; the header may be one narrower than the rows (rows ending with a separator).
    """
    if not lines:
        return ",", 0
    cleaned = [_QUOTED.sub("", line) for line in lines]
    best, best_score, best_width = ",", (0.0, 0), 0
    for delimiter in DELIMITERS:
        counts = [line.count(delimiter) for line in cleaned]
        filled = [c for c in counts if c]
        if not filled:
            continue
        width = max(set(filled), key=lambda c: (filled.count(c), c))
        agree = sum(1 for c in counts if c and c in (width, width - 1)) / len(counts)
        score = (agree, width)
        if score > best_score:
            best, best_score, best_width = delimiter, score, width
    if best_score[0] < 0.5:
        aligned = _aligned_layout(cleaned)
        if aligned is not None:
            return aligned
    counts = [line.count(best) for line in cleaned]
    header = 0
    while header < min(10, len(counts) - 1) and counts[header] * 2 < best_width:
        header += 1
    return best, header


def _aligned_layout(lines: list[str]) -> tuple[str, int] | None:
    """Columns separated by runs of spaces (``00001 19970101  1   11.77``), or ``None``.

    At least :data:`ALIGNED_SHARE` of the lines must split into the same number (two or more)
    of fields; lines above the first such line are a preamble.
    """
    widths = [len(line.split()) for line in lines]
    width = max(set(widths), key=lambda w: (widths.count(w), w))
    if width < 2 or widths.count(width) < ALIGNED_SHARE * len(widths):
        return None
    return WHITESPACE, widths.index(width)


def text_refusal(text: str) -> Text | None:
    """Return why decoded ``text`` is another format (JSON, HTML, XML), or ``None``."""
    head = text.lstrip()[:512].lower()
    if head.startswith(("{", "[")):
        return Text.of(
            N_(
                "This looks like JSON, not a CSV table. Export the customer list as CSV "
                "(one customer per line, columns separated by commas) and send that."
            )
        )
    if head.startswith(("<!doctype html", "<html", "<table", "<head", "<body")):
        return Text.of(
            N_(
                "This looks like a web page (HTML), not a CSV table. Save the customer list "
                "as CSV and send that file."
            )
        )
    if head.startswith("<?xml") or head.startswith("<"):
        return Text.of(
            N_(
                "This looks like an XML document, not a CSV table. Save the customer list "
                "as CSV and send that file."
            )
        )
    return None
