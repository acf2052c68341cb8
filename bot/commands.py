"""One coroutine per command: read what the chat stored, answer with reply values.

Each takes the chat's data access, the request and the argument text after the command, and
returns the replies. None of them knows about Telegram.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Literal

from bot import answers, compare, language
from bot.columns import columns
from bot.compare import export_moved
from bot.i18n import N_, _, persona
from bot.i18n import words as engine_words
from bot.replies import Album, Button, Photo, Reply, Text, document, texts
from bot.report import report
from bot.state import Active, ChatData, Request, run_gone
from bot.text import datasets as datasets_text
from bot.text import export as export_text
from bot.text import forget as forget_text
from bot.text import help as help_text
from bot.text import plot as plot_text
from bot.text import resegment as resegment_text
from bot.text import segments as segments_text
from bot.text import target as target_text
from bot.text import upload as upload_text
from bot.text import whois as whois_text
from bot.text.format import safe_stem, whole_number
from bot.uploads import COMBINE, combine_uploads, main_buttons, options_for, resegment, switch_to
from segmentation import (
    assignments_csv,
    assignments_xlsx,
    audience_name,
    close_call,
    contact_columns,
    lookup_customer,
    normalise_id,
    rank_for_goal,
    rank_targets,
    render_k_chart_png,
    render_profile_png,
    render_scatter_png,
    segment_audience_csv,
)
from storage import StoreError

logger = logging.getLogger(__name__)

Handler = Callable[[ChatData, Request, str], Awaitable[list[Reply]]]


#: The /start argument (and deep link ``?start=sample``) that loads the bundled sample.
START_SAMPLE = "sample"

FORGET_YES = "forget:yes"
FORGET_NO = "forget:no"


async def start(chats: ChatData, req: Request, args: str) -> list[Reply]:
    """Answer /start, or a greeting (then also what data is loaded)."""
    active = await chats.active(req.chat_id)
    if active is None:
        sample = ((Button(_("Try it with sample data"), f"/start {START_SAMPLE}"),),)
        return [Text(help_text.welcome(), buttons=sample)]
    return [Text(help_text.welcome_back(active.dataset.filename, active.seg.k))]


async def thanks(chats: ChatData, req: Request, args: str) -> list[Reply]:
    """Answer a thank-you."""
    return [Text(help_text.thanks())]


async def help_(chats: ChatData, req: Request, args: str) -> list[Reply]:
    """Answer /help."""
    return [Text(help_text.help_text(MENU))]


async def segments(chats: ChatData, req: Request, args: str) -> list[Reply]:
    """Answer /segments: one line per segment, a button per segment."""
    active = await chats.active(req.chat_id)
    if active is None:
        return [Text(upload_text.no_data())]
    labels = [
        (s.number, segments_text.button_label(s.number, persona(s).name))
        for s in active.seg.segments
    ]
    rows = (
        *(
            tuple(Button(label, f"/segment {n}") for n, label in labels[i : i + 2])
            for i in range(0, len(labels), 2)
        ),
        (Button(_("How was this found?"), "/why"),),
    )
    return texts(segments_text.segments_list(active.seg, run_gone(active.run)), rows)


async def segment(chats: ChatData, req: Request, args: str) -> list[Reply]:
    """Answer /segment N."""
    active = await chats.active(req.chat_id)
    if active is None:
        return [Text(upload_text.no_data())]
    seg = active.seg
    if not args.strip():
        return [Text(segments_text.segment_usage([s.number for s in seg.segments]))]
    number = whole_number(args.strip().lstrip("#"))
    if number is None or number not in {s.number for s in seg.segments}:
        numbers = [s.number for s in seg.segments]
        return [Text(segments_text.no_such_segment(args.strip(), numbers))]
    ranks = {r.number: r for r in rank_targets(seg)}
    buttons = ((Button(_("Export this segment"), f"/export segment {number}"),),)
    return texts(segments_text.segment_detail(seg, number, ranks.get(number)), buttons)


async def target(chats: ChatData, req: Request, args: str) -> list[Reply]:
    """Answer /target."""
    active = await chats.active(req.chat_id)
    if active is None:
        return [Text(upload_text.no_data())]
    seg = active.seg
    word = args.strip().lower().replace(" ", "-").replace("_", "-")
    if word:
        goal = _GOAL_ALIASES.get(word)
        if goal is None:
            return [Text(target_text.goal_usage())]
        return texts(target_text.goal_targets(seg, goal, rank_for_goal(seg, goal)))
    return texts(target_text.targets(seg, rank_targets(seg), close_call(seg)))


#: What a manager may type after /target, and the goal it means.
_GOAL_ALIASES = {
    **dict.fromkeys(["grow", "growth", "upsell", "discount"], "grow"),
    **dict.fromkeys(["retain", "keep", "loyalty", "protect"], "retain"),
    **dict.fromkeys(["win-back", "winback", "win", "reactivate", "lost", "lapsed"], "win-back"),
}


async def whois(chats: ChatData, req: Request, args: str) -> list[Reply]:
    """Answer /whois ID, mentioning the previous upload's segment when it changed."""
    active = await chats.active(req.chat_id)
    if active is None:
        return [Text(upload_text.no_data())]
    raw = args.strip()
    if not raw:
        return [Text(whois_text.whois_usage())]
    customer_id = normalise_id(raw)
    chat_id = req.chat_id
    record = await chats.find_customer(chat_id, customer_id, active.run.id)
    if record is None:
        similar = await chats.similar_ids(chat_id, customer_id, active.run.id)
        return [Text(whois_text.whois_unknown(raw, similar))]
    lookup = lookup_customer(
        active.seg,
        record.customer_id,
        record.values,
        record.segment,
        record.distance,
        record.runner_up,
    )
    previous = await _previous_segment(chats, req, active, record.customer_id, record.segment)
    return texts(whois_text.whois(active.seg, lookup, previous))


