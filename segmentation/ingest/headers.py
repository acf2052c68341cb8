"""Recognise columns by what their header means, and read units and ranges from headers.

Headers are compared without regard to case, accents, spaces and punctuation: ``Âge``, ``AGE``
and ``age`` are one header, and so are ``Возраст`` and ``возраст``. A header names a field when
it is one of the field's synonyms (:data:`SYNONYMS`: English, German, French, Spanish,
Portuguese, Russian, Indonesian); failing that, by its parts:

- an income word anywhere (``Jahreseinkommen``, ``Renda familiar``);
- a spending word together with a score word (``Ausgaben-Score``, ``score de dépenses``), so a
  spending amount (``Ausgabenwert``) is never the spending score;
- in the other languages, a synonym with nothing around it but words for "customer", articles
  and units (``Возраст клиента``, ``Edad del cliente``, ``Alter in Jahren``, ``Kundenalter``),
  or a word for customer with a word for number or id (``Nomor pelanggan``,
  ``código do cliente``, ``Mitgliedsnummer``). English headers are read as they always were.

Units and ranges come from brackets (``(k€)``, ``(тыс. $)``, ``(1-100)``, ``(от 1 до 100)``)
or after a comma (``Доход, тыс. руб.``); a thousands unit (``k``, ``тыс.``, ``Tsd.``, ``mil``,
``miles``, ``ribu``) is read as English ``k$`` is.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass


def fold(text: str) -> str:
    """``text`` as lower-case letters and digits, accents dropped (``Âge`` -> ``age``)."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if ch.isalnum())


def _words(text: str) -> frozenset[str]:
    """The whitespace-separated words of ``text``, folded."""
    return frozenset(fold(word) for word in text.split())


