"""Personas in the reader's language: every word the engine wrote is translated, the customer's
own column names and values stay as written, and nothing is lost on the way.

A pseudo-language shows what was translated: its catalog returns every text as written with
each run of words wrapped in ⟦…⟧ (placeholders kept), so what is left outside the brackets was
never looked up.
"""

from __future__ import annotations

import re
import string
import time
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from answers import DATASET_CASES
from babel.messages.extract import extract_from_dir

from segmentation import personas as made
from segmentation import planted
from segmentation.display import friendly_label
from segmentation.errors import IngestError, SegmentationError
from segmentation.ingest import CustomerTable, load_customers
from segmentation.ingest.purchases import AGGREGATES, SCORES
from segmentation.model import segment_customers
from segmentation.persona_words import ENGINE_LABELS, PURCHASE_LABELS, _localised, localise
from segmentation.result import Persona, Segmentation, SegmentOptions
from segmentation.sample import purchase_log_csv, sample_csv
from segmentation.words import ENGLISH, Words

ROOT = Path(__file__).resolve().parent.parent
#: Every text the pseudo-language was asked for, to check each one is marked.
LOOKED_UP: set[str] = set()


def _wrapped(message: str) -> str:
    """``"{name}, {trait}"`` -> ``"{name}⟦, ⟧{trait}"``: the words wrapped, placeholders kept."""
    LOOKED_UP.add(message)
    out = []
    for literal, field, _spec, _conversion in string.Formatter().parse(message):
        if literal:
            out.append(f"⟦{literal}⟧")
        if field is not None:
            out.append(f"{{{field}}}")
    return "".join(out)


PSEUDO = Words(
    language="xx",
    gettext=_wrapped,
    plural_forms=lambda one, many, n: _wrapped(one if n == 1 else many),
)


def _unwrapped(text: str) -> str:
    return text.replace("⟦", "").replace("⟧", "")


def _customer_words(table: CustomerTable) -> list[str]:
    """The customer's own words a persona may quote: column labels, text values, units."""
    found = set()
    for column in (*table.numeric, *table.attributes):
        label = friendly_label(column, table.labels)
        if label not in ENGINE_LABELS:
            found.add(label)
    for column in table.attributes:
        if column == "gender":
            continue  # said as women or men, in the engine's words
        found.update(str(value) for value in table.customers[column].dropna().unique())
    found.update(unit.strip() for unit in table.units.values() if unit.strip())
    return sorted(found, key=len, reverse=True)


def _left_in_english(text: str, customer: list[str]) -> str:
    """What is left of a localised text once translated words, the customer's words and
    numbers are taken out: nothing, when every word the engine wrote was translated."""
    text = re.sub(r"⟦[^⟦⟧]*⟧", " ", text)
    for words in customer:
        text = re.sub(re.escape(words), " ", text, flags=re.IGNORECASE)
    text = re.sub(r"[$€£¥]?-?\d[\d,.]*k?", " ", text)
    return " ".join(re.findall(r"[A-Za-z]+", text))


def _check(table: CustomerTable, seg: Segmentation) -> list[Persona]:
    """Every persona of a run reads back whole and leaves no English word behind."""
    customer = _customer_words(table)
    personas = [segment.persona for segment in seg.segments]
    for persona in personas:
        assert localise(persona, ENGLISH) is persona
        shown = localise(persona, PSEUDO)
        for english, local in zip(
            (persona.name, persona.description, persona.action),
            (shown.name, shown.description, shown.action),
            strict=True,
        ):
            assert not _left_in_english(local, customer), (english, local)
            # read back and written again, the same words in the same order
            assert _unwrapped(local).lower() == english.lower(), (english, local)
    return personas


def _run(table: CustomerTable, **options: Any) -> list[Persona]:
    return _check(table, segment_customers(table, SegmentOptions(**options)))


def _load(frame: pd.DataFrame, name: str) -> CustomerTable:
    return load_customers(frame.to_csv(index=False).encode(), name)


@pytest.fixture(scope="module")
def sample() -> CustomerTable:
    return load_customers(sample_csv(), "customers.csv")