async def _previous_segment(
    chats: ChatData, req: Request, active: Active, customer_id: str, segment_now: int
) -> whois_text.PreviousSegment | None:
    """Return the customer's segment in the previous upload when it differs from now."""
    if active.dataset.receipt.get("ids_generated"):
        return None
    found = await chats.previous_upload(req.chat_id, active.dataset)
    if found is None:
        return None
    dataset, run = found
    if dataset.receipt.get("ids_generated"):
        return None
    chat_id = req.chat_id
    before = await chats.find_customer(chat_id, customer_id, run.id)
    if before is None or before.segment == segment_now:
        return None
    names = {int(s["number"]): str(s["persona"]["name"]) for s in run.segments}
    return whois_text.PreviousSegment(dataset.number, before.segment, names.get(before.segment, ""))


_PLOT_ALIASES = {
    "": "scatter",
    "scatter": "scatter",
    "map": "scatter",
    "segments": "scatter",
    "k": "k",
    "elbow": "k",
    "silhouette": "k",
    "profile": "profile",
    "profiles": "profile",
    "all": "all",
    "three": "all",
}


async def plot(chats: ChatData, req: Request, args: str) -> list[Reply]:
    """Answer /plot [scatter|k|profile] from the plots stored with the run."""
    name = _PLOT_ALIASES.get(args.strip().lower())
    if name is None:
        return [Text(plot_text.plot_usage())]
    active = await chats.active(req.chat_id)
    if active is None:
        return [Text(upload_text.no_data())]
    if name == "all":
        # The three charts as one album (sendMediaGroup): one message, swiped through.
        photos = [await _chart(chats, req, active, one) for one in ("scatter", "k", "profile")]
        return [Album(tuple(photos))]
    return [await _chart(chats, req, active, name)]


async def _chart(chats: ChatData, req: Request, active: Active, name: str) -> Photo:
    """One chart of the active run: kept from before, or drawn now and kept."""
    chat_id, run_id = req.chat_id, active.run.id
    png = await chats.plot(chat_id, run_id, name)
    if png is None:
        png = await _draw(chats, req, active, name)
        await chats.keep_plot(chat_id, run_id, name, png)
    caption = segments_text.plot_caption(name, active.seg)
    return Photo(png, caption, filename=f"{name}.png")


async def _draw(chats: ChatData, req: Request, active: Active, name: str) -> bytes:
    """Draw a plot the store did not have."""
    if name == "k":
        return await chats.workers.cpu(render_k_chart_png, active.seg, words=engine_words())
    if name == "profile":
        return await chats.workers.cpu(render_profile_png, active.seg, words=engine_words())
    table = await chats.table(req.chat_id, active.dataset, active.run)
    seg = await chats.with_assignments(req.chat_id, active.run)
    return await chats.workers.cpu(render_scatter_png, table, seg, words=engine_words())


