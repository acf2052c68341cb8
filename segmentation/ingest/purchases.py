"""Purchase logs: one row per purchase, read into one row per customer (recency, frequency, spend).

A file is a purchase log when it has a customer id that repeats across rows, a date column and
an amount column (or a price and a quantity), recognised by their headers in the usual export
languages (:data:`DATE_WORDS`, :data:`AMOUNT_WORDS` …) and by their cells. Nothing is asked when
that is clear; a file with repeated ids but no date or amount is a member list with repeated
rows, read as before.

Dates are read per column, the format decided from the values: ``yyyymmdd`` (``19970101``),
ISO (``2025-01-03``, with or without a time), ``dd/mm/yyyy`` or ``mm/dd/yyyy`` (any first part
over 12 means day first, any second part over 12 month first; when no cell tells, day first,
and the receipt says so), and Excel serial day numbers (``45658``). Rows whose date or amount
cannot be read are left out and counted, like any skipped row.

Per customer (:func:`aggregate`), with ``end`` the day after the file's last purchase date (so
the result never depends on the day it runs):

- ``recency``: days from the last purchase to ``end`` (1 = bought on the file's last day);
- ``frequency``: distinct orders: distinct invoice numbers when there is an invoice column
  (cancelled invoices not counted), else distinct purchase days;
- ``spend``: the net total (returns and cancellations, negative amounts or invoices marked
  cancelled, are netted);
- ``avg_order``: spend over frequency; ``tenure``: days from the first purchase to ``end``;
- ``r_score``, ``f_score``, ``m_score``: the classic 1–5 RFM scores, quintiles of recency
  (recent = 5), frequency and spend over all customers, ties sharing a score;
- the customer's own attributes that never change from row to row (gender, age, city), and for
  a text column that does change (store, category) the customer's most frequent value, under
  ``favourite <column>``.

Customers whose purchases net to less than nothing, or who have only returns in this window,
are left out and counted.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from dataclasses import dataclass

import numpy as np
import pandas as pd
from babel import UnknownLocaleError
from babel.dates import format_date

from segmentation.errors import IngestError
from segmentation.ingest.headers import read_header
from segmentation.ingest.numbers import parse_numbers
from segmentation.ingest.parsing import ParsedFile
from segmentation.ingest.roles import foreign_genders
from segmentation.ingest.table import (
    PURCHASE_FEATURES,
    ColumnRole,
    CustomerTable,
    IngestLimits,
    Receipt,
    SkippedRows,
    normalise_id,
)
from segmentation.words import ENGLISH, N_, Text, Words

logger = logging.getLogger(__name__)

#: Header words of a purchase date, in the usual export languages (folded: no accents), with
#: German compounds (``Rechnungsdatum``, ``Gesamtbetrag``, ``Rechnungsnummer``).
DATE_WORDS = (
    r"date|datetime|timestamp|time|day|invoicedate|orderdate|purchasedate|transactiondate|"
    r"fecha|data|datum|дата|tanggal|tarikh|\w+datum|waktu"
)
#: Header words of a purchase amount.
AMOUNT_WORDS = (
    r"amount|total|revenue|sales|sale|value|spend|spent|paid|net|gross|sum|monto|importe|"
    r"valor|betrag|umsatz|montant|сумма|стоимость|jumlah|nilai|dollar|\w+betrag|\w+summe|"
    r"\w+wert|gasto|pago|pagado|depense|bezahlt|итого|выручка|оплачено|dibayar|faturamento"
)
#: Header words of a unit price and a quantity (amount = price × quantity).
PRICE_WORDS = r"price|unitprice|preco|precio|preis|prix|цена|harga|\w+preis"
QUANTITY_WORDS = (
    r"qty|quantity|units|items|count|number|cantidad|menge|quantite|количество|jumlah|"
    r"anzahl|stuckzahl|quantidade|колво|кол|kuantitas|\w+menge"
)
#: Header words that are a quantity beside a unit price, and the amount without one.
AMOUNT_OR_QUANTITY = r"jumlah"
#: Header words of an invoice (order) number.
INVOICE_WORDS = (
    r"invoice|order|receipt|transaction|bill|ticket|factura|pedido|rechnung|чек|заказ|"
    r"rechnungs\w+|bestell\w*|beleg\w*|facture|commande|faktur|pesanan|transaksi|nota|чека|заказа"
)

#: A file is a log when its rows hold at most this share of distinct ids.
MAX_DISTINCT_ID_SHARE = 0.9
#: Rows a column's kind (dates, amounts, currency) is judged on.
SNIFF_ROWS = 2_000
#: A text column with at most this many levels gives a favourite per customer.
MAX_FAVOURITE_LEVELS = 50
#: Dates outside these years are not purchase dates.
YEARS = (1970, 2100)

#: The aggregated columns: name -> (label, unit).
AGGREGATES: dict[str, tuple[str, str | None]] = {
    "recency": (N_("Last purchase"), N_("days ago")),
    "frequency": (N_("Orders"), None),
    "spend": (N_("Total spend"), None),
    "avg_order": (N_("Average order value"), None),
    "tenure": (N_("First purchase"), N_("days ago")),
}
SCORES: dict[str, str] = {
    "r_score": N_("R score"),
    "f_score": N_("F score"),
    "m_score": N_("M score"),
}
#: The label of a customer's most frequent value of a text column that varies per purchase.
FAVOURITE = N_("Favourite {column}")
#: The R, F and M score columns, in that order.
RFM_SCORES: tuple[str, ...] = tuple(SCORES)
#: Every column a purchase log's customers get: their figures, then the R, F and M scores.
PURCHASE_COLUMNS: tuple[str, ...] = (*AGGREGATES, *SCORES)


@dataclass(frozen=True)
class LogColumns:
    """The columns of a purchase log."""

    customer: str
    date: str
    amount: str | None
    price: str | None = None
    quantity: str | None = None
    invoice: str | None = None


def _key(header: str) -> str:
    """A header as lower-case letters only (``Invoice Date`` -> ``invoicedate``)."""
    return re.sub(r"[\W\d_]+", "", _unaccented(header))


def _words(header: str) -> list[str]:
    """A header's words, lower-case (``InvoiceDate`` -> ``invoice``, ``date``)."""
    spaced = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", header)
    return [w for w in re.split(r"[\W\d_]+", _unaccented(spaced)) if w]


