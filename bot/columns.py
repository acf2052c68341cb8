"""/columns: the manager says what a header means (``AI_k`` is income), and segbot reads the
active upload again with it and remembers it for the chat's next uploads.

The meanings are kept as a chat setting; each run keeps the meanings its table was read with
(see :func:`bot.uploads.new_run`), so every later answer reads that upload the same way.
"""

from __future__ import annotations

import logging

from bot.i18n import words
from bot.replies import Reply, Text, texts
from bot.state import Active, ChatData, Request, run_meanings
from bot.text import columns as columns_text
from bot.uploads import options_for, resegment
from segmentation import MEANINGS, CustomerTable, IngestError, check_meanings, update_meanings

logger = logging.getLogger(__name__)

#: Arguments of /columns that forget every meaning.
CLEAR_WORDS = frozenset({"clear", "reset", "forget", "none"})
#: The word that undoes one header's meaning (``/columns AI_k=auto``).
AUTO = "auto"


class MeaningsTextError(ValueError):
    """Text that is not a list of ``header=meaning`` pairs.

    Attributes:
        fragment: The part that could not be read.
        header: The header given an unknown meaning, or given two meanings.
        word: The unknown meaning word, or ``""``.
        twice: True when ``header`` is given two different meanings.
    """

    def __init__(
        self, fragment: str, header: str = "", word: str = "", *, twice: bool = False
    ) -> None:
        super().__init__(fragment)
        self.fragment = fragment
        self.header = header
        self.word = word
        self.twice = twice


def parse_meanings(text: str, *, allow_auto: bool = False) -> dict[str, str | None]:
    """Read ``AI_k=income SS_1_100=score`` (or comma-separated pairs) as header -> meaning.

    Pairs are separated by commas, semicolons or new lines, or by spaces when no header has
    one. With ``allow_auto``, ``Header=auto`` maps the header to ``None`` (undo its meaning).

    Raises:
        MeaningsTextError: No pair, a pair without ``=``, an empty header or meaning, a
            meaning that is not one of ``age``, ``income``, ``score``, ``gender``, ``id``, or
            one header given two meanings.
    """
    pairs: dict[str, str | None] = {}
    for chunk in (c.strip() for c in text.replace(";", ",").replace("\n", ",").split(",")):
        if not chunk:
            continue
        if "=" not in chunk:
            raise MeaningsTextError(chunk)
        # One pair per chunk lets a header hold spaces; several need spaces between pairs.
        parts = [chunk] if chunk.count("=") == 1 else chunk.split()
        for part in parts:
            header, equals, word = part.partition("=")
            header = header.strip().strip("\"'“”‘’").strip()
            word = word.strip().lower()
            if not equals or not header or not word or "=" in word:
                raise MeaningsTextError(part)
            if not (allow_auto and word == AUTO) and word not in MEANINGS:
                raise MeaningsTextError(part, header, word)
            meaning = None if word == AUTO else word
            if header in pairs and pairs[header] != meaning:
                raise MeaningsTextError(part, header, twice=True)
            pairs[header] = meaning
    if not pairs:
        raise MeaningsTextError(text)
    return pairs


def active_meanings(active: Active) -> dict[str, str]:
    """The meanings the active upload is read with now."""
    kept = run_meanings(active.run)
    if kept is None:
        kept = dict(active.dataset.receipt.get("meanings") or {})
    return kept


async def columns(chats: ChatData, req: Request, args: str) -> list[Reply]:
    """Answer /columns: list, give or forget what the chat's headers mean (lock held)."""
    chat_id = req.chat_id
    current = await chats.meanings(chat_id)
    active = await chats.active(chat_id)
    text = args.strip()
    if not text:
        return await _listing(chats, req, current, active)
    if text.lower() in CLEAR_WORDS and not current and not (active and active_meanings(active)):
        return [Text(columns_text.nothing_to_forget())]
    wanted = requested_meanings(text, current)
    if isinstance(wanted, str):
        return [Text(wanted)]
    if active is None or _same(wanted, active_meanings(active)):
        if _same(wanted, current):
            return [Text(columns_text.unchanged())]
        await chats.set_meanings(chat_id, wanted)
        logger.info("chat %s: %d column meanings kept", chat_id, len(wanted))
        return [Text(columns_text.kept_for_next(wanted, active is not None))]
    return await _read_again(chats, req, active, wanted)


def requested_meanings(text: str, current: dict[str, str]) -> dict[str, str] | str:
    """The meanings a /columns argument asks for, laid over ``current``; or, when it cannot
    be done, the answer that says why."""
    if text.lower() in CLEAR_WORDS:
        return {}
    try:
        changes = parse_meanings(text, allow_auto=True)
    except MeaningsTextError as exc:
        if exc.twice:
            return columns_text.given_twice(exc.header)
        if exc.word:
            return columns_text.unknown_meaning(exc.header, exc.word)
        return columns_text.bad_pair(exc.fragment)
    try:
        # The pairs of one message on their own first: ``AI_k=income, ai k=score`` gives one
        # header two meanings, it does not correct the first.
        check_meanings({header: word for header, word in changes.items() if word is not None})
        wanted = update_meanings(current, changes)
        check_meanings(wanted)
    except IngestError as exc:
        return columns_text.refused(exc.say(words()))
    return wanted


def _same(one: dict[str, str], other: dict[str, str]) -> bool:
    """Whether two sets of meanings read every file alike (``ai k`` is ``AI_k``)."""
    return check_meanings(one).fields == check_meanings(other).fields


async def _listing(
    chats: ChatData, req: Request, current: dict[str, str], active: Active | None
) -> list[Reply]:
    """The chat's meanings and what every header of the active upload was taken to be."""
    if active is None:
        return texts(columns_text.listing(current, None, None))
    table = await chats.table(req.chat_id, active.dataset, active.run)
    return texts(columns_text.listing(current, active.dataset.filename, table.receipt))


async def _read_again(
    chats: ChatData, req: Request, active: Active, wanted: dict[str, str]
) -> list[Reply]:
    """Read the active upload with ``wanted``, segment it again and keep the meanings."""
    chat_id = req.chat_id
    try:
        table = await chats.table(chat_id, active.dataset, active.run, wanted)
    except IngestError as exc:
        logger.info("chat %s: column meanings refused by the reader", chat_id)
        return [Text(columns_text.refused(exc.say(words())))]
    chosen = active.seg.options
    options = options_for(chats, chosen.k, carried_features(chosen.features, table))
    replies = await resegment(chats, req, active, table, options)
    now = await chats.active(chat_id)
    if now is None or now.run.id == active.run.id:
        # Not segmented with them: the meanings stay as they were.
        return [*replies, Text(columns_text.not_kept())]
    await chats.set_meanings(chat_id, wanted)
    logger.info("chat %s: upload read again with %d column meanings", chat_id, len(wanted))
    return [Text(columns_text.read_again(active.dataset.filename, table.receipt)), *replies]


def carried_features(
    features: tuple[str, ...] | None, table: CustomerTable
) -> tuple[str, ...] | None:
    """A /features choice as columns of the table read with new meanings (``None``: the
    default columns, also when none of the chosen ones is left)."""
    if features is None:
        return None
    found = [table.resolve(name) for name in features]
    kept = tuple(dict.fromkeys(name for name in found if name is not None))
    return kept or None
