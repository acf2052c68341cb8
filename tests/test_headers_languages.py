"""Customer files exported in German, Russian, Spanish, Portuguese, Indonesian and French read
as the English one: the same columns, segments, persona names and targets."""

from __future__ import annotations

import io
from dataclasses import dataclass

import pandas as pd
import pytest

from segmentation import (
    CustomerTable,
    IngestError,
    Segmentation,
    load_customers,
    rank_targets,
    sample_csv,
    segment_customers,
)
from segmentation.ingest.glossary import english_words
from segmentation.ingest.headers import is_thousands_unit, read_header
from segmentation.planted import skewed_tiers
from segmentation.sample import purchase_log_frame

MALL_GENDERS = ("Male", "Female")


@dataclass(frozen=True)
class Export:
    """How a member system in one language writes the mall file's five columns."""

    headers: tuple[str, ...]
    genders: tuple[str, str]
    sep: str = ","
    decimal_comma: bool = False
    encoding: str = "utf-8"


EXPORTS: dict[str, Export] = {
    "de": Export(
        ("Kundennummer", "Geschlecht", "Alter", "Jahreseinkommen (k€)", "Ausgabenscore (1-100)"),
        ("männlich", "weiblich"),
        sep=";",
        decimal_comma=True,
        encoding="cp1252",
    ),
    "de-short": Export(
        (
            "Kunden-ID",
            "Geschlecht (m/w)",
            "Alter (Jahre)",
            "Einkommen (Tsd. €)",
            "Ausgaben-Score (1 bis 100)",
        ),
        ("m", "w"),
    ),
    "ru": Export(
        ("ID клиента", "Пол", "Возраст", "Годовой доход (тыс. $)", "Оценка трат (1-100)"),
        ("Мужской", "Женский"),
        sep=";",
        decimal_comma=True,
    ),
    "ru-short": Export(
        (
            "Номер клиента",
            "Пол (м/ж)",
            "Возраст, лет",
            "Доход, тыс. руб.",
            "Индекс трат (от 1 до 100)",
        ),
        ("М", "Ж"),
    ),
    "es": Export(
        ("id_cliente", "Sexo", "Edad", "Ingreso anual (miles $)", "Puntuación de gasto (1-100)"),
        ("Hombre", "Mujer"),
    ),
    "es-short": Export(
        (
            "Código del cliente",
            "Género",
            "Edad (años)",
            "Renta anual (k€)",
            "Puntaje de gasto (1-100)",
        ),
        ("Masculino", "Femenino"),
        sep=";",
        decimal_comma=True,
    ),
    "pt_BR": Export(
        (
            "Código do cliente",
            "Gênero",
            "Idade",
            "Renda anual (R$ mil)",
            "Pontuação de gastos (1-100)",
        ),
        ("Masculino", "Feminino"),
        sep=";",
        decimal_comma=True,
    ),
    "pt_BR-short": Export(
        (
            "ID do cliente",
            "Sexo",
            "Idade (anos)",
            "Renda (mil R$)",
            "Pontuação de gastos (1 a 100)",
        ),
        ("Homem", "Mulher"),
    ),
    "id": Export(
        (
            "ID Pelanggan",
            "Jenis Kelamin",
            "Umur",
            "Pendapatan Tahunan (ribu $)",
            "Skor Belanja (1-100)",
        ),
        ("Laki-laki", "Perempuan"),
    ),
    "id-short": Export(
        (
            "Nomor pelanggan",
            "Jenis kelamin (L/P)",
            "Usia",
            "Penghasilan (k$)",
            "Skor pengeluaran (1-100)",
        ),
        ("L", "P"),
    ),
    "fr": Export(
        ("Identifiant client", "Sexe", "Âge", "Revenu annuel (k€)", "Score de dépenses (1-100)"),
        ("Homme", "Femme"),
        sep=";",
        decimal_comma=True,
        encoding="utf-8-sig",
    ),
    "fr-short": Export(
        (
            "N° client",
            "Genre",
            "Âge (ans)",
            "Revenus annuels (milliers €)",
            "Score de dépenses (de 1 à 100)",
        ),
        ("H", "F"),
    ),
}