@pytest.mark.parametrize(
    "features",
    [None, ("income", "score"), ("age", "income", "score"), ("age", "score"), ("income",)],
)
def test_the_sample_reads_in_another_language(sample, features) -> None:
    names = [p.name for p in _run(sample, features=features)]
    if features and "age" in features:
        assert any(name.startswith(("Young", "Older")) for name in names)


PLANTED = [
    planted.skewed_tiers,
    planted.structure_with_noise,
    planted.noise_column,
    planted.categorical_groups,
    planted.one_blob,
    planted.uniform_noise,
]


@pytest.mark.parametrize("make", PLANTED, ids=lambda make: make.__name__)
def test_planted_tables_read_in_another_language(make) -> None:
    frame, _truth = make()
    _run(_load(frame, f"{make.__name__}.csv"))


def test_a_text_column_said_in_a_name_stays_as_written() -> None:
    frame, _truth = planted.categorical_groups()
    table = _load(frame, "tiers.csv")
    names = [p.name for p in _run(table, features=("Membership tier", "Annual spend"))]
    assert any(name.endswith("membership tier Gold") for name in names)
    gold = next(n for n in names if n.endswith("Gold"))
    assert localise(Persona(gold, "", ""), PSEUDO).name.endswith("⟧membership tier Gold")


@pytest.mark.parametrize(
    "features", [None, ("recency", "frequency", "spend", "gender"), ("recency", "avg_order")]
)
def test_purchase_log_classes_and_figures_read_in_another_language(features) -> None:
    table = load_customers(purchase_log_csv(), "purchases.csv")
    personas = _run(table, features=features)
    if features is None:
        assert {p.name for p in personas} <= {
            "Champions", "Loyal customers", "New customers", "Promising", "Need attention",
            "At risk", "Can't lose them", "Hibernating", "Lost",
        }  # fmt: skip


def _wholesale(seed: int, age: bool = False) -> pd.DataFrame:
    """A wholesale-style table: spend per product line, no income or score."""
    rng = np.random.default_rng(seed)
    lines = ["Fresh", "Milk", "Grocery", "Frozen", "Detergents_Paper", "Delicassen"]
    centres = rng.uniform(500, 20_000, size=(5, len(lines)))
    rows = np.vstack([rng.lognormal(np.log(c), 0.3, size=(60, len(lines))) for c in centres])
    frame = pd.DataFrame(np.round(rows), columns=lines)
    if age:
        frame.insert(0, "Age", rng.integers(18, 75, len(frame)))
    return frame


@pytest.mark.parametrize("k", [None, 2, 4, 6, 8])
@pytest.mark.parametrize("age", [False, True])
def test_a_table_of_unfamiliar_columns_reads_in_another_language(k, age) -> None:
    table = _load(_wholesale(seed=21, age=age), "wholesale.csv")
    names = [p.name for p in _run(table, k=k)]
    assert len(set(names)) == len(names)


def test_twins_credit_cards_and_families_read_in_another_language(frame_table) -> None:
    rng = np.random.default_rng(4)
    groups = [(88, 15, 25), (76, 15, 60), (30, 80, 40), (55, 50, 40)]
    rows = np.vstack([rng.normal(g, (2, 2, 2), size=(30, 3)) for g in groups])
    twins = frame_table(pd.DataFrame(rows, columns=["income", "score", "age"]))
    names = {p.name for p in _run(twins, k=4, features=("income", "score"))}
    assert "Careful high earners, older" in names
    columns = ["CASH_ADVANCE", "CASH_ADVANCE_TRX", "PURCHASES", "ONEOFF_PURCHASES", "age"]
    centres = [(0, 0, 1, 1, 20), (40, 40, 1, 1, 40), (0, 0, 40, 40, 60), (0, 40, 0, 40, 40)]
    rows = np.vstack([rng.normal(c, 1.0, size=(40, len(c))) for c in centres])
    _run(frame_table(pd.DataFrame(rows, columns=columns)), k=4)
    rows = np.vstack([rng.normal(c, 1.0, size=(40, 2)) for c in [(25, 5), (25, 1), (65, 1)]])
    _run(frame_table(pd.DataFrame(rows, columns=["age", "Family_Size"])), k=3)


PUBLIC_FILES = DATASET_CASES