async def plots_menu(chats: ChatData, req: Request, args: str) -> list[Reply]:
    """Offer the three plots as buttons."""
    buttons = (
        (
            Button(_("Scatter"), "/plot scatter"),
            Button(_("k chart"), "/plot k"),
            Button(_("Profile"), "/plot profile"),
        ),
        (Button(_("All three"), "/plot all"),),
    )
    return [Text(plot_text.plots_menu(), buttons=buttons)]


#: What a manager may type after /export for the workbook.
_XLSX_WORDS = frozenset({"xlsx", "excel", "workbook", "spreadsheet"})
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


async def export(chats: ChatData, req: Request, args: str) -> list[Reply]:
    """Answer /export (CSV), /export xlsx, /export segment N [name] or /export moved."""
    words = args.split()
    what = words[0].lower() if words else ""
    if what not in ("", "csv", "moved", "segment", *_XLSX_WORDS):
        return [Text(export_text.export_usage())]
    active = await chats.active(req.chat_id)
    if active is None:
        return [Text(upload_text.no_data())]
    if what == "moved":
        return await export_moved(chats, req, active)
    if what == "segment":
        return await _export_segment(chats, req, active, words[1:])
    table = await chats.table(req.chat_id, active.dataset, active.run)
    seg = await chats.with_assignments(req.chat_id, active.run)
    name = f"segments-{_dated_stem(active)}"
    if what in _XLSX_WORDS:
        data = await chats.workers.cpu(assignments_xlsx, table, seg, words=engine_words())
        caption = export_text.xlsx_caption(len(table.customers), seg.k)
        return [await chats.workers.cpu(document, data, f"{name}.xlsx", caption, XLSX_MIME)]
    data = await chats.workers.cpu(assignments_csv, table, seg, words=engine_words())
    caption = export_text.export_caption(len(table.customers))
    # Zipping a file near Telegram's 50 MB takes a second: not on the event loop.
    return [await chats.workers.cpu(document, data, f"{name}.csv", caption)]


def _dated_stem(active: Active) -> str:
    """``members-2026-11``: the upload's safe name and month, for file names."""
    return f"{safe_stem(active.dataset.filename)}-{active.dataset.uploaded_at[:7]}"


async def _export_segment(
    chats: ChatData, req: Request, active: Active, words: list[str]
) -> list[Reply]:
    """Send one segment's customers as an audience file under a neutral name."""
    numbers = [s.number for s in active.seg.segments]
    number = whole_number(words[0].lstrip("#")) if words else None
    if number is None or number not in numbers:
        return [Text(export_text.segment_export_usage(numbers))]
    audience = audience_name(safe_stem(active.dataset.filename), number, "-".join(words[1:]))
    table = await chats.table(req.chat_id, active.dataset, active.run)
    seg = await chats.with_assignments(req.chat_id, active.run)
    data = await chats.workers.cpu(segment_audience_csv, table, seg, number, audience)
    contacts = list(contact_columns(table))
    rows = data.count(b"\r\n") - 1
    caption = export_text.segment_caption(rows, number, audience, contacts)
    return [await chats.workers.cpu(document, data, f"{audience}.csv", caption)]


async def datasets(chats: ChatData, req: Request, args: str) -> list[Reply]:
    """Answer /datasets."""
    items = await chats.uploads(req.chat_id)
    rows = [(d.number, d.filename, d.rows, d.uploaded_at, d.active) for d in items]
    return texts(datasets_text.datasets_list(rows, chats.config.bot.zone()))


async def use(chats: ChatData, req: Request, args: str) -> list[Reply]:
    """Answer /use N (the chat's lock is held)."""
    wanted = args.strip().lstrip("#")
    number = whole_number(wanted)
    if number is None:
        return [Text(datasets_text.use_usage())]
    active = await chats.active(req.chat_id)
    if active is not None and active.dataset.number == number:
        label = upload_text.UploadLabel(active.dataset.number, active.dataset.filename)
        return [Text(datasets_text.already_active(label), buttons=main_buttons())]
    try:
        return await switch_to(chats, req, number)
    except StoreError:
        return [Text(datasets_text.no_such_upload(wanted))]


