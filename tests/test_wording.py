"""The bot's sentences: escaped, within Telegram's limits, numbers formatted for people."""

from __future__ import annotations

import dataclasses
import re
from dataclasses import replace
from zoneinfo import ZoneInfo

import pandas as pd
import pytest
from fake_bot_api import parse_html

from bot.commands import MENU
from bot.replies import Button, texts
from bot.text import access as access_text
from bot.text import compare as compare_text
from bot.text import datasets as datasets_text
from bot.text import help as help_text
from bot.text import resegment as resegment_text
from bot.text import segments as segments_text
from bot.text import target as target_text
from bot.text import upload as upload_text
from bot.text import whois as whois_text
from bot.text.format import (
    CAPTION_LIMIT,
    MAX_NUMBERS,
    MESSAGE_LIMIT,
    feature_name,
    fit_caption,
    fmt_int,
    fmt_pp,
    fmt_signed,
    fmt_value,
    plain_text,
    split_message,
    value_text,
)
from segmentation import load_customers, purchase_log_csv, segment_customers
from segmentation.display import whole_percents
from segmentation.ingest.table import ColumnRole, Receipt, SkippedRows
from segmentation.movement import Comparison, Transition
from segmentation.result import (
    CustomerLookup,
    KChoice,
    Persona,
    Quality,
    Segment,
    Segmentation,
    SegmentOptions,
    TargetRank,
)
from segmentation.targeting import rank_targets

HOSTILE = "<b>Spend & Save</b>"
EMOJI = re.compile("[\U0001f300-\U0001faff\u2600-\u27bf]")


#: What the ranking rests on for a file with a spending score and an income.
MALL_BASIS = {"spend": ("score",), "means": ("income",)}


def segment(number: int, name: str = "", size: int = 10) -> Segment:
    """A segment with plausible numbers."""
    return Segment(
        number=number,
        size=size,
        share=size / 100,
        persona=Persona(name or f"Persona {number}", f"About {name}.", f"Do {name}."),
        centroid={"income": 55.4 + number, "score": 50.0},
        mean={"age": 38.6, "income": 55.4 + number, "score": 50.0},
        median={"age": 38.0, "income": 55.0, "score": 50.0},
        gender_mix={"Female": 0.6, "Male": 0.4},
        top_attributes={"City": [(HOSTILE, 0.5)]},
        quartiles={"age": (30.0, 45.0)},
    )


def segmentation(names: list[str], choice: KChoice | None = None) -> Segmentation:
    """A hand-made segmentation with one segment per name."""
    k = len(names)
    return Segmentation(
        options=SegmentOptions(),
        features=("income", "score"),
        scaler_mean=(0.0, 0.0),
        scaler_scale=(1.0, 1.0),
        centers=tuple((0.0, 0.0) for _ in names),
        k_choice=choice or KChoice(k=k, auto=True, scores={k: 0.55}, runner_up=k + 1,
                                   runner_up_reason="splits_a_group"),
        quality=Quality(0.55, 0.6, 250.0, 0.9),
        segments=tuple(segment(i + 1, name) for i, name in enumerate(names)),
        assignments=pd.DataFrame(),
        labels={"income": "Annual Income (k$)", "score": "Spending Score (1-100)"},
        units={"income": "k$"},
    )  # fmt: skip


def receipt(**changes: object) -> Receipt:
    """A receipt with a hostile header and skipped rows."""
    values: dict[str, object] = {
        "filename": "mall & co <2024>.csv",
        "size_bytes": 4096,
        "encoding": "utf-8",
        "delimiter": ",",
        "rows_read": 1_234_567,
        "rows_used": 1_234_560,
        "columns": (
            ColumnRole("Customer <ID>", "customer_id", "id"),
            ColumnRole("Annual Income (k$)", "income", "numeric", unit="k$"),
            ColumnRole(HOSTILE, HOSTILE, "numeric"),
            ColumnRole("Notes & more", "Notes & more", "ignored", note="too many distinct values"),
        ),
        "skipped": (SkippedRows("out_of_range", "age", 7, (5, 9, 12), "0–120"),),
    }
    values.update(changes)
    return Receipt(**values)  # type: ignore[arg-type]


def check(message: str, limit: int = MESSAGE_LIMIT) -> str:
    """Assert ``message`` is HTML Telegram accepts, within ``limit``; return its plain text."""
    plain = parse_html(message)
    assert plain.strip()
    assert len(plain) <= limit
    for line in plain.splitlines():
        assert len(EMOJI.findall(line)) <= 1, line
    return plain


