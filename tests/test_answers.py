"""Data questions get the figure itself, computed from the active upload."""

from __future__ import annotations

import io
import re

import pandas as pd
from test_conversation import ask, plain, upload

from bot.conversation import Conversation
from bot.replies import Document, Text
from segmentation.sample import sample_csv


def sample_frame() -> pd.DataFrame:
    """The bundled sample, read independently of the engine."""
    return pd.read_csv(io.BytesIO(sample_csv()), dtype={"CustomerID": str})


def segment_of(text: str) -> dict[str, int]:
    """Customer id -> segment, from the /export CSV text."""
    frame = pd.read_csv(io.StringIO(text), dtype=str)
    return {
        str(int(cid)): int(s) for cid, s in zip(frame.iloc[:, 0], frame["segment"], strict=True)
    }


async def exported(conv: Conversation) -> pd.DataFrame:
    """The sample joined with each customer's segment, as /export lists it."""
    replies = await ask(conv, "/export")
    document = replies[0]
    assert isinstance(document, Document)
    segments = segment_of(document.data.decode("utf-8-sig"))
    frame = sample_frame()
    frame["segment"] = [segments[str(int(c))] for c in frame["CustomerID"]]
    return frame


async def test_counts_name_the_figure_out_of_the_whole(conv: Conversation) -> None:
    await upload(conv, sample_csv())
    frame = await exported(conv)
    in_two = frame[frame["segment"] == 2]
    women = int((in_two["Gender"] == "Female").sum())
    text = plain(await ask(conv, "how many women in segment 2?"))
    assert text.startswith(f"{women} of {len(in_two)} customers in segment 2 (")
    assert f"You have {len(frame)} customers" in plain(
        await ask(conv, "how many customers do I have?")
    )
    each = plain(await ask(conv, "how many men per segment"))
    for number in sorted(frame["segment"].unique()):
        rows = frame[frame["segment"] == number]
        men = int((rows["Gender"] == "Male").sum())
        assert f"{men} of {len(rows)}" in each
    assert "There is no segment 9" in plain(await ask(conv, "how many women in segment 9"))


async def test_averages_and_totals_use_the_files_units(conv: Conversation) -> None:
    await upload(conv, sample_csv())
    frame = await exported(conv)
    income = frame[frame["segment"] == 2]["Annual Income (k$)"]
    text = plain(await ask(conv, "average income in segment 2"))
    assert f": ${round(income.mean())}k ({len(income)} customers)." in text
    median_age = frame["Age"].median()
    assert f"Median age of all customers: {median_age:g}" in plain(await ask(conv, "median age"))
    unknown = plain(await ask(conv, "average basket size"))
    assert "no column like “basket size”" in unknown and "income" in unknown


async def test_top_customers_come_with_a_file_of_the_same_list(conv: Conversation) -> None:
    await upload(conv, sample_csv())
    frame = sample_frame()
    replies = await ask(conv, "top 5 by income")
    text = plain(replies)
    best = frame.sort_values("Annual Income (k$)", ascending=False, kind="stable").head(5)
    ids = re.findall(r"^\d+\. (\d+):", text, re.M)
    assert ids == [str(int(c)) for c in best["CustomerID"]]
    last = replies[-1]
    assert isinstance(last, Text) and last.buttons
    payload = last.buttons[0][0].data
    assert len(payload.encode()) <= 64
    document = (await conv.on_button(100, 7, payload))[0]
    assert isinstance(document, Document) and document.filename.endswith(".csv")
    listed = pd.read_csv(io.BytesIO(document.data), dtype={"customer_id": str})
    assert list(listed["customer_id"]) == ids


async def test_why_and_meanings_speak_plainly(conv: Conversation) -> None:
    await upload(conv, sample_csv())
    why = plain(await ask(conv, "why 5 segments?"))
    assert why.startswith("How these segments were found")
    assert "silhouette" not in why.lower()
    assert plain(await ask(conv, "/why")) == why
    meaning = plain(await ask(conv, "what does spending score mean?"))
    assert meaning.startswith("Spending Score (1-100) is read as spending score")
    assert "no column “Loyalty”" in plain(await ask(conv, "what does Loyalty mean?"))


async def test_a_near_miss_is_offered_with_a_button(conv: Conversation) -> None:
    await upload(conv, sample_csv())
    replies = await ask(conv, "/segmnets")
    assert "Did you mean /segments?" in plain(replies)
    reply = replies[0]
    assert isinstance(reply, Text) and reply.buttons[0][0].data == "/segments"
    offered = await ask(conv, "use 6 segmnets")
    assert "Did you mean /k 6?" in plain(offered)
    assert "segments" in plain(await ask(conv, "segmnets")).lower()


async def test_report_and_excel_requests_reach_the_report_and_the_workbook(
    conv: Conversation,
) -> None:
    await upload(conv, sample_csv())
    (report,) = await ask(conv, "can I get a report for my boss?")
    assert isinstance(report, Document) and report.filename.endswith(".pdf")
    assert report.data.startswith(b"%PDF")
    (workbook,) = await ask(conv, "send it as excel please")
    assert isinstance(workbook, Document) and workbook.filename.endswith(".xlsx")


async def test_counts_above_or_below_a_number(conv: Conversation) -> None:
    await upload(conv, sample_csv())
    frame = await exported(conv)
    over = int((frame["Age"] > 40).sum())
    assert plain(await ask(conv, "how many customers over 40")).startswith(
        f"{over} of {len(frame)} customers are older than 40"
    )
    rich = frame[(frame["segment"] == 2) & (frame["Annual Income (k$)"] > 70)]
    in_two = int((frame["segment"] == 2).sum())
    text = plain(await ask(conv, "how many customers in segment 2 earn more than 70k"))
    assert text.startswith(f"{len(rich)} of {in_two} customers in segment 2 (")
    assert "have income above $70k" in text


async def test_what_a_manager_types_is_escaped_in_every_answer(conv: Conversation) -> None:
    await upload(conv, sample_csv())
    for question in (
        'what does "<b>AI&k</b>" mean?',
        "average <i>basket</i> & size",
        "top 5 by <script>",
        "how many women in segment <2>",
        "/top column=<b>;n=3",
    ):
        assert plain(await ask(conv, question))  # parsed as Telegram would, within limits