def _export(english: pd.DataFrame, export: Export) -> bytes:
    """The English frame (text cells) as the member system of a language writes it."""
    frame = english.copy()
    gender, income = frame.columns[1], frame.columns[3]
    frame[gender] = frame[gender].map(dict(zip(MALL_GENDERS, export.genders, strict=True)))
    if export.decimal_comma:
        frame[income] = frame[income].astype("float64")
    frame.columns = list(export.headers)
    text = frame.to_csv(index=False, sep=export.sep, decimal="," if export.decimal_comma else ".")
    return text.encode(export.encoding)


def _english(frame: pd.DataFrame, export: Export) -> Export:
    """The English file laid out as ``export`` is (delimiter, decimal comma, encoding)."""
    headers = tuple(str(h) for h in frame.columns)
    return Export(headers, MALL_GENDERS, export.sep, export.decimal_comma, export.encoding)


def _read(data: bytes) -> pd.DataFrame:
    """A mall file as text cells (ids keep their leading zeros)."""
    return pd.read_csv(io.BytesIO(data), dtype=str)


def _same_in(data: bytes, language: str) -> None:
    """The file written in ``language`` gives the same answers as in English."""
    frame, export = _read(data), EXPORTS[language]
    _assert_same_answers(_export(frame, _english(frame, export)), _export(frame, export))


_ANSWERS: dict[bytes, tuple[CustomerTable, Segmentation]] = {}


def _answers(data: bytes) -> tuple[CustomerTable, Segmentation]:
    """The table and the segmentation of a file (each English file is read once)."""
    if data not in _ANSWERS:
        table = load_customers(data, "members.csv")
        _ANSWERS[data] = (table, segment_customers(table))
    return _ANSWERS[data]


def _assert_same_answers(english: bytes, other: bytes) -> None:
    """Same roles, customers, features, k, assignments, persona names and targets."""
    base, first = _answers(english)
    table = load_customers(other, "members.csv")
    second = segment_customers(table)
    roles = [(c.field, c.kind) for c in base.receipt.columns]
    assert [(c.field, c.kind) for c in table.receipt.columns] == roles
    pd.testing.assert_frame_equal(table.customers, base.customers)
    assert second.features == first.features
    assert len(second.segments) == len(first.segments) == first.k_choice.k
    pd.testing.assert_series_equal(second.assignments["segment"], first.assignments["segment"])
    assert _names(second) == _names(first)
    assert _targets(second) == _targets(first)


def _names(seg: Segmentation) -> list[str]:
    return [segment.persona.name for segment in seg.segments]


def _targets(seg: Segmentation) -> list[tuple[int, str]]:
    return [(target.number, target.kind) for target in rank_targets(seg)]


@pytest.fixture(scope="module")
def sample() -> bytes:
    return sample_csv(200, seed=3)


@pytest.mark.parametrize("language", list(EXPORTS))
def test_the_sample_in_another_language_gives_the_same_answers(
    sample: bytes, language: str
) -> None:
    _same_in(sample, language)


@pytest.mark.parametrize("language", ["de", "ru", "es-short", "pt_BR", "id-short", "fr"])
def test_the_mall_file_in_another_language_gives_the_same_answers(
    mall_bytes: bytes, language: str
) -> None:
    _same_in(mall_bytes, language)


def test_the_receipt_shows_the_managers_own_headers(sample: bytes) -> None:
    export = EXPORTS["de"]
    table = load_customers(_export(_read(sample), export), "kunden.csv")
    assert tuple(c.source for c in table.receipt.columns) == export.headers
    fields = [c.field for c in table.receipt.columns]
    assert fields == ["customer_id", "gender", "age", "income", "score"]
    assert table.units["income"] == "k€"


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("Kundennummer", "customer_id"),
        ("Kunden-Nr.", "customer_id"),
        ("Mitgliedsnummer", "customer_id"),
        ("номер клиента", "customer_id"),
        ("Номер покупателя", "customer_id"),
        ("código do cliente", "customer_id"),
        ("Numéro de client", "customer_id"),
        ("Nomor Pelanggan", "customer_id"),
        ("GESCHLECHT", "gender"),
        ("Пол клиента", "gender"),
        ("Sexo del cliente", "gender"),
        ("jenis_kelamin", "gender"),
        ("Kundenalter", "age"),
        ("Alter in Jahren", "age"),
        ("AGE", "age"),
        ("age du client", "age"),
        ("Возраст клиента", "age"),
        ("Edad del cliente", "age"),
        ("Umur pelanggan", "age"),
        ("Einkommen (Tsd. €)", "income"),
        ("Renta bruta anual", "income"),
        ("доход.семьи", "income"),
        ("Penghasilan per tahun", "income"),
        ("Ausgaben-Score", "score"),
        ("score_de_depenses", "score"),
        ("Оценка расходов", "score"),
        ("pontuacao-de-gastos", "score"),
        ("Skor belanja", "score"),
    ],
)
def test_headers_in_other_languages(header: str, field: str) -> None:
    assert read_header(header).field == field