def test_numbers_are_formatted_for_people() -> None:
    assert fmt_int(1234567) == "1,234,567"
    assert fmt_value(87.4, "k$") == "$87k"
    assert fmt_value(5.25, "k$") == "$5.2k"
    assert fmt_value(82, "1-100") == "82/100"
    # the same money format as the persona descriptions, whatever the header said
    assert fmt_value(87.4, "k€") == "€87k"
    assert fmt_value(1234.0, "EUR") == "€1,234"
    assert fmt_value(-12.0, "$") == "−$12"
    assert fmt_value(38.6, None) == "39"
    assert fmt_value(float("nan"), None) == "–"
    assert fmt_signed(12) == "+12" and fmt_signed(-3) == "−3" and fmt_signed(0) == "0"
    assert fmt_pp(0.035) == "+3.5 pp"


def test_the_k_explanation_reads_as_one_sentence() -> None:
    choice = KChoice(k=5, auto=True, scores={5: 0.554}, runner_up=6,
                     runner_up_reason="splits_a_group")  # fmt: skip
    assert segments_text.k_explanation(choice) == (
        "5 segments: the clearest separation; 6 would split a group in two."
    )
    assert segments_text.k_explanation(choice, scores=True) == (
        "5 segments: the clearest separation (silhouette 0.55); 6 would split a group in two."
    )
    judged = Quality(0.554, 0.6, 250.0, 0.97, reference=0.381, verdict="clear")
    near = KChoice(k=5, auto=True, scores={4: 0.54, 5: 0.554, 6: 0.55}, runner_up=6, near=(4, 6))
    assert segments_text.k_explanation(near, judged, scores=True) == (
        "5 segments: the clearest separation (silhouette 0.55; 0.38 for customers with no "
        "groups); anything from 4 to 6 separates about as well."
    )
    edge = KChoice(k=10, auto=True, scores={10: 0.3, 8: 0.29}, runner_up=8, near=(8,),
                   at_edge=True)  # fmt: skip
    assert segments_text.k_explanation(edge, judged).endswith(
        "; 8 would separate about as well. 10 is the most I tried, so more might fit (/k N to ask)."
    )
    nothing = Quality(0.30, 1.0, 850.0, 0.79, reference=0.29, verdict="none")
    bands = segments_text.k_explanation(KChoice(k=3, auto=True, scores={3: 0.3}), nothing)
    assert "clearest" not in bands and "separation" not in bands
    assert bands.startswith("3 segments as bands: no number of segments separates")
    merged = KChoice(k=3, auto=True, scores={3: 0.4}, runner_up=2, runner_up_reason="merges_groups")
    assert segments_text.k_explanation(merged).endswith("2 would merge two groups.")
    fixed = KChoice(k=4, auto=False)
    assert (
        segments_text.k_explanation(fixed) == "4 segments, as you asked (/k auto lets me choose)."
    )
    kept = KChoice(k=6, auto=True, scores={6: 0.40, 7: 0.41}, runner_up=7, kept_previous=True)
    assert segments_text.k_explanation(kept) == (
        "6 segments as last time (7 separates only slightly better; /k auto chooses afresh)."
    )


def test_the_receipt_escapes_file_values_and_names_skipped_lines() -> None:
    text = upload_text.receipt(receipt())
    plain = check(text)
    assert "<b>Spend" not in text.replace("<b>mall", "")
    assert "&lt;b&gt;Spend &amp; Save&lt;/b&gt;" in text
    assert "1,234,567 rows read, 1,234,560 used" in plain
    assert "Customer id: Customer <ID>\n" in plain
    assert "Numbers: Annual Income (k$), <b>Spend & Save</b>\n" in plain
    # three lines are named of the seven: the rest are counted, not hidden
    assert "Skipped 7 rows: age out of range (0–120), lines 5, 9, 12 and 4 more." in plain
    assert "Notes & more (too many distinct values)" in plain


