"""The language a chat is answered in, and /language to choose it.

A chat is answered in the language someone chose there with ``/language`` (kept with the chat's
settings); otherwise in the asking person's Telegram app language when segbot speaks it;
otherwise in ``[bot] default_language``.
"""

from __future__ import annotations

from contextvars import ContextVar

from bot.i18n import LANGUAGES, NAMES, language_name, normalise_language, use_language
from bot.replies import Button, Reply, Text
from bot.state import ChatData, Request
from bot.text import language as language_text

LANGUAGE_SETTING = "language"
# The asking person's app language (normalised), for "/language auto".
_app_language: ContextVar[str] = ContextVar("segbot_app_language", default="en")


async def chosen_language(chats: ChatData, chat_id: int) -> str | None:
    """The language chosen in this chat with /language, if any."""
    settings = await chats.workers.read(lambda store: store.settings(chat_id))
    value = settings.get(LANGUAGE_SETTING)
    return value if isinstance(value, str) and value in LANGUAGES else None


async def enter_language(chats: ChatData, chat_id: int, app_code: str | None) -> str:
    """Answer this update in the chat's language from now on; the language chosen."""
    app = normalise_language(app_code, chats.config.bot.default_language)
    _app_language.set(app)
    chosen = await chosen_language(chats, chat_id)
    use_language(chosen or app)
    return chosen or app


def parse_language(word: str) -> str | None:
    """The language a manager asked for: a code (``ru``, ``pt-br``) or a name (``español``)."""
    cleaned = word.strip().lower()
    for lang, name in NAMES.items():
        if cleaned in {lang.lower(), name.lower(), *_OTHER_NAMES.get(lang, ())}:
            return lang
    found = normalise_language(cleaned, default="")
    return found or None


# Names a manager may type for a language, in English and in the language itself.
_OTHER_NAMES: dict[str, tuple[str, ...]] = {
    "en": ("english", "английский", "inglés", "ingles", "inglês", "inggris"),
    "ru": ("russian", "русский", "ruso", "russo", "rusia", "по-русски"),
    "es": ("spanish", "español", "espanol", "испанский", "espanhol", "spanyol"),
    "pt_BR": ("portuguese", "português", "portugues", "португальский", "portugués", "portugis"),
    "id": ("indonesian", "indonesia", "bahasa", "индонезийский", "indonesio", "indonésio"),
}


async def language(chats: ChatData, req: Request, args: str) -> list[Reply]:
    """Answer /language: show the choice, or choose (``/language ru``, ``/language auto``)."""
    word = args.strip()
    if not word:
        chosen = await chosen_language(chats, req.chat_id)
        current = chosen or _app_language.get()
        use_language(current)
        rows = tuple(
            tuple(Button(language_name(lang), f"/language {lang}") for lang in LANGUAGES[i : i + 2])
            for i in range(0, len(LANGUAGES), 2)
        )
        return [Text(language_text.choices(current, chosen is not None), rows)]
    if word.lower() in {"auto", "app", "reset"}:
        await chats.workers.db(lambda store: store.set_setting(req.chat_id, LANGUAGE_SETTING, None))
        use_language(_app_language.get())
        return [Text(language_text.following_app())]
    lang = parse_language(word)
    if lang is None:
        return [Text(language_text.unknown(word))]
    await chats.workers.db(lambda store: store.set_setting(req.chat_id, LANGUAGE_SETTING, lang))
    use_language(lang)
    return [Text(language_text.switched())]
