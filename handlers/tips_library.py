"""The tip library in Telegram, for admins and police: browse, disable/enable, add, edit.

Buttons (handlers/tips_buttons.py): `LibraryPage`, `LibraryTip` (view, disable/enable),
`LibraryAdd` (dialogue: `TipFocus`, `TipSeason`, then the Swedish and the English text),
`LibraryEdit` (one text, dialogue).
Every press re-reads the presser's roles from storage.
"""

from __future__ import annotations

from enum import IntEnum

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import (
    CallbackQueryHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)

from bot.api_request import without_result
from bot.callbacks import CallbackData
from bot.context import BotContext
from bot.i18n import t, t_plain
from bot.services import tip_admin
from bot.services import tips as tip_service
from bot.services.roles import Access, access_of
from bot.services.tip_library import FOCUS_AREAS, MAX_TEXT_LENGTH, SEASONS
from bot.textlen import utf16_len
from bot.user_data import TipDraft
from handlers.common import (
    answer_callback,
    answer_query,
    callback_query,
    effective_message,
    effective_user,
    pressed,
    reply,
    send_closing,
    send_step,
    show_step,
    user_data,
)
from handlers.dialogues import add_step_questions, dialogue, not_typed
from handlers.tips_buttons import (
    LibraryAdd,
    LibraryEdit,
    LibraryPage,
    LibraryTip,
    TipFocus,
    TipSeason,
)
from storage.tips import TipRecord

# The add-a-tip dialogue keeps its draft here (each dialogue has its own key).
STATE = ("tip_draft",)  # the UserData attributes of the dialogue

PAGE_SIZE = 8


class LibraryStep(IntEnum):
    FOCUS = 0
    SEASON = 1
    TEXT_SV = 2
    TEXT_EN = 3
    EDIT = 4


FOCUS, SEASON, TEXT_SV, TEXT_EN, EDIT = LibraryStep


def _button(lang: str, key: str, data: CallbackData) -> InlineKeyboardButton:
    return InlineKeyboardButton(t_plain(lang, key), callback_data=data.pack())


async def _librarian(update: Update, context: BotContext) -> Access | None:
    """The person's roles, read from storage now, if they may edit the library."""
    user = update.effective_user
    assert user is not None
    services = context.services
    access = await access_of(services.db, services.settings, user.id)
    return access if tip_service.may_edit_library(access) else None


async def _allowed(update: Update, context: BotContext) -> bool:
    return await _librarian(update, context) is not None


async def _refuse(update: Update, context: BotContext) -> None:
    if update.callback_query is not None:
        await answer_callback(update.callback_query, context, "core.not_allowed", alert=True)
    else:
        await reply(update, context, "core.not_allowed")