def test_the_receipt_says_how_spending_levels_were_read() -> None:
    note = "levels Low/Average/High read as 25/50/75"
    columns = (
        ColumnRole("Spending_Score", "score", "numeric", note=note),
        ColumnRole("Spend <level>", "score", "numeric", note=note),
        ColumnRole("Visits", "Visits", "numeric", note="constant"),
    )
    plain = check(upload_text.receipt(receipt(columns=columns)))
    assert (
        "Numbers: Spending_Score (levels Low/Average/High read as 25/50/75), "
        "Spend <level> (as spending score; levels Low/Average/High read as 25/50/75), Visits\n"
    ) in plain


def test_the_receipt_of_a_later_upload_says_how_many_segments_matched() -> None:
    plain = check(
        upload_text.receipt(
            receipt(ids_generated=True), matched=4, previous_k=5, similarity=0.934,
            new_segments=1, vanished_segments=1,
        )
    )  # fmt: skip
    # "structure 93% similar" was jargon; the count of new and gone comes first
    assert "4 of 5 segments matched (1 new segment, 1 gone), 93% alike." in plain
    assert "numbered the rows" in plain


def test_the_receipt_says_which_of_two_rows_with_one_id_was_kept() -> None:
    skipped = (SkippedRows("duplicate_id", "customer_id", 1, (202,), "repeated id"),)
    plain = check(upload_text.receipt(receipt(skipped=skipped)))
    assert "Skipped 1 row: repeated id (the first row with it is kept), line 202." in plain


def test_the_receipt_of_an_unrelated_file_does_not_offer_a_comparison() -> None:
    plain = check(
        upload_text.receipt(
            receipt(), matched=0, previous_k=3, similarity=0.0, new_segments=2,
            vanished_segments=3,
        )
    )  # fmt: skip
    assert "Nothing in common with the last upload's segments, so no one to compare." in plain
    assert "/compare" not in plain and "0 of 3" not in plain


def test_a_receipt_with_hundreds_of_columns_stays_within_the_limit() -> None:
    columns = tuple(ColumnRole(f"column {i} " + "x" * 80, f"c{i}", "numeric") for i in range(500))
    check(upload_text.receipt(receipt(columns=columns)))


def test_segment_answers_escape_persona_names_and_fit() -> None:
    seg = segmentation([HOSTILE, "Careful high earners", "A & B"])
    caption = segments_text.overview_caption(seg, "<x>.csv", TargetRank(1, 2, 0.7, "grow", {}))
    plain = check(caption, CAPTION_LIMIT)
    assert "1 · <b>Spend & Save</b> — 10%" in plain
    assert "Top target: segment 2 (Careful high earners)" in plain
    assert "<b>&lt;b&gt;Spend &amp; Save&lt;/b&gt;</b>" in caption
    for message in segments_text.segments_list(seg) + segments_text.segment_detail(seg, 1):
        check(message)
    listing = plain_text(segments_text.segments_list(seg)[0])
    assert "income $55k · spending score 50 · age 38 · 60% female" in listing
    detail = plain_text(segments_text.segment_detail(seg, 1)[0])
    # the quartiles hold half the segment: "mostly" would overstate it
    assert "age: median 38, middle half 30–45" in detail
    assert "city: <b>Spend & Save</b> 50%" in detail


def test_gaps_in_the_segment_numbers_take_one_line_per_kind() -> None:
    seg = segmentation(["A", "B", "C", "D", "E", "F", "G", "H", "I", "J"])
    kept = tuple(s for s in seg.segments if s.number in (2, 6, 9, 10))
    seg = replace(seg, segments=kept, centers=seg.centers[: len(kept)])
    # 1 went somewhere (traced); 3, 4, 5 vanished just now with none of their customers in the
    # file; 7 and 8 are older gaps
    gone = {1: [(2, 30), (6, 12)], 3: [], 4: [], 5: []}
    listing = plain_text(segments_text.segments_list(seg, gone)[0])
    gaps = [line for line in listing.splitlines() if line.startswith("No segment")]
    assert gaps == [
        "No segment 1: it disappeared at the last change; its customers went to 2 (30) and 6 (12).",
        "No segments 3, 4 and 5: they disappeared at the last change, and none of their "
        "customers could be found in this file. A number just in use is never given to a new "
        "segment.",
        "No segments 7 and 8: they disappeared at earlier changes. Numbers stay with their "
        "segments, so the others keep theirs.",
    ]
    one = replace(seg, segments=tuple(s for s in seg.segments if s.number != 9))
    single = plain_text(segments_text.segments_list(one, {3: []})[0])
    assert "No segment 3: it disappeared at the last change, and none of its customers" in single
    assert "No segments 1, 4, 5, 7, 8 and 9: they disappeared at earlier changes." in single


