"""Member exports with headers and gender values in other languages read as the English one."""

from __future__ import annotations

import io

import pandas as pd
import pytest
from sklearn.metrics import adjusted_rand_score

from segmentation import SegmentOptions, load_customers, rank_targets, segment_customers

# The mall file's five columns, then its gender values, as exports in other languages write them.
EXPORTS = {
    "de": (
        ["Kunden-ID", "Geschlecht", "Alter", "Jahreseinkommen (k€)", "Ausgabenscore (1-100)"],
        {"Male": "männlich", "Female": "weiblich"},
    ),
    "fr": (
        ["Identifiant client", "Sexe", "Âge", "Revenu annuel (k€)", "Score de dépenses (1-100)"],
        {"Male": "Homme", "Female": "Femme"},
    ),
    "ru": (
        ["ID клиента", "Пол", "Возраст", "Годовой доход (тыс. $)", "Оценка расходов (1-100)"],
        {"Male": "Мужской", "Female": "Женский"},
    ),
    "es": (
        ["ID cliente", "Sexo", "Edad", "Ingreso anual (miles $)", "Puntuación de gasto (1-100)"],
        {"Male": "Hombre", "Female": "Mujer"},
    ),
    "pt_BR": (
        ["ID do cliente", "Gênero", "Idade", "Renda anual (mil R$)", "Pontuação de gastos (1-100)"],
        {"Male": "Masculino", "Female": "Feminino"},
    ),
    "id": (
        [
            "ID Pelanggan",
            "Jenis Kelamin",
            "Umur",
            "Pendapatan Tahunan (k$)",
            "Skor Belanja (1-100)",
        ],
        {"Male": "Laki-laki", "Female": "Perempuan"},
    ),
}


def _translated(frame: pd.DataFrame, language: str) -> bytes:
    headers, genders = EXPORTS[language]
    out = frame.copy()
    out.iloc[:, 1] = out.iloc[:, 1].map(genders)
    out.columns = headers
    return out.to_csv(index=False).encode()


@pytest.fixture(scope="module")
def english() -> pd.DataFrame:
    from segmentation.sample import sample_frame

    return sample_frame(300, seed=11)


@pytest.mark.parametrize("language", sorted(EXPORTS))
def test_a_foreign_export_gives_the_same_segments_names_and_target(
    english: pd.DataFrame, language: str
) -> None:
    options = SegmentOptions(features=("age", "income", "score"), k=6)
    base = load_customers(english.to_csv(index=False).encode(), "members.csv")
    other = load_customers(_translated(english, language), f"members-{language}.csv")

    assert list(other.customers.columns) == list(base.customers.columns)
    pd.testing.assert_series_equal(
        other.customers["gender"], base.customers["gender"], check_names=False
    )
    pd.testing.assert_frame_equal(
        other.customers[["age", "income", "score"]], base.customers[["age", "income", "score"]]
    )
    first, second = segment_customers(base, options), segment_customers(other, options)
    labels = [s.assignments["segment"].sort_index().to_numpy() for s in (first, second)]
    assert adjusted_rand_score(*labels) == 1.0
    assert [s.persona.name for s in first.segments] == [s.persona.name for s in second.segments]
    assert rank_targets(first)[0].number == rank_targets(second)[0].number


def test_spending_value_columns_are_not_a_spending_score() -> None:
    from segmentation.ingest.headers import read_header

    for header in ("Ausgabenwert", "Gastos totales", "Total spend", "Revenue", "Deals purchases"):
        assert read_header(header).field is None, header
    frame = pd.read_csv(io.StringIO("Kundennummer,Ausgabenwert\n1,10\n"))
    assert read_header(str(frame.columns[0])).field == "customer_id"