@pytest.mark.parametrize("name", PUBLIC_FILES)
def test_public_files_read_in_another_language(datasets_dir: Path, name: str) -> None:
    try:
        table = load_customers((datasets_dir / name).read_bytes(), name)
        seg = segment_customers(table)
    except (IngestError, SegmentationError):
        pytest.skip(f"{name} is refused with a reason, so it has no personas")
    _check(table, seg)
    if "age" in table.numeric and {"income", "score"} <= set(table.numeric):
        _run(table, features=("age", "income", "score"))


# Every way personas.py puts a name together, read back.


def _name(name: str, description: str = "") -> str:
    return localise(Persona(name, description, ""), PSEUDO).name


@pytest.mark.parametrize(
    ("name", "read"),
    [
        ("Careful high earners, older", "⟦Careful high earners⟧⟦, ⟧⟦older⟧"),
        (
            "Careful high earners, higher spend on wines",
            "⟦Careful high earners⟧⟦, ⟧⟦higher ⟧spend on wines",
        ),
        ("Careful high earners, lower income", "⟦Careful high earners⟧⟦, ⟧⟦lower ⟧⟦income⟧"),
        ("Big spenders (2)", "⟦Big spenders⟧⟦ (⟧2⟦)⟧"),
        ("Big spenders (mostly women)", "⟦Big spenders⟧⟦ (⟧⟦mostly women⟧⟦)⟧"),
        (
            "Big spenders, high age (all men), younger",
            "⟦Big spenders⟧⟦, ⟧⟦high ⟧⟦age⟧⟦ (⟧⟦all men⟧⟦)⟧⟦, ⟧⟦younger⟧",
        ),
        (
            "Young affluent big spenders, large families, membership tier Gold, mostly women",
            "⟦Young ⟧⟦Affluent big spenders⟧⟦, ⟧⟦Large families⟧⟦, ⟧membership tier Gold"
            "⟦, ⟧⟦mostly women⟧",
        ),
        ("Membership tier Gold, all men", "Membership tier Gold⟦, ⟧⟦all men⟧"),
        ("Champions, low age", "⟦Champions⟧⟦, ⟧⟦low ⟧⟦age⟧"),
        ("Middle-aged typical customers", "⟦Middle-aged ⟧⟦Typical customers⟧"),
        ("Young high grocery and milk", "⟦Young ⟧⟦High ⟧grocery⟦ and ⟧milk"),
        ("Older high grocery, low milk", "⟦Older ⟧⟦high ⟧grocery⟦, ⟧⟦low ⟧milk"),
        ("Low total spend", "⟦Low ⟧⟦total spend⟧"),
        ("High-balance customers, high spend", "⟦High-balance customers⟧⟦, ⟧⟦high ⟧spend"),
    ],
)
def test_every_kind_of_name_reads_back(name, read) -> None:
    assert _name(name, "Grocery ~9,000 (high); milk ~8,000 (high).") == read


def _every_core_name() -> list[str]:
    """Every name ``make_personas`` can start a name with, bar those of column levels."""
    ageable = [*made.PAIR_NAMES.values(), *made.INCOME_NAMES.values(), *made.SCORE_NAMES.values()]
    names = [*ageable, *made.AGE_NAMES.values(), *made.RFM_ACTIONS, *made.PERSONA_NAMES]
    for age, template in made.AGED.items():
        kinds = [*made.PERSONA_NAMES, *(ageable if age != "average" else [])]
        names += [template.format(name=name[0].lower() + name[1:]) for name in kinds]
    return names


def test_every_name_the_tables_make_reads_back() -> None:
    for core in _every_core_name():
        for name in (core, f"{core}, large families, mostly men (2)", f"{core}, higher income"):
            read = _name(name)
            assert not _left_in_english(read, []), (name, read)
            assert _unwrapped(read).lower() == name.lower()


def test_labels_that_could_be_cut_two_ways_are_cut_as_the_description_names_them() -> None:
    name = "High detergents and paper and milk"
    described = "Detergents and paper ~3,000 (high); milk ~9,000 (high)."
    assert _name(name, described) == "⟦High ⟧detergents and paper⟦ and ⟧milk"
    assert _name("High detergents and paper", described) == "⟦High ⟧detergents and paper"
    # nothing says where one label ends: the name stays as written, not cut at random
    assert _name(name) == name
    # a comma inside a label is one only when the description names it so
    assert _name("High fruit, veg", "Fruit, veg ~3 (high).") == "⟦High ⟧fruit, veg"