def test_the_receipt_groups_columns_by_what_they_became() -> None:
    columns = (
        ColumnRole("ID", "customer_id", "id"),
        ColumnRole("Genre", "gender", "gender"),
        ColumnRole("Revenu annuel", "income", "numeric", unit="k€"),
        ColumnRole("Annual Income (k$)", "Annual Income (k$)", "numeric"),
        ColumnRole("Region", "Region", "attribute"),
        *(ColumnRole(f"C{i}", f"C{i}", "numeric") for i in range(14)),
    )
    plain = check(upload_text.receipt(receipt(columns=columns, skipped=())))
    lines = plain.splitlines()
    assert lines[1] == "Customer id: ID"
    # a header that does not say what it became is explained; the list stops at 12
    assert lines[2].startswith("Numbers: Revenu annuel (as income), Annual Income (k$), C0,")
    assert lines[2].endswith("C9 and 4 more")
    assert lines[3] == "Also profiled: Genre (as gender), Region"


def test_shares_shown_together_add_up_to_100() -> None:
    assert whole_percents([0.415, 0.115, 0.47]) == [41, 12, 47]
    assert whole_percents([0.42, 0.2, 0.16, 0.115, 0.105]) == [42, 20, 16, 11, 11]
    assert whole_percents([0.405, 0.195, 0.175, 0.115, 0.11]) == [40, 19, 18, 12, 11]
    assert whole_percents([0.1, 0.1]) == [10, 10]  # part of a whole stays as it is
    assert sum(whole_percents([1 / 3] * 3)) == 100
    assert whole_percents([]) == []
    seg = segmentation(["A", "B", "C"])
    sizes = (83, 23, 94)  # 41.5%, 11.5%, 47%: rounded alone they make 100% only by luck
    seg = dataclasses.replace(
        seg,
        segments=tuple(
            dataclasses.replace(s, size=n, share=n / 200)
            for s, n in zip(seg.segments, sizes, strict=True)
        ),
    )
    caption = plain_text(segments_text.overview_caption(seg, "x.csv"))
    assert "3 · C — 47%\n1 · A — 41%\n2 · B — 12%" in caption
    listing = plain_text(segments_text.segments_list(seg)[0])
    assert "1. A — 83 (41%)" in listing and "2. B — 23 (12%)" in listing
    # one segment alone says the same share as the list
    detail = plain_text(segments_text.segment_detail(seg, 2)[0])
    assert "23 customers, 12% of all." in detail


def test_segment_detail_says_its_target_rank_once_clearly() -> None:
    seg = segmentation(["A", "B"])
    rank = TargetRank(2, 1, 0.4, "retain", {"spend": 0.9, "means": 0.5, "size": 0.5}, MALL_BASIS)
    detail = plain_text(segments_text.segment_detail(seg, 1, rank)[0])
    assert detail.startswith("Segment 1: A\n")
    assert "🎯 Target rank 2 of 2 — keep them spending: already spend a lot." in detail


def test_the_ranking_says_nothing_of_spending_without_a_spending_column() -> None:
    seg = dataclasses.replace(
        segmentation(["A", "B"]),
        population={"age": (18.0, 40.0, 70.0), "Family_Size": (1.0, 3.0, 9.0)},
        features=("age", "Family_Size"),
        labels={},
    )
    drivers = {"spend": 0.1, "means": 0.5, "size": 0.9}
    rank = rank_targets(seg)[0]
    assert rank.basis == {"spend": (), "means": ()}
    unmeasured = TargetRank(1, 1, 0.4, "grow", drivers, rank.basis)
    assert target_text.target_reason(unmeasured) == "room to grow: a large group"
    mall_like = dataclasses.replace(
        segmentation(["A", "B"]),
        population={"income": (15.0, 60.0, 137.0), "score": (1.0, 50.0, 99.0)},
    )
    with_score = rank_targets(mall_like)[0]
    assert with_score.basis["spend"] == ("score",)
    measured = TargetRank(1, 1, 0.4, "grow", drivers, with_score.basis)
    assert "spend little so far" in target_text.target_reason(measured)


def test_a_middling_segment_is_not_said_to_spend_a_lot() -> None:
    rank = TargetRank(1, 1, 0.3, "monitor", {"spend": 0.62, "means": 0.5, "size": 0.9}, MALL_BASIS)
    assert target_text.target_reason(rank) == "keep an eye on them: a large group"