# Headers (folded: lower-case letters and digits only, accents and unit in brackets removed)
# that name each canonical field. Matching is exact on these, then by the parts below.
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
        kundencode kundenkennung kdnummer mitgliedsnummer mitgliedsnr mitgliedernummer
        kundenkartennummer kartennummer codigodocliente numerodocliente numerodecliente
        codcliente nrocliente nrodecliente numerodesocio nsocio idsocio numerodeclient
        refclient referenceclient numeroadherent numerodecarte numerodetarjeta numerodocartao
        nopelanggan idpembeli nomormember nomorkartu номерпокупателя idпокупателя
        кодпокупателя номеркарты идклиента cliente покупатель
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
        edadaños alterjahre возрастлет idadeanos umurtahun lebensalter
        """
    ),
    "income": _words(
        """
        income annualincome yearlyincome householdincome salary annualsalary yearlysalary
        monthlyincome earnings wage wages ingresos ingreso einkommen revenu revenus доход
        зарплата renda reddito jahreseinkommen jahresgehalt gehalt salaire revenuannuel
        ingresoanual ingresosanuales salario salarioanual rendaanual rendimento годовойдоход
        доходвгод pendapatan pendapatantahunan penghasilan gaji renta rentaanual rendimentos
        rendimentoanual
        """
    ),
    "score": _words(
        """
        score spendingscore spendscore spending spendingindex shoppingscore customerscore
        mallscore purchasescore ausgabenscore ausgabenindex scoredépenses
        scoredepenses scorededépenses scorededepenses puntuacióndegasto puntuaciondegasto
        puntuacióngasto puntuaciongasto índicedegasto pontuaçãodegastos pontuacaodegastos
        pontuaçãodegasto pontuacaodegasto скоррасходов оценкарасходов рейтинграсходов
        баллрасходов индексрасходов skorbelanja skorpengeluaran einkaufsscore
        puntuaciondecompras pontuacaodecompras scoredachat skorpembelian индекспокупок
        """
    ),
}

# Parts of compound headers ("Jahreseinkommen", "Ausgaben-Score", "оценка трат клиента"):
# a header holding one of these stems names the field, when no exact synonym did.
_INCOME_STEMS = tuple(fold(stem) for stem in (
    "income", "salary", "einkommen", "gehalt", "salaire", "ingreso", "salario", "renda",
    "доход", "зарплат", "pendapatan", "penghasilan", "gaji", "einkünfte", "заработ",
))  # fmt: skip
_SPEND_STEMS = tuple(fold(stem) for stem in (
    "spending", "spend", "ausgab", "dépens", "depens", "gasto", "расход", "трат", "belanja",
    "pengeluaran", "despesa",
))  # fmt: skip
_SCORE_STEMS = tuple(fold(stem) for stem in (
    "score", "index", "indice", "índice", "punt", "pontua", "оценк", "балл", "рейтинг", "индекс",
    "скор", "skor", "indeks", "punkt",
))  # fmt: skip

# The parts a header in another language may hold around a synonym: words for "customer",
# articles and prepositions, units of age and words that qualify an income ("Edad del cliente",
# "Возраст клиента", "Renta bruta anual"). Each is folded.
_CUSTOMER_WORDS = _words(
    """
    kunde kunden kundin client clients cliente clientes клиент клиента клиентов покупатель
    покупателя pelanggan konsumen pembeli mitglied mitglieds membre socio sócio adherent
    adhérent участник участника member
    """
)
_ID_WORDS = _words(
    """
    id ид n no nr nro num nummer numero número code codigo código cod kode nomor номер код
    identifiant identificador identifikasi kennung ref reference référence referencia
    """
)
_FILLER_WORDS = _words(
    """
    de del do da dos das du des d la le l el los las der die dem den en em in im pro par por
    per dalam dari yang в во по у для al au aux na
    """
)
_QUALIFIER_WORDS = _words(
    """
    jahre jahren jahr лет года годы anos ans années tahun thn anual anuales anuais annuel annuelle
    annuels annuelles jahres jährlich годовой годовая годовые tahunan pertahun mensual mensal
    bulanan monatlich mensuel месячный bruto bruta brut brute brutto netto neto neta nette
    liquido líquida bersih kotor familiar familial familiale keluarga семейный hogar
    """
)
# These are English words too: they alone do not make a header foreign.
_ENGLISH_WORDS = _words(
    "id n no nr num cod code ref reference client clients member in per pro d l"
)
_DROPPABLE = _CUSTOMER_WORDS | _FILLER_WORDS | _QUALIFIER_WORDS
_FOREIGN_WORDS = (_DROPPABLE | _ID_WORDS) - _ENGLISH_WORDS
# German compounds: "Kundenalter", "Kundengeschlecht", "Mitgliedsnummer".
_GERMAN_CUSTOMER = re.compile(r"^(?:kunden|mitglieds|mitglieder)(.+)$")

# Headers such as "Annual Income (k$)", "Spending Score [1-100]", "Income, €", "Income in Rs".
_BRACKETED = re.compile(r"[\(\[\{]([^\)\]\}]*)[\)\]\}]")
_TRAILING_UNIT = re.compile(
    r"(?:,|\bin\b)\s*([^\w\s]{1,3}|k\W?|[A-Za-z]{3}|rs\.?|thousands?)\s*$", re.I
)
# The same in the other languages: "Доход, тыс. руб.", "Ingreso en miles de $", "Renda em mil".
_FOREIGN_TRAILING_UNIT = re.compile(
    r"(?:,|\b(?:in|en|em|dalam|в)\b)\s*((?:тыс\w*|tsd|tausend|mil|miles|milliers|ribu|rb|juta)"
    r"(?:\.|\b).*|[а-яё]{3}\.?)\s*$",
    re.I,
)
_RANGE = re.compile(r"(-?\d+(?:[.,]\d+)?)\s*(?:-|–|—|to|\.\.)\s*(-?\d+(?:[.,]\d+)?)")
# "(от 1 до 100)", "(1 bis 100)", "(de 1 a 100)", "(1 hingga 100)".
_FOREIGN_RANGE = re.compile(
    r"(-?\d+(?:[.,]\d+)?)\s+(?:до|bis|a|à|ate|até|hingga|sampai|s/d)\s+(-?\d+(?:[.,]\d+)?)", re.I
)
_THOUSANDS = re.compile(
    r"^(?:k\W*|\W+k|.*thousand.*|.*'?000s?.*|tsd.*|тыс.*|mil(?:es)?\b.*)$", re.I
)
# Thousands anywhere in a unit: "$ тыс.", "€ Tsd.", "Rp ribu", "R$ mil" ("$ mil" stays
# unread: in English it may mean millions).
_FOREIGN_THOUSANDS = re.compile(
    r"(?<!\w)(?:тыс\w*|tsd|tausend|miles|milliers|ribu|rb)(?!\w)|(?:r\$|brl)\s*mil(?!\w)", re.I
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
    ``Genre`` -> gender; ``Customer ID`` -> customer_id; ``Region`` -> no field;
    ``Jahreseinkommen (k€)`` -> income in ``k€``; ``Возраст клиента`` -> age.
    """
    unit: str | None = None
    value_range: tuple[float, float] | None = None
    base = header
    for inner in _BRACKETED.findall(header):
        found = _RANGE.search(inner) or _FOREIGN_RANGE.search(inner)
        if found and value_range is None:
            value_range = (_to_float(found.group(1)), _to_float(found.group(2)))
        elif inner.strip() and unit is None:
            unit = inner.strip()
    base = _BRACKETED.sub(" ", base)
    trailing = _TRAILING_UNIT.search(base) or _FOREIGN_TRAILING_UNIT.search(base)
    if trailing and unit is None:
        unit = trailing.group(1).strip()
        base = base[: trailing.start()]
    if value_range is None:
        found = _RANGE.search(base) or _FOREIGN_RANGE.search(base)
        if found:
            value_range = (_to_float(found.group(1)), _to_float(found.group(2)))
            base = base[: found.start()] + base[found.end() :]
    field = _field_for(fold(base)) or _field_by_parts(base)
    return HeaderInfo(field, unit, value_range)