async def _show_page(update: Update, context: BotContext, page: int) -> None:
    query = update.callback_query
    assert query is not None
    lang = context.lang
    tips = await tip_admin.library(context.services.db)
    pages = max(1, -(-len(tips) // PAGE_SIZE))
    page = min(max(page, 0), pages - 1)
    rows = [
        [
            InlineKeyboardButton(
                ("✅ " if tip.enabled else "🚫 ") + tip.key[:50],
                callback_data=LibraryTip(tip.id).pack(),
            )
        ]
        for tip in tips[page * PAGE_SIZE : (page + 1) * PAGE_SIZE]
    ]
    nav = []
    if page > 0:
        nav.append(_button(lang, "tips.lib.prev", LibraryPage(page - 1)))
    nav.append(_button(lang, "tips.lib.add", LibraryAdd()))
    if page < pages - 1:
        nav.append(_button(lang, "tips.lib.next", LibraryPage(page + 1)))
    rows.append(nav)
    text = t(
        lang,
        "tips.lib.title",
        count=sum(tip.enabled for tip in tips),
        total=len(tips),
        page=page + 1,
        pages=pages,
    )
    await answer_query(query)
    await without_result(query.edit_message_text(text, reply_markup=InlineKeyboardMarkup(rows)))


def _tip_view(lang: str, tip: TipRecord) -> tuple[str, InlineKeyboardMarkup]:
    text = t(
        lang,
        "tips.lib.view",
        key=tip.key,
        focus=t_plain(lang, f"tips.focus.{tip.focus}"),
        seasons=", ".join(t_plain(lang, f"tips.season.{s}") for s in tip.seasons),
        status=t_plain(lang, "tips.lib.enabled" if tip.enabled else "tips.lib.disabled"),
        text_sv=tip.text_sv,
        text_en=tip.text_en,
    )
    toggle = (
        _button(lang, "tips.lib.disable", LibraryTip(tip.id, enable=False))
        if tip.enabled
        else _button(lang, "tips.lib.enable", LibraryTip(tip.id, enable=True))
    )
    keyboard = InlineKeyboardMarkup(
        [
            [toggle],
            [
                _button(lang, "tips.lib.edit_sv", LibraryEdit(tip.id, "sv")),
                _button(lang, "tips.lib.edit_en", LibraryEdit(tip.id, "en")),
            ],
            [_button(lang, "tips.btn.back", LibraryPage(0))],
        ]
    )
    return text, keyboard


async def library_button(update: Update, context: BotContext) -> None:
    """`LibraryPage` and `LibraryTip` buttons."""
    query = callback_query(update)
    access = await _librarian(update, context)
    if access is None:
        await _refuse(update, context)
        return
    page = LibraryPage.parse(query.data)
    if page is not None:
        await _show_page(update, context, page.page)
        return
    services = context.services
    button = LibraryTip.unpack(query.data)
    tip_id = button.tip_id
    if button.enable is not None:
        # No such tip: nothing is written and the lookup below answers "stale".
        await tip_admin.set_tip_enabled(
            services.db, access, tip_id, button.enable, services.clock.now()
        )
    tip = await tip_admin.tip_by_id(services.db, tip_id)
    if tip is None:
        await answer_callback(query, context, "core.stale_button")
        return
    await answer_query(query)
    text, keyboard = _tip_view(context.lang, tip)
    await without_result(query.edit_message_text(text, reply_markup=keyboard))


# -- the add and edit dialogues -------------------------------------------------------


async def add_start(update: Update, context: BotContext) -> int:
    query = update.callback_query
    assert query is not None
    if not await _allowed(update, context):
        await _refuse(update, context)
        return ConversationHandler.END
    lang = context.lang
    rows = [[_button(lang, f"tips.focus.{f}", TipFocus(f))] for f in FOCUS_AREAS]
    await answer_query(query)
    await show_step(query, t(lang, "tips.lib.ask_focus"), InlineKeyboardMarkup(rows))
    return FOCUS


async def add_focus(update: Update, context: BotContext) -> int:
    query, button = pressed(update, TipFocus)
    focus = button.focus
    if focus not in FOCUS_AREAS:
        await answer_callback(query, context, "core.stale_button")
        return FOCUS
    user_data(context).tip_draft = TipDraft(focus=focus)
    lang = context.lang
    rows = [[_button(lang, f"tips.season.{s}", TipSeason(s))] for s in SEASONS]
    await answer_query(query)
    await show_step(query, t(lang, "tips.lib.ask_season"), InlineKeyboardMarkup(rows))
    return SEASON


async def add_season(update: Update, context: BotContext) -> int:
    query, button = pressed(update, TipSeason)
    season = button.season
    draft = user_data(context).tip_draft
    if season not in SEASONS or draft is None:
        await answer_callback(query, context, "core.stale_button")
        return ConversationHandler.END if draft is None else SEASON
    draft.season = season
    await answer_query(query)
    await show_step(query, *await sv_question(update, context))
    return TEXT_SV


async def sv_question(
    update: Update, context: BotContext
) -> tuple[str, InlineKeyboardMarkup | None]:
    return t(context.lang, "tips.lib.ask_sv"), None


async def en_question(
    update: Update, context: BotContext
) -> tuple[str, InlineKeyboardMarkup | None]:
    return t(context.lang, "tips.lib.ask_en"), None


async def edit_question(
    update: Update, context: BotContext
) -> tuple[str, InlineKeyboardMarkup | None]:
    """The EDIT step's question, naming the language of the text being edited."""
    draft = user_data(context).tip_draft
    code = draft.language if draft is not None and draft.language in ("sv", "en") else "sv"
    language = t_plain(context.lang, f"tips.lang.{code}")
    return t(context.lang, "tips.lib.ask_edit", language=language), None


async def _typed_text(update: Update, context: BotContext) -> str | None:
    message = update.effective_message
    assert message is not None
    text = message.text or ""
    problem = tip_service.tip_text_problem(text)
    if problem == "tips.lib.text_long":
        limit = MAX_TEXT_LENGTH
        length = utf16_len(text.strip())
        await reply(update, context, "core.text.too_long", length=length, max=limit)
        return None
    if problem:
        await reply(update, context, problem)
        return None
    return (message.text or "").strip()


async def add_text_sv(update: Update, context: BotContext) -> int:
    text = await _typed_text(update, context)
    if text is None:
        return TEXT_SV
    data = user_data(context)
    data.tip_draft = data.tip_draft or TipDraft()
    data.tip_draft.text_sv = text
    assert update.effective_message is not None
    await send_step(update.effective_message, *await en_question(update, context))
    return TEXT_EN


async def add_text_en(update: Update, context: BotContext) -> int:
    text = await _typed_text(update, context)
    if text is None:
        return TEXT_EN
    draft = user_data(context).tip_draft or TipDraft()
    user_data(context).forget(*STATE)
    if (
        not await _allowed(update, context)
        or draft.focus is None
        or draft.season is None
        or draft.text_sv is None
    ):
        await _refuse(update, context)
        return ConversationHandler.END
    services = context.services
    access = await access_of(services.db, services.settings, effective_user(update).id)
    await tip_service.add_manual_tip(
        services.db,
        access,
        draft.focus,
        draft.season,
        draft.text_sv,
        text,
        services.clock.now(),
    )
    assert update.effective_message is not None  # stored: the dialogue ends (send_closing)
    await send_closing(update.effective_message, t(context.lang, "tips.lib.added"))
    return ConversationHandler.END


async def edit_start(update: Update, context: BotContext) -> int:
    query, button = pressed(update, LibraryEdit)
    if not await _allowed(update, context):
        await _refuse(update, context)
        return ConversationHandler.END
    if button.language not in ("sv", "en"):
        await answer_callback(query, context, "core.stale_button")
        return ConversationHandler.END
    tip = await tip_admin.tip_by_id(context.services.db, button.tip_id)
    if tip is None:
        await answer_callback(query, context, "core.stale_button")
        return ConversationHandler.END
    user_data(context).tip_draft = TipDraft(tip_id=tip.id, language=button.language)
    await answer_query(query)
    assert query.message is not None
    await send_step(effective_message(update), *await edit_question(update, context))
    return EDIT


async def edit_text(update: Update, context: BotContext) -> int:
    text = await _typed_text(update, context)
    if text is None:
        return EDIT
    draft = user_data(context).tip_draft or TipDraft()
    user_data(context).forget(*STATE)
    access = await _librarian(update, context)
    if access is None or draft.tip_id is None or draft.language is None:
        await _refuse(update, context)
        return ConversationHandler.END
    services = context.services
    await tip_admin.edit_tip_text(
        services.db, access, draft.tip_id, draft.language, text, services.clock.now()
    )
    assert update.effective_message is not None  # stored: the dialogue ends (send_closing)
    await send_closing(update.effective_message, t(context.lang, "tips.lib.edited"))
    return ConversationHandler.END


def conversation() -> ConversationHandler:
    """The add/edit dialogues (private chats only)."""
    typed = filters.TEXT & ~filters.COMMAND & filters.ChatType.PRIVATE
    add_step_questions(
        "tips_library", {TEXT_SV: sv_question, TEXT_EN: en_question, EDIT: edit_question}
    )
    return dialogue(
        "tips_library",
        entry_points=[
            CallbackQueryHandler(add_start, pattern=LibraryAdd.filter()),
            CallbackQueryHandler(edit_start, pattern=LibraryEdit.filter()),
        ],
        states={
            FOCUS: [CallbackQueryHandler(add_focus, pattern=TipFocus.filter())],
            SEASON: [CallbackQueryHandler(add_season, pattern=TipSeason.filter())],
            TEXT_SV: [MessageHandler(typed, add_text_sv), not_typed(sv_question)],
            TEXT_EN: [MessageHandler(typed, add_text_en), not_typed(en_question)],
            EDIT: [MessageHandler(typed, edit_text), not_typed(edit_question)],
        },
        state=STATE,
    )