def test_the_ranking_names_each_segment_like_everywhere_else() -> None:
    seg = segmentation(["A & B", "C"])
    ranks = [
        TargetRank(1, 2, 0.66, "grow", {"spend": 0.1, "means": 0.9, "size": 0.5}, MALL_BASIS),
        TargetRank(2, 1, 0.2, "monitor", {"spend": 0.5, "means": 0.5, "size": 0.5}, MALL_BASIS),
    ]
    plain = plain_text("\n".join(target_text.targets(seg, ranks)))
    assert "1. Segment 2 (C)\n    room to grow: spend little so far, high income\n" in plain
    assert plain.endswith("2. Segment 1 (A & B)\n    keep an eye on them")
    assert "0.66" not in plain and "0–1" not in plain


def test_blank_answers_never_reach_the_chat() -> None:
    replies = texts(["", "  \n", "<b></b>"])
    assert [r.html for r in replies] == [help_text.nothing_to_show()]
    buttons = ((Button("1", "/segment 1"),),)
    replies = texts(["first", ""], buttons)
    assert len(replies) == 1 and replies[0].html == "first" and replies[0].buttons == buttons


def test_greetings_and_thanks_get_a_fitting_answer() -> None:
    assert "ready in 6 segments" in plain_text(help_text.welcome_back("mall.csv", 6))
    assert "<b>&lt;x&gt;.csv</b>" in help_text.welcome_back("<x>.csv", 2)
    assert help_text.thanks().startswith("You're welcome")


def test_long_answers_are_split_and_captions_cut() -> None:
    names = [f"Segment name {i} " + "&" * 300 for i in range(30)]
    seg = segmentation(names)
    messages = segments_text.segments_list(seg)
    assert len(messages) > 1
    for message in messages:
        check(message)
    check(segments_text.overview_caption(seg, "f.csv"), CAPTION_LIMIT)
    ranks = [TargetRank(i + 1, i + 1, 0.5, "grow", {"means": 0.9}) for i in range(30)]
    for message in target_text.targets(seg, ranks):
        check(message)


def test_split_message_never_cuts_a_tag() -> None:
    lines = [f"<b>{i}</b> " + "y" * 1000 for i in range(20)] + ["<i>" + "z" * 5000 + "</i>"]
    for message in split_message(lines):
        check(message)
    assert fit_caption(["a" * 600, "b" * 600]) == "a" * 600 + "\n…"


def test_targets_lead_with_the_top_pick_and_its_reason() -> None:
    seg = segmentation(["Mainstream middle", "Careful high earners"])
    ranks = [
        TargetRank(2, 1, 0.2, "monitor", {"spend": 0.5, "means": 0.5, "size": 1.0}, MALL_BASIS),
        TargetRank(1, 2, 0.7, "grow", {"spend": 0.1, "means": 0.9, "size": 0.4}, MALL_BASIS),
    ]
    plain = check(target_text.targets(seg, ranks)[0])
    assert plain.startswith("🎯 Target first: segment 2 (Careful high earners)")
    assert "Why: room to grow: spend little so far, high income." in plain
    assert plain.index("1. Segment 2") < plain.index("2. Segment 1")


def test_whois_escapes_the_id_and_mentions_the_previous_segment() -> None:
    seg = segmentation(["Mainstream middle", "Careful high earners"])
    lookup = CustomerLookup(
        customer_id="<i>42&", segment=1, runner_up=2, typicality=20.0,
        values={"income": 61.0}, percentiles={"income": 70.0}, attributes={"City": HOSTILE},
    )  # fmt: skip
    previous = whois_text.PreviousSegment(upload=1, number=2, name="Careful high earners")
    text = whois_text.whois(seg, lookup, previous)[0]
    plain = check(text)
    assert "<code>&lt;i&gt;42&amp;</code>" in text
    assert "A textbook member of the segment (nearer its centre than 80% of members)." in plain
    assert "Next closest: segment 2 (Careful high earners)." in plain
    assert "In upload #1 they were in segment 2 (Careful high earners)." in plain
    assert "income: $61k (higher than 70% of customers)" in plain
    unknown = whois_text.whois_unknown("<4x2>", ["42", "<52>"])
    assert check(unknown) == ("No customer with id <4x2> in the current data.\nClose ids: 42, <52>")