async def k(chats: ChatData, req: Request, args: str) -> list[Reply]:
    """Answer /k N or /k auto: segment the active upload again (the chat's lock is held)."""
    cfg = chats.config.segmentation
    wanted = args.strip().lower()
    if wanted in ("auto", "automatic"):
        new_k: int | None = None
    elif (number := whole_number(wanted)) is not None and cfg.k_min <= number <= cfg.k_max:
        new_k = number
    else:
        return [Text(resegment_text.k_usage(cfg.k_min, cfg.k_max))]
    active = await chats.active(req.chat_id)
    if active is None:
        return [Text(upload_text.no_data())]
    current = active.seg.options
    # "/k auto" after a k kept from the previous upload asks for a fresh choice.
    if new_k == current.k and not active.seg.k_choice.kept_previous:
        return [Text(resegment_text.same_options())]
    table = await chats.table(req.chat_id, active.dataset, active.run)
    return await resegment(chats, req, active, table, options_for(chats, new_k, current.features))


async def features(chats: ChatData, req: Request, args: str) -> list[Reply]:
    """Answer /features a,b: segment the active upload on those columns (lock held)."""
    active = await chats.active(req.chat_id)
    if active is None:
        return [Text(upload_text.no_data())]
    table = await chats.table(req.chat_id, active.dataset, active.run)
    names = [n.strip() for n in re.split(r"[,;]", args) if n.strip()]
    if len(names) == 1 and " " in names[0] and table.resolve(names[0]) is None:
        names = names[0].split()
    if not names:
        return [Text(resegment_text.features_usage(table.numeric, table.labels))]
    chosen: tuple[str, ...] | None
    if len(names) == 1 and names[0].lower() in ("auto", "default"):
        chosen = None
    else:
        resolved = [table.resolve(n) for n in names]
        unknown = [n for n, r in zip(names, resolved, strict=True) if r is None]
        if unknown:
            return [Text(resegment_text.unknown_features(unknown, table.numeric, table.labels))]
        chosen = tuple(dict.fromkeys(r for r in resolved if r is not None))
    current = active.seg.options
    if chosen == current.features or (chosen is not None and chosen == active.seg.features):
        return [Text(resegment_text.same_options())]
    return await resegment(chats, req, active, table, options_for(chats, current.k, chosen))


async def export_xlsx(chats: ChatData, req: Request, args: str) -> list[Reply]:
    """Answer "send it as excel": the workbook /export xlsx sends."""
    return await export(chats, req, "xlsx")


async def forget(chats: ChatData, req: Request, args: str) -> list[Reply]:
    """Answer /forget with a confirmation bound to the asker, this data and a time limit."""
    active = await chats.active(req.chat_id)
    token = chats.confirmations.issue(
        req.chat_id, req.user_id, active.dataset.id if active else None
    )
    buttons = (
        (
            Button(_("Yes, delete everything"), f"{FORGET_YES}:{token}"),
            Button(_("Cancel"), f"{FORGET_NO}:{token}"),
        ),
    )
    return [Text(forget_text.forget_confirm(), buttons=buttons)]


async def forget_confirmed(chats: ChatData, req: Request, args: str) -> list[Reply]:
    """Delete everything the chat stored, if the confirmation still holds (lock held)."""
    chat_id = req.chat_id
    active = await chats.active(chat_id)
    current = active.dataset.id if active else None
    if not chats.confirmations.redeem(args, chat_id, req.user_id, current):
        logger.info("chat %s: a stale or foreign /forget confirmation changed nothing", chat_id)
        return [Text(forget_text.forget_stale())]
    removed = await chats.forget(chat_id)
    logger.info("chat %s: forgot %d rows", chat_id, removed)
    return [Text(forget_text.forget_done())]


async def forget_cancelled(chats: ChatData, req: Request, args: str) -> list[Reply]:
    """Answer the cancel button of /forget (its confirmation is used up)."""
    chat_id = req.chat_id
    active = await chats.active(chat_id)
    chats.confirmations.redeem(args, chat_id, req.user_id, active.dataset.id if active else None)
    return [Text(forget_text.forget_cancelled())]


@dataclass(frozen=True)
class ButtonAction:
    """An inline button that is not a command: its payload, handler and whether it writes."""

    payload: str
    handler: Handler
    writes: bool = False
    one_time: bool = False
    confirmed: bool = False


def confirmation_token(token: str) -> str:
    """The confirmation part of a button's token (``<token>-<upload number>`` for combine)."""
    return token.partition("-")[0]