def _unaccented(text: str) -> str:
    """Lower-case, accents dropped (``Quantité`` -> ``quantite``)."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _matches(header: str, pattern: str) -> bool:
    """Whether the header, or one of its words, is one of ``pattern``'s words."""
    whole = re.compile(rf"^(?:{pattern})$")
    return bool(whole.match(_key(header))) or any(whole.match(w) for w in _words(header))


def find_log_columns(parsed: ParsedFile) -> LogColumns | None:
    """The purchase-log columns of a parsed file, or ``None`` when it is not a purchase log."""
    headers = parsed.headers
    frame = parsed.frame
    customer = next((h for h in headers if read_header(h).field == "customer_id"), None)
    if customer is None or len(frame) < 2:
        return None
    rest = [h for h in headers if h != customer]
    # Headers first: a member list has no date header, and that costs nothing to see.
    dated = [h for h in rest if _matches(h, DATE_WORDS)]
    if not dated or not any(_matches(h, AMOUNT_WORDS + "|" + PRICE_WORDS) for h in rest):
        return None
    ids = frame[customer].dropna()
    if ids.nunique() > MAX_DISTINCT_ID_SHARE * len(ids):
        return None
    date = next((h for h in dated if _dates_share(frame[h]) >= 0.5), None)
    if date is None:
        return None
    rest = [h for h in rest if h != date]
    invoice = next((h for h in rest if _matches(h, INVOICE_WORDS) and not _is_money(h)), None)
    rest = [h for h in rest if h != invoice]
    price = next((h for h in rest if _matches(h, PRICE_WORDS)), None)
    # Indonesian "Jumlah" is the quantity beside a unit price and the amount without one.
    counted = [h for h in rest if price is not None or not _matches(h, AMOUNT_OR_QUANTITY)]
    quantity = next((h for h in counted if h != price and _matches(h, QUANTITY_WORDS)), None)
    amount = next(
        (h for h in rest if h not in (price, quantity) and _matches(h, AMOUNT_WORDS)), None
    )
    if amount is None and (price is None or quantity is None):
        return None
    for column in (amount, price, quantity):
        # Judged on the first rows: every row is read once, later, by the aggregation.
        if column is not None and parse_numbers(frame[column].head(SNIFF_ROWS)).parsed_share < 0.5:
            return None
    return LogColumns(customer, date, amount, price, quantity, invoice)