def test_whois_on_a_wide_file_shows_the_telling_numbers_and_says_so() -> None:
    columns = [f"C{i}" for i in range(10)]
    seg = dataclasses.replace(
        segmentation(["A", "B"]),
        population={c: tuple(float(max(q - 40, 0)) for q in range(101)) for c in columns},
    )
    # C3 is far above the middle, C0 is a zero like 41% of customers, the rest middling
    percentiles = {c: 50.0 + i for i, c in enumerate(columns)} | {"C3": 97.0, "C0": 20.0}
    values = {c: 20.0 for c in columns} | {"C0": 0.0}
    lookup = CustomerLookup("7", 1, 2, 50.0, values=values, percentiles=percentiles)
    plain = check(whois_text.whois(seg, lookup)[0])
    bullets = [line for line in plain.splitlines() if line.startswith("• ")]
    assert len(bullets) == MAX_NUMBERS + 1
    assert "• C0: 0 (the lowest value, like about 41% of customers)" in bullets
    assert "• C3: 20 (higher than 97% of customers)" in bullets
    assert bullets[-1] == "• …and 4 more columns in /export"
    assert whois_text.population_rank(26.0) == "higher than 26% of customers"


def test_segment_detail_on_a_wide_file_keeps_to_the_telling_columns() -> None:
    columns = tuple(f"C{i}" for i in range(9))
    base = segmentation(["A", "B"])
    wide = dataclasses.replace(
        base.segments[0],
        mean={c: 1.0 for c in columns},
        median={c: 1.0 for c in columns},
        quartiles={c: (1.0, 1.0) if c == "C8" else (0.0, 2.0) for c in columns},
    )
    seg = dataclasses.replace(
        base,
        features=columns,
        centers=(tuple(float(i) for i in range(9)), tuple(0.0 for _ in range(9))),
        segments=(wide, base.segments[1]),
    )
    plain = check(segments_text.segment_detail(seg, 1)[0])
    bullets = [line for line in plain.splitlines() if line.startswith("• C")]
    # the six columns where the centre stands farthest out, in file order
    assert [b.split(":")[0] for b in bullets] == ["• C3", "• C4", "• C5", "• C6", "• C7", "• C8"]
    assert "• C8: median 1, half of them exactly 1" in bullets
    assert "• …and 3 more columns in /export" in plain


def test_the_ranking_says_well_off_when_means_are_not_an_income() -> None:
    seg = dataclasses.replace(
        segmentation(["A", "B"]),
        population={"SALARY": (0.0, 1.0, 2.0), "PURCHASES": (0.0, 1.0, 2.0)},
        features=("SALARY", "PURCHASES"),
        labels={},
    )
    basis = rank_targets(seg)[0].basis
    assert basis == {"spend": ("PURCHASES",), "means": ("SALARY",)}
    rank = TargetRank(1, 1, 0.4, "grow", {"spend": 0.1, "means": 0.9, "size": 0.2}, basis)
    assert target_text.target_reason(rank) == (
        "room to grow: spend little so far, well-off, a small group"
    )


def test_a_credit_limit_is_not_means_and_a_count_of_deals_is_not_spend() -> None:
    seg = dataclasses.replace(
        segmentation(["A", "B"]),
        population={
            "CREDIT_LIMIT": (0.0, 1.0, 2.0),
            "NumDealsPurchases": (0.0, 1.0, 2.0),
            "MntWines": (0.0, 1.0, 2.0),
        },
        features=("CREDIT_LIMIT", "NumDealsPurchases", "MntWines"),
        labels={},
    )
    basis = rank_targets(seg)[0].basis
    assert basis == {"spend": ("MntWines",), "means": ()}
    rank = TargetRank(1, 1, 0.4, "grow", {"spend": 0.1, "means": 0.9, "size": 0.2}, basis)
    assert "well-off" not in target_text.target_reason(rank)


def test_typicality_says_plainly_how_close_to_the_centre() -> None:
    assert (
        whois_text.typicality(52.0)
        == "A fairly typical member (nearer its centre than 48% of members)."
    )
    assert whois_text.typicality(75.0).startswith("Less typical: towards the segment's edge")
    assert (
        whois_text.typicality(100.0)
        == "An outlier: at the segment's edge (the farthest from its centre)."
    )
    assert whois_text.typicality(float("nan")) == ""


