"""Recognise columns by what their header means, and read units and ranges from headers."""

from __future__ import annotations

import re
from dataclasses import dataclass

from segmentation.ingest.table import normalise_name


def _words(text: str) -> frozenset[str]:
    """The whitespace-separated words of ``text``."""
    return frozenset(text.split())


# Headers (normalised: lower-case letters and digits only, unit in brackets removed) that name
# each canonical field. Matching is exact on these, then by the patterns below.
SYNONYMS: dict[str, frozenset[str]] = {
    "customer_id": _words(
        """
        customerid customer customerno customernr customernumber customercode customerkey custid
        custno custnumber cust id clientid client clientno clientnumber clientcode memberid
        member memberno membernr membernumber membershipid membershipno membershipnumber cardno
        cardnumber loyaltyid loyaltycard loyaltycardnumber userid shopperid buyerid accountid
        accountno accountnumber kundennummer kundennr kdnr kundenid kunde idcliente nclient
        noclient ncliente numcliente numeroclient numérocient numéroclient identifiantclient
        idclient codeclient clienteid numerocliente númerocliente códigocliente codigocliente
        iddocliente idcliente clientecodigo idpelanggan nomorpelanggan kodepelanggan pelanggan
        idanggota nomoranggota номерклиента idклиента кодклиента клиент клиентid
        """
    ),
    "gender": _words(
        """
        gender genre sex género genero gênero sexe sexo geschlecht пол customergender gendermf
        sexmf jeniskelamin kelamin gender2 геndер полклиента
        """
    ),
    "age": _words(
        """
        age ages ageyears ageinyears customerage edad alter âge возраст idade età eta umur usia
        edadaños alterjahre возрастлет idadeanos umurtahun
        """
    ),
    "income": _words(
        """
        income annualincome yearlyincome householdincome salary annualsalary yearlysalary
        monthlyincome earnings wage wages ingresos ingreso einkommen revenu revenus доход
        зарплата renda reddito jahreseinkommen jahresgehalt gehalt salaire revenuannuel
        ingresoanual ingresosanuales salario salarioanual rendaanual rendimento годовойдоход
        доходвгод pendapatan pendapatantahunan penghasilan gaji
        """
    ),
    "score": _words(
        """
        score spendingscore spendscore spending spendingindex shoppingscore customerscore
        mallscore purchasescore ausgabenscore ausgabenindex scoredépenses
        scoredepenses scorededépenses scorededepenses puntuacióndegasto puntuaciondegasto
        puntuacióngasto puntuaciongasto índicedegasto pontuaçãodegastos pontuacaodegastos
        pontuaçãodegasto pontuacaodegasto скоррасходов оценкарасходов рейтинграсходов
        баллрасходов индексрасходов skorbelanja skorpengeluaran
        """
    ),
}

# Parts of compound headers ("Jahreseinkommen", "Ausgaben-Score", "оценка трат клиента"):
# a header holding one of these stems names the field, when no exact synonym did.
_INCOME_STEMS = (
    "income", "salary", "einkommen", "gehalt", "salaire", "ingreso", "salario", "renda",
    "доход", "зарплат", "pendapatan", "penghasilan", "gaji",
)  # fmt: skip
_SPEND_STEMS = (
    "spending", "spend", "ausgab", "dépens", "depens", "gasto", "расход", "трат", "belanja",
    "pengeluaran",
)  # fmt: skip
_SCORE_STEMS = (
    "score", "index", "indice", "índice", "punt", "pontua", "оценк", "балл", "рейтинг", "индекс",
    "скор", "skor",
)  # fmt: skip

# Headers such as "Annual Income (k$)", "Spending Score [1-100]", "Income, €", "Income in Rs".
_BRACKETED = re.compile(r"[\(\[\{]([^\)\]\}]*)[\)\]\}]")
_TRAILING_UNIT = re.compile(
    r"(?:,|\bin\b)\s*([^\w\s]{1,3}|k\W?|[A-Za-z]{3}|rs\.?|thousands?)\s*$", re.I
)
_RANGE = re.compile(r"(-?\d+(?:[.,]\d+)?)\s*(?:-|–|—|to|\.\.)\s*(-?\d+(?:[.,]\d+)?)")
_THOUSANDS = re.compile(
    r"^(?:k\W*|\W+k|.*thousand.*|.*'?000s?.*|tsd.*|тыс.*|mil(?:es)?\b.*)$", re.I
)


@dataclass(frozen=True)
class HeaderInfo:
    """What a header says: which field it names, its unit and its stated range."""

    field: str | None
    unit: str | None
    value_range: tuple[float, float] | None


def read_header(header: str) -> HeaderInfo:
    """Work out the canonical field, unit and range a header names.

    ``Annual Income (k$)`` -> income in ``k$``; ``Spending Score (1-100)`` -> score in 1..100;
    ``Genre`` -> gender; ``Customer ID`` -> customer_id; ``Region`` -> no field.
    """
    unit: str | None = None
    value_range: tuple[float, float] | None = None
    base = header
    for inner in _BRACKETED.findall(header):
        found = _RANGE.search(inner)
        if found and value_range is None:
            value_range = (_to_float(found.group(1)), _to_float(found.group(2)))
        elif inner.strip() and unit is None:
            unit = inner.strip()
    base = _BRACKETED.sub(" ", base)
    trailing = _TRAILING_UNIT.search(base)
    if trailing and unit is None:
        unit = trailing.group(1).strip()
        base = base[: trailing.start()]
    if value_range is None:
        found = _RANGE.search(base)
        if found:
            value_range = (_to_float(found.group(1)), _to_float(found.group(2)))
            base = base[: found.start()] + base[found.end() :]
    key = normalise_name(base)
    return HeaderInfo(_field_for(key), unit, value_range)


def is_thousands_unit(unit: str | None) -> bool:
    """Whether a header unit says the values are thousands (``k$``, ``'000``, ``thousands``)."""
    return bool(unit) and bool(_THOUSANDS.match(unit.strip() if unit else ""))


def looks_like_id_name(header: str) -> bool:
    """Whether a header reads like an identifier or code rather than a measurement."""
    key = normalise_name(header)
    if key in SYNONYMS["customer_id"]:
        return True
    words = re.findall(r"[a-z]+", re.sub(r"([a-z])([A-Z])", r"\1 \2", header).lower())
    return bool(words) and words[-1] in {"id", "no", "nr", "number", "code", "key", "num"}


def _field_for(key: str) -> str | None:
    """The canonical field a normalised header names, or ``None``."""
    if not key:
        return None
    for field, names in SYNONYMS.items():
        if key in names:
            return field
    if key.endswith("id") and key[:-2] in {"customer", "cust", "client", "member", "user"}:
        return "customer_id"
    if any(stem in key for stem in _INCOME_STEMS) or ("revenu" in key and "revenue" not in key):
        return "income"
    if any(stem in key for stem in _SPEND_STEMS) and any(stem in key for stem in _SCORE_STEMS):
        return "score"
    return None


def _to_float(text: str) -> float:
    """Parse a number from a header range, accepting a decimal comma."""
    return float(text.replace(",", "."))