def _is_money(header: str) -> bool:
    """Whether a header names an amount ("order total") rather than an order number."""
    return _matches(header, AMOUNT_WORDS) or _matches(header, PRICE_WORDS)


def _dates_share(column: pd.Series) -> float:
    """Share of filled cells that read as dates in the column's format."""
    filled = column.dropna().head(500)
    if filled.empty:
        return 0.0
    dates, _ = read_dates(filled)
    return float(dates.notna().mean())


def read_dates(column: pd.Series) -> tuple[pd.Series, str]:
    """Read a date column in the format its values show; returns dates (NaT when unreadable)
    and a note for the receipt when the format had to be assumed (else ``""``).

    Each distinct cell is read once: a year of purchases holds a few hundred distinct days
    however many rows it has.
    """
    codes, uniques = pd.factorize(column, use_na_sentinel=True)
    dates, note = _read_distinct_dates(pd.Series(uniques, dtype=column.dtype))
    values = np.append(dates.to_numpy(dtype="datetime64[ns]"), np.datetime64("NaT"))
    return pd.Series(values[codes], index=column.index), note


def _read_distinct_dates(column: pd.Series) -> tuple[pd.Series, str]:
    """:func:`read_dates` on distinct cells."""
    if pd.api.types.is_numeric_dtype(column.dtype):
        return _numeric_dates(column.astype("float64")), ""
    text = column.astype("string").str.strip()
    digits = text.str.fullmatch(r"\d{8}").fillna(False).astype(bool)
    if digits.mean() > 0.5:
        return _numeric_dates(pd.to_numeric(text.where(digits), errors="coerce")), ""
    serial = pd.to_numeric(text, errors="coerce")
    if serial.notna().mean() > 0.5:
        return _numeric_dates(serial), ""
    iso = text.str.match(r"^\d{4}-\d{1,2}-\d{1,2}").fillna(False).astype(bool)
    if iso.mean() > 0.5:
        stamp = pd.to_datetime(text.where(iso).str.slice(0, 10), format="%Y-%m-%d", errors="coerce")
        return _in_years(stamp), ""
    parts = text.str.extract(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2,4})")
    if parts.notna().all(axis=1).mean() > 0.5:
        first = pd.to_numeric(parts[0], errors="coerce")
        second = pd.to_numeric(parts[1], errors="coerce")
        day_first = bool((first > 12).any()) or not bool((second > 12).any())
        note = ""
        if not (first > 12).any() and not (second > 12).any():
            note = N_("dates read as day/month/year (no date in the file tells which comes first)")
        day, month = (first, second) if day_first else (second, first)
        year = pd.to_numeric(parts[2], errors="coerce")
        year = year.where(year >= 100, year + 2000)
        stamp = pd.to_datetime(
            pd.DataFrame({"year": year, "month": month, "day": day}), errors="coerce"
        )
        return _in_years(stamp), note
    stamp = pd.to_datetime(text, errors="coerce", format="mixed", dayfirst=True)
    return _in_years(stamp), ""


