"""Persona names and descriptions come from where each centre stands in the population."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from segmentation.display import format_value, friendly_label
from segmentation.model import segment_customers
from segmentation.personas import _generic_name
from segmentation.result import SegmentOptions
from segmentation.standing import level_of


def test_levels_and_labels() -> None:
    assert level_of(1.0) == "high" and level_of(-0.8) == "low" and level_of(0.2) == "average"
    assert friendly_label("MntWines", {}) == "spend on wines"
    assert friendly_label("CASH_ADVANCE", {}) == "cash advance"
    assert friendly_label("NumWebPurchases", {}) == "number of web purchases"
    assert friendly_label("income", {"income": "Annual Income (k$)"}) == "income"
    assert friendly_label("x1", {"x1": "Monthly visits (count)"}) == "monthly visits"
    assert friendly_label("CASH_ADVANCE_TRX", {}) == "cash advance transactions"
    assert friendly_label("ONEOFF_PURCHASES", {}) == "one-off purchases"
    assert friendly_label("Detergents_Paper", {}) == "detergents and paper"
    assert format_value(3200.0) == "3,200"
    assert format_value(0.423) == "0.42"


def test_money_reads_as_people_write_it_whatever_the_header() -> None:
    assert format_value(86.4, "k$") == "$86k"
    assert format_value(86.4, "$k") == "$86k"
    assert format_value(86.4, "k€") == "€86k"
    assert format_value(1200.0, "€") == "€1,200"
    assert format_value(86.4, "'000 EUR") == "€86k"
    assert format_value(1200.0, "USD") == "$1,200"
    assert format_value(86.4, "thousands") == "86k"
    assert format_value(82.0, "1-100") == "82/100"
    assert format_value(45.0, "%") == "45%"
    assert format_value(3.0, "years") == "3 years"
    assert format_value(-12.0, "$") == "-$12"


def test_mall_personas_describe_income_score_and_age(frame_table, mall_frame) -> None:
    seg = segment_customers(
        frame_table(mall_frame, units={"income": "k$"}),
        SegmentOptions(features=("income", "score")),
    )
    rich = next(s for s in seg.segments if s.persona.name == "Affluent big spenders")
    assert rich.persona.description.startswith("Income ~$87k (high); spending score ~82 (high)")
    # the quartiles are half the segment, and the size is not repeated here
    assert "; half aged " in rich.persona.description
    assert "mostly" not in rich.persona.description
    assert "% of customers" not in rich.persona.description
    assert rich.persona.action
    assert len({s.persona.name for s in seg.segments}) == seg.k


def test_age_prefixes_names_when_clustered(frame_table, mall_frame) -> None:
    seg = segment_customers(
        frame_table(mall_frame), SegmentOptions(features=("age", "income", "score"))
    )
    names = [s.persona.name for s in seg.segments]
    for segment in seg.segments:
        # people are younger or older, not "low" or "high"
        assert not re.search(r"age ~\d+ \((?:low|high)\)", segment.persona.description)
        if segment.persona.name.startswith("Young"):
            assert "(younger), half " in segment.persona.description
    assert len(set(names)) == len(names)
    assert any(name.startswith("Young") for name in names)
    assert "Affluent big spenders" in names


def test_generic_columns_get_high_low_names(frame_table) -> None:
    rng = np.random.default_rng(1)
    centres = [(5000, 100), (200, 3000), (1000, 1000)]
    rows = np.vstack([rng.normal(c, (150, 60), size=(40, 2)) for c in centres])
    frame = pd.DataFrame(rows, columns=["BALANCE", "PURCHASES"])
    seg = segment_customers(frame_table(frame), SegmentOptions(k=3))
    names = {s.persona.name for s in seg.segments}
    # familiar kinds of column give persona names, not column lists
    assert "High-balance customers" in names
    assert "Big spenders" in names
    assert len(names) == 3
    for segment in seg.segments:
        assert "balance ~" in segment.persona.description.lower()


def test_behaviour_names_a_segment_before_an_average_income(frame_table) -> None:
    rng = np.random.default_rng(2)
    # Same income level in both groups; only "visits" separates them.
    rows = np.vstack([rng.normal((50, v), (10, 0.5), size=(30, 2)) for v in (2, 20)])
    frame = pd.DataFrame(rows, columns=["income", "visits"])
    seg = segment_customers(frame_table(frame), SegmentOptions(k=2))
    names = sorted(s.persona.name for s in seg.segments)
    assert names == ["Frequent visitors", "Rare visitors"]


def _two_groups(columns: list[str], centres: list[tuple[float, ...]], seed: int = 3):
    rng = np.random.default_rng(seed)
    rows = np.vstack([rng.normal(c, 1.0, size=(40, len(c))) for c in centres])
    return pd.DataFrame(rows, columns=columns)


def test_unfamiliar_columns_name_one_or_two_different_things() -> None:
    # "grocery share" speaks of grocery again, so the name pairs grocery with milk
    place = {"Grocery": 1.6, "Grocery_Share": 1.4, "Milk": 1.2, "Frozen": -0.1}
    assert _generic_name(place, {})[0] == "High grocery and milk"
    place = {"Grocery": 1.6, "Milk": -1.2}
    assert _generic_name(place, {})[0] == "High grocery, low milk"
    assert _generic_name({"Grocery": 0.2}, {})[0] == "Typical customers"


def test_credit_card_columns_read_as_personas(frame_table) -> None:
    columns = ["CASH_ADVANCE", "CASH_ADVANCE_TRX", "PURCHASES", "ONEOFF_PURCHASES"]
    centres = [(0, 0, 1, 1), (40, 40, 1, 1), (0, 0, 40, 40)]
    seg = segment_customers(frame_table(_two_groups(columns, centres)), SegmentOptions(k=3))
    by_name = {s.persona.name: s.persona for s in seg.segments}
    assert set(by_name) == {"Cash-advance users", "Big spenders", "Light spenders"}
    assert "instalment" in by_name["Cash-advance users"].action
    assert "cash advance transactions ~" in by_name["Cash-advance users"].description


def test_age_goes_in_front_of_a_familiar_column(frame_table) -> None:
    centres = [(25, 5), (25, 1), (65, 1)]
    frame = _two_groups(["age", "Family_Size"], centres)
    seg = segment_customers(frame_table(frame), SegmentOptions(k=3))
    names = {s.persona.name for s in seg.segments}
    assert "Young large families" in names
    assert "Older small households" in names
    for segment in seg.segments:
        assert "lift their family size" not in segment.persona.action


def test_twin_names_are_told_apart_by_the_number_that_differs_most(frame_table) -> None:
    # Two careful high-earner groups, a little apart on income, far apart on age.
    rng = np.random.default_rng(4)
    groups = [(88, 15, 25), (76, 15, 60), (30, 80, 40), (55, 50, 40)]
    rows = np.vstack([rng.normal(g, (2, 2, 2), size=(30, 3)) for g in groups])
    frame = pd.DataFrame(rows, columns=["income", "score", "age"])
    seg = segment_customers(frame_table(frame), SegmentOptions(k=4, features=("income", "score")))
    names = {s.persona.name for s in seg.segments}
    assert {"Careful high earners, younger", "Careful high earners, older"} <= names
    assert not any(name.endswith("(2)") for name in names)


def test_a_trait_with_nothing_to_act_on_leaves_the_action_to_the_next() -> None:
    from segmentation.personas import _action

    # few cash advances is no problem to fix; the low balance says what to do
    place = {"CASH_ADVANCE_FREQUENCY": -1.4, "BALANCE": -1.0, "MINIMUM_PAYMENTS": 0.1}
    action = _action(place, None, {})
    assert "cash advance" not in action.lower()
    assert action == "Encourage everyday use with a cashback offer."
