"""/start, /help, /language and the catch-all /cancel."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, MessageHandler

from bot.callbacks import CallbackData
from bot.commands import EVERYONE, CommandSpec, Where, commands_for
from bot.context import BotContext
from bot.i18n import LANGUAGES, Html, t
from bot.services import dialogues as dialogue_service
from bot.services.roles import roles_of
from handlers import fallbacks
from handlers.common import (
    answer_callback,
    answer_query,
    effective_message,
    is_private,
    pressed,
    reply,
    user_data,
)
from handlers.guard import pressed_by_its_person

COMMANDS = [
    CommandSpec("start", "cmd.start", EVERYONE, Where.PRIVATE),
    CommandSpec("help", "cmd.help", EVERYONE, Where.BOTH, swedish_alias="hjalp"),
    CommandSpec("language", "cmd.language", EVERYONE, Where.PRIVATE, swedish_alias="sprak"),
    CommandSpec("cancel", "cmd.cancel", EVERYONE, Where.PRIVATE, swedish_alias="avbryt"),
]

LANGUAGE_LABELS = {"sv": "🇸🇪 Svenska", "en": "🇬🇧 English"}


class LanguageChoice(CallbackData, prefix="lang"):
    """/language: the chosen language's code (checked against `LANGUAGES` when pressed)."""

    language: str


# Later features append their own lines to /start (e.g. the person's groups); each is
# an async function (update, context) -> str | None returning ready HTML.
START_SECTIONS: list[Callable[[Update, BotContext], Awaitable[str | None]]] = []


async def start(update: Update, context: BotContext) -> None:
    """Greet the person in their language and explain what the bot does."""
    if not is_private(update):
        # Plain /start in a group may be meant for any bot; /start@thisbot is for us.
        message = update.effective_message
        if message is not None and fallbacks.addressed_to_bot(message, context.bot.username):
            await reply(update, context, "core.private_only")
        return
    user = update.effective_user
    assert user is not None
    text: str = t(
        context.lang,
        "core.start",
        name=user.first_name,
        next_step=Html(t(context.lang, "core.start.next_resident")),
    )
    for section in START_SECTIONS:
        extra = await section(update, context)
        if extra:
            text += "\n\n" + extra
    await effective_message(update).reply_text(text)


async def help_command(update: Update, context: BotContext) -> None:
    """List the commands this person may use here; their stored roles decide."""
    user = update.effective_user
    assert user is not None
    services = context.services
    roles = await roles_of(services.db, services.settings, user.id)
    where = Where.PRIVATE if is_private(update) else Where.GROUP
    lines: list[str] = [t(context.lang, "core.help.title")]
    for spec in commands_for(services.commands, roles, where):
        lines.append(
            t(
                context.lang,
                "core.help.line",
                command=spec.shown_name(context.lang),
                description=t(context.lang, spec.description_key),
            )
        )
    lines.append("")
    lines.append(t(context.lang, "core.help.footer"))
    await effective_message(update).reply_text("\n".join(lines))


async def language_command(update: Update, context: BotContext) -> None:
    """Offer Svenska / English as buttons."""
    keyboard = InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    LANGUAGE_LABELS[code], callback_data=LanguageChoice(code).pack()
                )
                for code in LANGUAGES
            ]
        ]
    )
    await effective_message(update).reply_text(
        t(context.lang, "core.language.prompt"), reply_markup=keyboard
    )


async def language_chosen(update: Update, context: BotContext) -> None:
    """Store the language picked with a button (the button's data is validated).

    The chooser belongs to the person who asked for it: in a group nobody else may use it
    (it would edit the shared message and set their language from someone else's screen).
    """
    query, button = pressed(update, LanguageChoice)
    if not pressed_by_its_person(query):
        await answer_callback(query, context, "core.stale_button", alert=True)
        return
    code = button.language
    if code not in LANGUAGES:
        await answer_query(query, t(context.lang, "core.language.unknown"))
        return
    await context.services.people.choose_language(query.from_user.id, code)
    user_data(context).lang = code
    await answer_query(query)
    await query.edit_message_text(t(code, "core.language.saved"))


async def cancel_outside_dialogue(update: Update, context: BotContext) -> None:
    """/cancel when no dialogue is running (one a restart could not resume counts as
    cancelled)."""
    user, chat = update.effective_user, update.effective_chat
    db = context.services.db
    if user is not None and chat is not None:
        if await dialogue_service.lost(db, user.id, chat.id):
            await dialogue_service.told_interrupted(db, user.id, chat.id)
            await reply(update, context, "core.cancel.done")
            return
    await reply(update, context, "core.cancel.nothing")


def register(application: Application) -> None:
    application.add_handler(CommandHandler("start", start))
    application.add_handler(CommandHandler(["help", "hjalp"], help_command))
    application.add_handler(CommandHandler(["language", "sprak"], language_command))
    # /hjälp and /språk: Telegram command names are ASCII, people still type the letters.
    application.add_handler(MessageHandler(fallbacks.swedish_command("hjalp"), help_command))
    application.add_handler(MessageHandler(fallbacks.swedish_command("sprak"), language_command))
    application.add_handler(CallbackQueryHandler(language_chosen, pattern=LanguageChoice.filter()))


def register_fallbacks(application: Application) -> None:
    """Registered last: catch-alls that must not shadow feature handlers."""
    application.add_handler(CommandHandler(["cancel", "avbryt"], cancel_outside_dialogue))
    fallbacks.register(application)