def _numeric_dates(values: pd.Series) -> pd.Series:
    """``yyyymmdd`` numbers, or Excel serial day numbers."""
    values = values.astype("float64")
    eight = (values >= YEARS[0] * 10_000 + 101) & (values <= YEARS[1] * 10_000 + 1231)
    if eight.mean() > 0.5:
        text = values.where(eight).map(lambda v: f"{int(v):08d}" if v == v else None)
        return _in_years(pd.to_datetime(text, format="%Y%m%d", errors="coerce"))
    serial = (values >= 20_000) & (values <= 80_000)
    stamp = pd.to_datetime(values.where(serial), unit="D", origin="1899-12-30", errors="coerce")
    return _in_years(stamp)


def _in_years(stamp: pd.Series) -> pd.Series:
    """Dates outside :data:`YEARS` are not purchase dates."""
    stamp = pd.to_datetime(stamp, errors="coerce")
    inside = (stamp.dt.year >= YEARS[0]) & (stamp.dt.year <= YEARS[1])
    return stamp.where(inside).dt.normalize()


def aggregate(
    parsed: ParsedFile, log: LogColumns, filename: str, size: int, limits: IngestLimits
) -> CustomerTable:
    """One row per customer from a purchase log (see the module docstring).

    Raises:
        IngestError: Too few customers are left, or no purchase could be read.
    """
    frame = parsed.frame
    lines = parsed.lines
    if len(frame) > limits.max_rows:
        raise IngestError(
            N_(
                "{file} has more than {limit} purchases, the most read at once. Export a "
                "shorter period (for example the last twelve months) and send it again."
            ),
            file=filename,
            limit=limits.max_rows,
        )
    skipped: list[SkippedRows] = []

    def skip(mask: np.ndarray, reason: str, column: str, detail: str) -> None:
        count = int(mask.sum())
        if count:
            examples = tuple(int(x) for x in lines[mask][:5])
            skipped.append(SkippedRows(reason, column, count, examples, detail))

    ids = _customer_ids(frame[log.customer])
    missing_id = ids.isna().to_numpy()
    skip(missing_id, "missing_id", "customer_id", "")
    dates, date_note = read_dates(frame[log.date])
    bad_date = dates.isna().to_numpy() & ~missing_id
    skip(bad_date, "bad_date", log.date, "")
    amount = _amounts(frame, log)
    bad_amount = amount.isna().to_numpy() & ~missing_id & ~bad_date
    skip(bad_amount, "bad_amount", log.amount or log.price or "", "")
    keep = ~(missing_id | bad_date | bad_amount)
    rows = pd.DataFrame(
        {"customer": ids[keep].to_numpy(), "date": dates[keep].to_numpy(), "amount": amount[keep]}
    )
    if rows.empty:
        raise IngestError(
            N_(
                "No purchase in {file} has both a readable date and a readable amount. Check "
                "the date and amount columns and send the file again."
            ),
            file=filename,
        )
    cancelled = np.zeros(len(rows), dtype=bool)
    if log.invoice is not None:
        raw = frame[log.invoice][keep]
        if pd.api.types.is_numeric_dtype(raw.dtype):
            rows["order"] = raw.to_numpy()  # numbers only: no "C…" cancellations
        else:
            codes, uniques = pd.factorize(raw, use_na_sentinel=True)
            text = pd.Series(uniques, dtype=object).astype(str).str.strip()
            marked = np.append(text.str.match(r"(?i)^c\d").to_numpy(dtype=bool), False)
            cancelled = marked[codes]
            rows["order"] = np.append(text.to_numpy(dtype=object), "")[codes]
    returns = (rows["amount"] < 0).to_numpy() | cancelled
    end = rows["date"].max() + pd.Timedelta(days=1)
    first_date, last_date = rows["date"].min(), rows["date"].max()

    grouped = rows.groupby("customer", sort=False)
    spend = grouped["amount"].sum()
    last = grouped["date"].max()
    first = grouped["date"].min()
    buying = rows.loc[~returns]
    if "order" in rows:
        frequency = buying.groupby("customer", sort=False)["order"].nunique()
    else:
        frequency = buying.groupby("customer", sort=False)["date"].nunique()
    frequency = frequency.reindex(spend.index).fillna(0)
    customers = pd.DataFrame(
        {
            "recency": (end - last).dt.days.astype("float64"),
            "frequency": frequency.astype("float64"),
            "spend": spend.astype("float64").round(2),
        },
        index=spend.index,
    )
    nothing = (customers["spend"] < 0) | (customers["frequency"] <= 0)
    dropped_customers = int(nothing.sum())
    customers = customers.loc[~nothing]
    customers["avg_order"] = (customers["spend"] / customers["frequency"]).round(2)
    customers["tenure"] = (end - first.reindex(customers.index)).dt.days.astype("float64")
    customers["r_score"] = _quintiles(-customers["recency"])
    customers["f_score"] = _quintiles(customers["frequency"])
    customers["m_score"] = _quintiles(customers["spend"])
    attributes, labels = _customer_attributes(frame.loc[keep], rows["customer"], log, customers)
    for column, values in attributes.items():
        customers[column] = values
    customers.index = pd.Index(customers.index.astype(str), name="customer_id")
    if len(customers) < limits.min_customers:
        raise IngestError(
            Text.ngettext(
                "Only {n} customers with purchases were found in {file}; at least {least} are "
                "needed to segment.",
                "Only {n} customers with purchases were found in {file}; at least {least} are "
                "needed to segment.",
                len(customers),
                file=filename,
                least=limits.min_customers,
            )
        )
    roles = [ColumnRole(label, name, "numeric", unit) for name, (label, unit) in AGGREGATES.items()]
    roles += [
        ColumnRole(label, name, "numeric", None, N_("rfm score")) for name, label in SCORES.items()
    ]
    numeric_attributes = [c for c in attributes if pd.api.types.is_numeric_dtype(customers[c])]
    text_attributes = [c for c in attributes if c not in numeric_attributes]
    roles += [ColumnRole(labels[c], c, "numeric") for c in numeric_attributes]
    roles += [
        ColumnRole(labels[c], c, "gender" if c == "gender" else "attribute")
        for c in text_attributes
    ]
    purchases = {
        "purchases": len(rows),
        "customers": len(customers),
        "first_date": first_date.date().isoformat(),
        "last_date": last_date.date().isoformat(),
        "returns": int(returns.sum()),
        "returns_amount": float(-rows.loc[returns, "amount"].clip(upper=0).sum()),
        "customers_without_purchases": dropped_customers,
        "date_note": date_note,
        "columns": {
            "customer": log.customer,
            "date": log.date,
            "amount": log.amount or "",
            "price": log.price or "",
            "quantity": log.quantity or "",
            "invoice": log.invoice or "",
        },
    }
    receipt = Receipt(
        filename=filename,
        size_bytes=size,
        encoding=parsed.encoding,
        delimiter=parsed.delimiter,
        rows_read=len(frame),
        rows_used=int(keep.sum()),
        columns=tuple(roles),
        skipped=tuple(skipped),
        purchases=purchases,
    )
    numeric = ("recency", "frequency", "spend", "avg_order", "tenure", *numeric_attributes)
    all_labels = {name: label for name, (label, _) in AGGREGATES.items()}
    all_labels.update(SCORES)
    all_labels.update(labels)
    units = {name: unit for name, (_, unit) in AGGREGATES.items() if unit}
    money = _currency(frame, log)
    if money:
        units.update({"spend": money, "avg_order": money})
    logger.info("purchase log: %d purchases by %d customers", len(rows), len(customers))
    return CustomerTable(
        customers=customers,
        receipt=receipt,
        numeric=numeric,
        attributes=tuple(sorted(text_attributes, key=lambda c: c != "gender")),
        labels=all_labels,
        units=units,
        default_features=PURCHASE_FEATURES,
    )