@pytest.mark.parametrize(
    "header",
    [
        "Geschäft",
        "Geschäftsjahr",
        "Altersgruppe",
        "polo_shirts",
        "Polo",
        "Полис",
        "Половина",
        "Ausgabenwert",
        "Gastos totales",
        "Renta variable",
        "Rentabilidad",
        "Parental status",
        "Nombre del cliente",
        "Nama pelanggan",
        "Nomor telepon pelanggan",
        "Usia anak",
        "Kunde seit",
        "Client age",
    ],
)
def test_a_header_holding_a_short_word_by_accident_is_not_taken(header: str) -> None:
    assert read_header(header).field is None


def test_a_column_named_by_accident_stays_what_it_is() -> None:
    lines = ["Kundennummer;Geschäft;polo_shirts;Alter"] + [
        f"{n};{n % 4 + 1};{n % 7};{20 + n % 50}" for n in range(1, 41)
    ]
    table = load_customers("\n".join(lines).encode(), "kunden.csv")
    fields = {c.source: c.field for c in table.receipt.columns}
    assert fields["Alter"] == "age"
    assert fields["Geschäft"] == "Geschäft" and fields["polo_shirts"] == "polo_shirts"
    assert "gender" not in table.customers.columns


@pytest.mark.parametrize(
    ("header", "values", "expected"),
    [
        (
            "Geschlecht",
            ["männlich", "WEIBLICH", "Männl.", "k. A."],
            ["Male", "Female", "Male", None],
        ),
        ("Geschlecht", ["m", "w", "d", "w"], ["Male", "Female", "Other", "Female"]),
        ("Sexe", ["H", "F", "h", "f"], ["Male", "Female", "Male", "Female"]),
        ("Пол", ["М", "Ж", "муж.", "жен."], ["Male", "Female", "Male", "Female"]),
        ("Sexo", ["Hombre", "Mujer", "masculino", "femenino"], ["Male", "Female"] * 2),
        ("Gênero", ["Homem", "Mulher", "Masculino", "Feminino"], ["Male", "Female"] * 2),
        ("Jenis kelamin", ["L", "P", "Lk", "Pr"], ["Male", "Female", "Male", "Female"]),
        ("Jenis kelamin", ["Laki-laki", "Perempuan", "Pria", "Wanita"], ["Male", "Female"] * 2),
    ],
)
def test_gender_values_in_other_languages(
    header: str, values: list[str], expected: list[str | None]
) -> None:
    rows = [f"{n},{values[n % len(values)]},{20 + n}" for n in range(24)]
    table = load_customers("\n".join([f"id,{header},age", *rows]).encode())
    got = table.customers["gender"].tolist()
    assert [None if pd.isna(v) else v for v in got] == [
        expected[n % len(values)] for n in range(24)
    ]


@pytest.mark.parametrize(
    ("header", "values"),
    [("Sexo", ["H", "M"]), ("Gender", ["M", "F", "P"]), ("Sexe", ["H", "F", "L", "P"])],
)
def test_letters_of_no_one_language_are_left_as_written(header: str, values: list[str]) -> None:
    # Spanish H/M is hombre/mujer, where M is a woman: the letters are not guessed.
    rows = [f"{n},{values[n % len(values)]},{20 + n}" for n in range(24)]
    data = "\n".join([f"id,{header},age", *rows]).encode()
    table = load_customers(data)
    role = next(c for c in table.receipt.columns if c.source == header)
    assert role.kind == "attribute" and "gender" not in table.customers.columns
    assert set(table.customers[role.field]) == set(values)
    with pytest.raises(IngestError):
        load_customers(data, meanings={header: "gender"})