def test_error_answers_escape_what_they_quote() -> None:
    for text in (
        upload_text.refused("Column <Age> & more: not numbers"),
        upload_text.not_a_table("<evil>.pdf"),
        help_text.unknown_command("<b>"),
        upload_text.too_big(25 * 1024 * 1024, 20 * 1024 * 1024),
        access_text.internal_error("ab12"),
        resegment_text.unknown_features(["<x>"], ["income", "score"], {}),
        segments_text.no_such_segment("<9>", [1, 2, 3, 4, 5]),
        datasets_text.no_such_upload("<3>"),
        upload_text.duplicate_upload(upload_text.UploadLabel(2, "<a>.csv")),
    ):
        check(text)
    assert "25.0 MB; I accept up to 20.0 MB" in plain_text(upload_text.too_big(25 << 20, 20 << 20))


def test_many_unknown_features_fit_one_message() -> None:
    names = [f"col{i}" for i in range(1300)]
    plain = check(resegment_text.unknown_features(names, ["income", "score"], {}))
    assert "I have no column col0, col1," in plain and "col11 and 1288 more." in plain


def test_help_lists_every_command() -> None:
    plain = check(help_text.help_text(MENU))
    # the example questions are one per line, short enough for a phone
    asks = plain.split("Or just ask\n", 1)[1].splitlines()
    assert "• “show me the profile”" in asks
    assert all(line.startswith("• ") and len(line) <= 40 for line in asks)
    for name, _ in MENU:
        assert f"/{name} — " in plain
    check(help_text.welcome())
    check(help_text.fallback_hint())


def test_a_wrong_segment_number_names_the_numbers_there_are() -> None:
    # after /k or /features, numbers follow the segments they stand for and may have gaps
    assert plain_text(segments_text.no_such_segment("2", [4, 1])) == (
        "There is no segment 2; pick 1 or 4, e.g. /segment 1."
    )
    assert plain_text(segments_text.no_such_segment("9", [1, 2, 3])) == (
        "There is no segment 9; pick 1 to 3, e.g. /segment 1."
    )
    assert plain_text(segments_text.segment_usage([1, 4, 7])) == (
        "Which segment? Send /segment and its number (1, 4 or 7), e.g. /segment 1."
    )


def test_use_and_compare_say_what_is_wrong() -> None:
    label = upload_text.UploadLabel(1, "<jan>.csv")
    assert plain_text(datasets_text.already_active(label)) == (
        "Upload #1 (<jan>.csv) is already the one in use. /datasets lists the others."
    )
    # also true when the active upload is the oldest of several
    assert plain_text(compare_text.compare_needs_two()).startswith(
        "I have no earlier upload to compare this one with."
    )


def test_datasets_list_marks_the_active_upload() -> None:
    items = [(2, "<feb>.csv", 1200, "2026-02-01T10:00:00+00:00", True),
             (1, "jan.csv", 1100, "2026-01-01T10:00:00+00:00", False)]  # fmt: skip
    plain = check(datasets_text.datasets_list(items)[0])
    assert "#2 <feb>.csv ✅ active\n    1,200 rows · 1 Feb 2026 10:00\n#1 jan.csv\n" in plain
    jakarta = check(datasets_text.datasets_list(items, ZoneInfo("Asia/Jakarta"))[0])
    assert "1,200 rows · 1 Feb 2026 17:00\n" in jakarta
    assert max(len(line) for line in plain.splitlines()) <= 40
    many = [(i, "x" * 200, 10, "2026-01-01T00:00:00", False) for i in range(100)]
    for message in datasets_text.datasets_list(many):
        check(message)


def comparison_result(ids: bool = True) -> Comparison:
    """A comparison of two runs where 12 customers moved from 1 to 2."""
    return Comparison(
        previous_sizes={1: 50, 2: 50},
        current_sizes={1: 40, 2: 55, 3: 10},
        previous_names={1: "Target", 2: HOSTILE},
        current_names={1: "Target", 2: HOSTILE, 3: "Newcomers"},
        ids_comparable=ids,
        reason="" if ids else "ids_generated",
        common_customers=95,
        moved=12,
        stayed=83,
        transitions=(Transition(1, 2, 12),),
        new_by_segment={3: 10},
        gone_by_segment={1: 5},
        common_features=("income", "score"),
        features_differ=False,
        moved_customers=pd.DataFrame(columns=["customer_id", "from_segment", "to_segment"]),
    )