def _customer_ids(column: pd.Series) -> pd.Series:
    """Normalised ids (``0042`` = ``42``), each distinct id normalised once."""
    codes, uniques = pd.factorize(column, use_na_sentinel=True)
    normal = np.array([*(normalise_id(u) for u in uniques), None], dtype=object)
    return pd.Series(normal[codes], index=column.index, dtype=object)


def _amounts(frame: pd.DataFrame, log: LogColumns) -> pd.Series:
    """Each purchase's amount: the amount column, else price × quantity."""
    if log.amount is not None:
        return parse_numbers(frame[log.amount]).values
    assert log.price is not None and log.quantity is not None
    price = parse_numbers(frame[log.price]).values
    quantity = parse_numbers(frame[log.quantity]).values
    return price * quantity


def _currency(frame: pd.DataFrame, log: LogColumns) -> str | None:
    """The currency sign the amounts were written with, if any."""
    column = log.amount or log.price
    if column is None:
        return None
    return parse_numbers(frame[column].head(SNIFF_ROWS)).currency


def _quintiles(values: pd.Series) -> pd.Series:
    """Scores 1–5 by quintile of rank; equal values share a score."""
    pct = values.rank(method="max", pct=True).to_numpy(dtype="float64")
    return pd.Series(np.clip(np.ceil(pct * 5), 1, 5), index=values.index)