@pytest.mark.parametrize(
    ("unit", "thousands"),
    [
        ("k€", True),
        ("тыс. $", True),
        ("$ тыс.", True),
        ("Tsd. €", True),
        ("R$ mil", True),
        ("mil R$", True),
        ("miles $", True),
        ("milliers €", True),
        ("ribu Rp", True),
        ("juta Rp", False),
        ("$ mil", False),
        ("руб.", False),
    ],
)
def test_thousands_units_in_other_languages(unit: str, thousands: bool) -> None:
    assert is_thousands_unit(unit) is thousands


# The planted spend tiers: spending and visits, named by their kind of column.
PLANTED = {
    "de": ("Mitgliedsnummer", "Geschlecht", "Jahresausgaben ($)", "Besuche pro Monat"),
    "ru": ("Номер клиента", "Пол", "Траты за год ($)", "Визиты в месяц"),
    "es": ("Número de socio", "Sexo", "Gasto anual ($)", "Visitas por mes"),
    "pt_BR": ("Número do cliente", "Gênero", "Gastos anuais (R$)", "Visitas por mês"),
    "id": ("Nomor anggota", "Jenis kelamin", "Belanja tahunan (Rp)", "Kunjungan per bulan"),
    "fr": ("N° de client", "Sexe", "Dépenses annuelles (€)", "Visites par mois"),
}


@pytest.fixture(scope="module")
def tiers() -> pd.DataFrame:
    return skewed_tiers(600)[0]


@pytest.mark.parametrize("language", list(PLANTED))
def test_kinds_of_column_in_another_language_give_the_same_personas(
    tiers: pd.DataFrame, language: str
) -> None:
    genders = dict(zip(MALL_GENDERS, EXPORTS[language].genders, strict=True))
    other = tiers.copy()
    other["Gender"] = other["Gender"].map(genders)
    other.columns = list(PLANTED[language])
    _, first = _answers(tiers.to_csv(index=False).encode())
    second = segment_customers(load_customers(other.to_csv(index=False).encode()))
    pd.testing.assert_series_equal(second.assignments["segment"], first.assignments["segment"])
    assert _names(first) == ["Rare visitors", "Moderate spenders", "Big spenders"]
    assert _names(second) == _names(first)
    assert _targets(second) == _targets(first)


LOGS = {
    "de": ("Rechnungsnummer", "Kundennummer", "Rechnungsdatum", "Betrag", "Filiale", "Geschlecht"),
    "ru": ("Номер чека", "Номер клиента", "Дата покупки", "Сумма", "Магазин", "Пол"),
    "id": ("No. faktur", "ID Pelanggan", "Tanggal transaksi", "Jumlah", "Toko", "Jenis kelamin"),
}


@pytest.fixture(scope="module")
def purchase_log() -> pd.DataFrame:
    return purchase_log_frame(300)[0]


@pytest.mark.parametrize("language", list(LOGS))
def test_a_purchase_log_in_another_language_gives_the_same_answers(
    purchase_log: pd.DataFrame, language: str
) -> None:
    log = purchase_log
    letters = {"de": ("m", "w"), "ru": ("М", "Ж"), "id": ("L", "P")}[language]
    other = log.copy()
    other["Gender"] = other["Gender"].map(dict(zip(("M", "F"), letters, strict=True)))
    other.columns = list(LOGS[language])
    _assert_same_answers(log.to_csv(index=False).encode(), other.to_csv(index=False).encode())


def test_kinds_of_column_are_glossed_in_english_only_for_other_languages() -> None:
    assert english_words("Besuche pro Monat") == "visits"
    assert english_words("Anzahl Kinder") == "children"
    assert "children" in english_words("Количество детей").split()
    assert "recency" in english_words("Días desde la última compra").split()
    for english in ("Visits per month", "MntWines", "NumDealsPurchases", "Kidhome", "Recency"):
        assert english_words(english) == ""