def is_thousands_unit(unit: str | None) -> bool:
    """Whether a header unit says the values are thousands (``k$``, ``'000``, ``тыс. $``)."""
    text = unit.strip() if unit else ""
    return bool(text) and bool(_THOUSANDS.match(text) or _FOREIGN_THOUSANDS.search(text))


def looks_like_id_name(header: str) -> bool:
    """Whether a header reads like an identifier or code rather than a measurement."""
    key = fold(header)
    if key in SYNONYMS["customer_id"]:
        return True
    words = re.findall(r"[a-z]+", re.sub(r"([a-z])([A-Z])", r"\1 \2", header).lower())
    if bool(words) and words[-1] in {"id", "no", "nr", "number", "code", "key", "num"}:
        return True
    # "Filialnummer", "Número de tarjeta", "Nomor kartu", "Код магазина".
    parts = _parts(header)
    foreign = _ID_WORDS - _ENGLISH_WORDS
    return bool(parts) and (
        parts[0] in foreign or parts[-1] in foreign or parts[-1].endswith("nummer")
    )


def _field_for(key: str) -> str | None:
    """The canonical field a folded header names, or ``None``."""
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


def _parts(header: str) -> list[str]:
    """A header's words, folded (``Edad del cliente`` -> ``edad``, ``del``, ``cliente``)."""
    spaced = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", header)
    return [part for part in (fold(word) for word in re.split(r"[\W_]+", spaced)) if part]


def _field_by_parts(base: str) -> str | None:
    """The field a header in another language names by its parts, or ``None``.

    Only a header with a word that is not English (or a letter outside ASCII) is read so,
    which keeps every English header read as it always was.
    """
    parts = _parts(base)
    if not parts:
        return None
    if len(parts) == 1:
        compound = _GERMAN_CUSTOMER.match(parts[0])
        if compound is None:
            return None
        rest = compound.group(1)
        if rest in _ID_WORDS:
            return "customer_id"
        return _field_for(rest)
    if base.isascii() and not any(part in _FOREIGN_WORDS for part in parts):
        return None
    customer = any(part in _CUSTOMER_WORDS for part in parts)
    named = [part for part in parts if part not in _FILLER_WORDS]
    if customer and all(p in _CUSTOMER_WORDS or p in _ID_WORDS for p in named):
        return "customer_id" if any(p in _ID_WORDS for p in named) else None
    kept = "".join(part for part in parts if part not in _DROPPABLE)
    field = _field_for(kept) if kept else None
    return None if field == "customer_id" else field


def _to_float(text: str) -> float:
    """Parse a number from a header range, accepting a decimal comma."""
    return float(text.replace(",", "."))