def _customer_attributes(
    frame: pd.DataFrame, customer: pd.Series, log: LogColumns, customers: pd.DataFrame
) -> tuple[dict[str, pd.Series], dict[str, str]]:
    """Columns constant per customer, and favourites of text columns that vary."""
    used = {log.customer, log.date, log.amount, log.price, log.quantity, log.invoice}
    out: dict[str, pd.Series] = {}
    labels: dict[str, str] = {}
    keys = pd.Series(customer.to_numpy(), index=frame.index)
    for header in frame.columns:
        if header in used:
            continue
        field = read_header(str(header)).field
        values = frame[header]
        name = field if field in ("gender", "age", "income") else str(header)
        per = values.groupby(keys, sort=False)
        if int(per.nunique().max() or 0) <= 1:
            first = per.first().reindex(customers.index)
            numbers = parse_numbers(first.astype(object)) if first.dtype == object else None
            if numbers is not None and numbers.parsed_share >= 0.9:
                first = numbers.values
            elif first.dtype == object and first.nunique() > 20:
                continue
            foreign = foreign_genders(first) if field == "gender" else None
            if foreign is not None:
                first = foreign.astype("string")
            elif field == "gender":
                first = first.astype("string").str.strip().str.capitalize()
                first = first.replace({"F": "Female", "M": "Male"})
            out[name] = first
            labels[name] = str(header)
        elif values.dtype == object and values.nunique() <= MAX_FAVOURITE_LEVELS:
            pairs = pd.DataFrame({"c": keys.to_numpy(), "v": values.to_numpy()}).dropna()
            counts = pairs.groupby(["c", "v"], sort=True).size().reset_index(name="n")
            counts = counts.sort_values(["c", "n", "v"], ascending=[True, False, True])
            top = counts.drop_duplicates("c").set_index("c")["v"]
            column = f"favourite {header}"
            out[column] = top.reindex(customers.index).astype(object)
            labels[column] = FAVOURITE.format(column=str(header).lower())
    return out, labels


def summary_line(purchases: dict, words: Words = ENGLISH) -> str:
    """``12,103 purchases by 600 customers, 3 Jan 2025 – 30 Dec 2025`` (plain text).

    Args:
        purchases: A receipt's ``purchases``.
        words: The language to write it in (numbers and months too).
    """
    first = pd.Timestamp(purchases["first_date"])
    last = pd.Timestamp(purchases["last_date"])
    count = int(purchases["purchases"])
    people = int(purchases["customers"])
    return Text.ngettext(
        "{n} purchase by {customers} customers, {first} – {last}",
        "{n} purchases by {customers} customers, {first} – {last}",
        count,
        customers=people,
        first=_day(first, words),
        last=_day(last, words),
    ).say(words)


def _day(when: pd.Timestamp, words: Words) -> str:
    """``3 Jan 2025``, in ``words``' language (``3 янв. 2025``)."""
    if words.language == "en":
        return f"{when.day} {when:%b %Y}"
    try:
        return format_date(when.date(), "d MMM y", locale=words.language)
    except (UnknownLocaleError, ValueError):
        return f"{when.day} {when:%b %Y}"