def test_what_cannot_be_read_stays_as_written() -> None:
    persona = Persona("Weekend shoppers", "Something else entirely", "Call them on Sundays.")
    assert localise(persona, PSEUDO) == persona


@pytest.mark.parametrize(
    ("description", "read"),
    [
        (
            "Close to the typical customer; half aged 30–40. All men.",
            "⟦close to the typical customer⟧⟦; half aged ⟧30⟦–⟧40. ⟦all men⟧.",
        ),
        (
            "Last purchase ~1 day ago (low); orders ~2.5 (low); spend ~n/a (average).",
            "⟦last purchase⟧⟦ ~⟧1⟦ day ago⟧⟦ (low)⟧; ⟦orders⟧⟦ ~⟧2.5⟦ (low)⟧;"
            " spend⟦ ~⟧⟦n/a⟧⟦ (average)⟧.",
        ),
        (
            "Balance ~-$12 (low); tenure ~3 years (high); score ~82/100 (high).",
            "Balance⟦ ~⟧-$12⟦ (low)⟧; tenure⟦ ~⟧3 years⟦ (high)⟧; score⟦ ~⟧82/100⟦ (high)⟧.",
        ),
        (
            "Age ~25 (younger); last purchase ~6.9 days ago (low), half 20–29.",
            "⟦age⟧⟦ ~⟧25⟦ (younger)⟧; ⟦last purchase⟧⟦ ~⟧6.9⟦ days ago⟧⟦ (low)⟧⟦, half ⟧20⟦–⟧29.",
        ),
    ],
)
def test_descriptions_read_back_part_by_part(description, read) -> None:
    assert localise(Persona("", description, ""), PSEUDO).description == read


def test_numbers_are_written_as_the_language_writes_them() -> None:
    words = Words(language="xx", number=lambda value, digits=0: f"<{value:.{digits}f}>")
    persona = Persona("", "Income ~$1,234k (high); orders ~2.5 (low); half aged 20–29.", "")
    described = localise(persona, words).description
    assert described == "Income ~$<1234>k (high); orders ~<2.5> (low); half aged <20>–<29>."


def test_actions_with_a_label_read_back() -> None:
    action = "Build on their high spend on wines: offer them related products first."
    assert localise(Persona("", "", action), PSEUDO).action == (
        "⟦Build on their high ⟧spend on wines⟦: offer them related products first.⟧"
    )
    action = "Find out why their income is low, then test a targeted offer."
    assert localise(Persona("", "", action), PSEUDO).action == (
        "⟦Find out why their ⟧⟦income⟧⟦ is low, then test a targeted offer.⟧"
    )


def test_a_purchase_logs_labels_are_the_engines_words() -> None:
    labels = {name: label for name, (label, _unit) in AGGREGATES.items()} | SCORES
    assert {friendly_label(column, labels) for column in labels} == set(PURCHASE_LABELS)


def test_every_text_looked_up_is_marked_for_translation() -> None:
    """Runs after the tests above (file order): each text they looked up is in the catalogs."""
    keywords = {"N_": None, "ngettext": (1, 2)}
    marked = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
        str(ROOT / "segmentation"), keywords=keywords
    ):
        marked.update([message] if isinstance(message, str) else message)
    _run(load_customers(sample_csv(), "customers.csv"), features=("age", "income", "score"))
    assert LOOKED_UP and not LOOKED_UP - marked, sorted(LOOKED_UP - marked)


def test_localising_a_run_takes_well_under_a_millisecond_a_persona(sample) -> None:
    personas = [
        s.persona
        for table, options in [
            (sample, SegmentOptions(features=("age", "income", "score"))),
            (_load(_wholesale(seed=21, age=True), "wholesale.csv"), SegmentOptions(k=8)),
            (load_customers(purchase_log_csv(), "p.csv"), SegmentOptions()),
        ]
        for s in segment_customers(table, options).segments
    ]
    rounds = 20
    start = time.perf_counter()
    for _ in range(rounds):
        for persona in personas:
            _localised.__wrapped__(persona, PSEUDO)  # not the cache: the reading itself
    each = (time.perf_counter() - start) / (rounds * len(personas))
    assert each < 0.5e-3, f"{each * 1e6:.0f} µs a persona"