@dataclass(frozen=True)
class Command:
    """One command: everything the menu, /help, the console, the intents and the docs need.

    Attributes:
        name: Typed as ``/name``.
        handler: The coroutine that answers it.
        menu: Its line in Telegram's command menu and in /help; empty keeps it out of both.
        aliases: Other names a manager might type (``/plots``); not in the menu.
        writes: It changes what the chat stored, so it waits for the chat's lock.
        owners: Who may run it when ``[access] admin_user_ids`` is set: ``"all"`` (anyone
            allowed), ``"changes"`` (anyone without an argument, owners to change something),
            or ``"owners"`` (owners only).
        buttons: Inline buttons its answers carry that are not commands themselves.
    """

    name: str
    handler: Handler
    menu: str = ""
    aliases: tuple[str, ...] = ()
    writes: bool = False
    owners: Literal["all", "changes", "owners"] = "all"
    buttons: tuple[ButtonAction, ...] = ()


#: Every command, in the order of the bot's menu. Adding a command is one entry here, its
#: handler above, and its text module in ``bot/text/``.
COMMAND_TABLE: tuple[Command, ...] = (
    Command("start", start, N_("What I do and how to start")),
    Command("help", help_, N_("Every command and the CSV I expect")),
    Command("segments", segments, N_("All segments, one line each"), aliases=("clusters",)),
    Command("segment", segment, N_("One segment in detail: /segment 2")),
    Command("whois", whois, N_("Look up a customer: /whois 42"), aliases=("who",)),
    Command(
        "target",
        target,
        N_("Which segment to target, and why: /target grow, retain or win-back"),
        aliases=("targets",),
    ),
    Command(
        "plot",
        plot,
        N_("A chart: /plot scatter, k, profile, or all three"),
        aliases=("plots",),
        buttons=(ButtonAction("plots", plots_menu),),
    ),
    Command("why", answers.why, N_("How the segments were found, in plain words")),
    Command(
        "k", k, N_("Re-segment with N segments: /k 5 or /k auto"), writes=True, owners="changes"
    ),
    Command(
        "features",
        features,
        N_("Re-segment on columns: /features income,score"),
        writes=True,
        owners="changes",
    ),
    Command(
        "columns",
        columns,
        N_("Say what a column means: /columns AI_k=income"),
        writes=True,
        owners="changes",
    ),
    Command("report", report, N_("The whole analysis as a PDF to forward or print")),
    Command(
        "export",
        export,
        N_("Customers as CSV: /export xlsx, /export segment 2 or /export moved"),
    ),
    Command("compare", compare.compare, N_("What changed since the previous upload")),
    Command(
        "datasets",
        datasets,
        N_("Your uploads, newest first"),
        aliases=("uploads",),
        buttons=(
            ButtonAction(COMBINE, combine_uploads, writes=True, one_time=True, confirmed=True),
        ),
    ),
    Command("use", use, N_("Switch to another upload: /use 2"), writes=True, owners="changes"),
    Command("language", language.language, N_("The language I answer in: /language es")),
    Command(
        "forget",
        forget,
        N_("Delete everything this chat stored"),
        owners="owners",
        buttons=(
            ButtonAction(FORGET_YES, forget_confirmed, writes=True, one_time=True, confirmed=True),
            ButtonAction(FORGET_NO, forget_cancelled, one_time=True, confirmed=True),
        ),
    ),
    # Not in the menu: the answer to a plain "thanks", and to questions about the data
    # (their argument text is bot.questions.pack's).
    Command("thanks", thanks),
    Command("count", answers.count),
    Command("stat", answers.stat),
    Command("top", answers.top),
    Command("meaning", answers.meaning),
    # "Send it as excel" names the workbook of /export xlsx.
    Command("export_xlsx", export_xlsx),
)

#: Command name or alias -> its entry.
BY_NAME: dict[str, Command] = {
    name: entry for entry in COMMAND_TABLE for name in (entry.name, *entry.aliases)
}
#: Button payload -> (the command it belongs to, its action).
BUTTONS: dict[str, tuple[Command, ButtonAction]] = {
    action.payload: (entry, action) for entry in COMMAND_TABLE for action in entry.buttons
}


def find_button(data: str) -> tuple[tuple[Command, ButtonAction] | None, str]:
    """The button a callback payload names, and its token (``forget:yes:<token>``)."""
    found = BUTTONS.get(data)
    if found is not None:
        return found, ""
    head, _, token = data.rpartition(":")
    return BUTTONS.get(head), token


#: Telegram's command menu and /help's list: (name, one line), in order.
MENU: tuple[tuple[str, str], ...] = tuple((c.name, c.menu) for c in COMMAND_TABLE if c.menu)