def test_comparison_names_the_biggest_moves_first() -> None:
    messages = compare_text.comparison(comparison_result(), "#1 jan.csv", "#2 <feb>.csv")
    plain = "\n".join(check(m) for m in messages)
    assert plain.startswith("What changed: #1 jan.csv → #2 <feb>.csv")
    assert "12 customers moved from Target to <b>Spend & Save</b>" in plain
    assert "1. Target: 50 → 40 (−10)" in plain
    assert "3. Newcomers: 0 → 10 (+10) (new)" in plain
    assert " pp" not in plain
    assert "Customers in both: 95 — 12 moved, 83 stayed." in plain
    assert "New customers: 10 (10 in Newcomers)" in plain
    assert "Gone: 5 (5 in Target)" in plain
    check(compare_text.transitions_caption(comparison_result()), CAPTION_LIMIT)


def test_comparison_lists_each_move_once() -> None:
    flows = tuple(
        Transition(a, b, 10 - i)
        for i, (a, b) in enumerate([(1, 2), (2, 1), (1, 3), (2, 3), (3, 1)])
    )
    result = replace(comparison_result(), transitions=flows, moved=sum(f.count for f in flows))
    plain = "\n".join(check(m) for m in compare_text.comparison(result, "#1 a", "#2 b"))
    assert plain.count("moved from") == 3
    other = plain.split("Other moves (from → to)\n")[1].splitlines()
    assert other[:2] == ["• 7: segment 2 → 3", "• 6: segment 3 → 1"]
    assert all(len(line) <= 40 for line in other[:2])


def test_comparison_without_ids_says_why() -> None:
    plain = check(compare_text.comparison(comparison_result(ids=False), "#1 a", "#2 b")[0])
    assert "Only sizes are compared: one of the files has no customer id column" in plain
    assert "moved from" not in plain


@pytest.mark.parametrize("name", ["scatter", "k", "profile"])
def test_plot_captions_fit(name: str) -> None:
    check(segments_text.plot_caption(name, segmentation(["A", "B"])), CAPTION_LIMIT)


def test_the_command_menu_is_valid_for_telegram() -> None:
    for name, description in MENU:
        assert re.fullmatch(r"[a-z0-9_]{1,32}", name)
        assert 3 <= len(description) <= 256


def test_years_keep_four_digits_and_small_shares_two_decimals() -> None:
    assert value_text("Year_Birth", 1970.2, None) == "1970"
    assert value_text("income", 1970.2, None) == "1,970"
    assert fmt_value(0.4512, None) == "0.45"
    assert feature_name("MntWines", {}) == "spend on wines"


def test_many_features_quote_where_the_segment_stands_out() -> None:
    base = segmentation(["A", "B"])
    features = ("f1", "f2", "f3", "f4")
    many = Segmentation(
        **{
            **base.__dict__,
            "features": features,
            "centers": ((0.1, -2.0, 0.2, 1.5), (0.0, 0.0, 3.0, 0.1)),
            "segments": tuple(
                Segment(**{**s.__dict__, "centroid": dict.fromkeys(features, 1.0)})
                for s in base.segments
            ),
        }
    )
    assert segments_text.telling_columns(many, many.segments[0]) == ["f2", "f4", "f3"]
    assert segments_text.telling_columns(many, many.segments[1])[0] == "f3"


def test_a_segment_s_revenue_share_is_rounded_once_for_its_line_and_its_reason() -> None:
    table = load_customers(purchase_log_csv(), "log.csv")
    seg = segment_customers(table, SegmentOptions())
    shown = target_text.revenue_shares(seg)
    assert shown
    text = plain_text("\n".join(target_text.targets(seg, rank_targets(seg))))
    listed = plain_text("\n".join(segments_text.segments_list(seg)))
    for number, share in shown.items():
        assert f"({segments_text.shares(seg)[number]}, {share} of revenue)" in listed
    for rank in rank_targets(seg):
        # A driver of 0.1749 would round to 17% alone; the reason says what the line says.
        skewed = dataclasses.replace(rank, drivers={**rank.drivers, "revenue_share": 0.1749})
        reason = target_text.target_reason(skewed, "18%")
        assert reason.count("% of revenue") == 1 and "18% of revenue" in reason
        assert f"{shown[rank.number]} of revenue" in text
