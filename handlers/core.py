"""/start, /help, /language and the catch-all /cancel."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, MessageHandler

from bot.api_request import without_result
from bot.callbacks import CallbackData
from bot.commands import EVERYONE, CommandSpec, Where, commands_for
from bot.context import BotContext
from bot.i18n import LANGUAGES, Html, t, t_plain
from bot.menus import refresh_person_menu, shared_menu_fits, update_person_menu
from bot.persistence import current_states
from bot.services import dialogues as dialogue_service
from bot.services import groups as group_service
from bot.services import onboarding
from bot.services.groups import kommun_label
from bot.services.kommuner import by_kommun_name
from bot.services.onboarding import StartSummary
from bot.services.roles import Role, roles_of
from handlers import dialogues, fallbacks
from handlers.common import (
    answer_callback,
    answer_query,
    effective_message,
    is_private,
    pressed,
    reply,
    user_data,
)
from handlers.guard import chat_admin_check, pressed_by_its_person

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
# an async function (update, context, summary) -> str | None returning ready HTML, given
# what /start has just read (onboarding.StartSummary) so that it need not read it again.
START_SECTIONS: list[Callable[[Update, BotContext, StartSummary], Awaitable[str | None]]] = []
# Lines that close /start, after the sections and the next step (same signature).
START_FOOTERS: list[Callable[[Update, BotContext, StartSummary], Awaitable[str | None]]] = []


async def start(update: Update, context: BotContext) -> None:
    """In private: a short /start about a known person (their groups, roles, what waits,
    the next step); the long welcome for someone with no group and no role.

    In a group, /start@bot is answered by handlers.groups_hello (registered first)."""
    if not is_private(update):
        # Plain /start in a group may be meant for any bot; /start@thisbot is for us.
        message = update.effective_message
        if message is not None and fallbacks.addressed_to_bot(message, context.bot.username):
            await reply(update, context, "core.private_only")
        return
    user = update.effective_user
    assert user is not None
    services = context.services
    summary = await onboarding.start_summary(
        services.db, services.settings, chat_admin_check(context, update), user.id
    )
    shared_fits = shared_menu_fits(summary.roles, context.lang, user.language_code)
    await update_person_menu(
        context.bot,
        services,
        user.id,
        summary.roles,
        context.lang,
        summary.menu,
        shared_fits=shared_fits,
    )
    sections = [
        text for section in START_SECTIONS if (text := await section(update, context, summary))
    ]
    footers = [text for footer in START_FOOTERS if (text := await footer(update, context, summary))]
    if summary.known:
        text = _about_them(context.lang, user.first_name, summary, sections, footers)
    else:
        text = t(
            context.lang,
            "core.start",
            name=user.first_name,
            next_step=Html(t(context.lang, "core.start.next_resident")),
        )
        for extra in [*sections, *footers]:
            text += "\n\n" + extra
    if context.args and context.args != [group_service.PLAIN_START]:
        # A link's payload no deep-link handler took: cut short, mistyped, or made up.
        # Said first: it is what the person just did.
        text = t(context.lang, "core.start.unknown_link") + "\n\n" + text
    await without_result(effective_message(update).reply_text(text))


def _about_them(
    lang: str, name: str, summary: StartSummary, sections: list[str], footers: list[str]
) -> str:
    """The short /start: who they are here, what waits for them, their next step."""
    access = summary.access
    lines: list[str] = [t(lang, "onb.start.known", name=name)]
    lines.extend(sections)  # e.g. their groups (handlers.membership)
    roles: list[str] = []
    if access.police_kommuner:
        kommuner = ", ".join(kommun_label(code) for code in by_kommun_name(access.police_kommuner))
        roles.append(t(lang, "onb.start.police", kommuner=kommuner, count=summary.police_reach))
    if access.kommun_kommuner:
        kommuner = ", ".join(kommun_label(code) for code in by_kommun_name(access.kommun_kommuner))
        roles.append(t(lang, "onb.start.kommun", kommuner=kommuner))
    if access.coordinator_of:
        roles.append(t(lang, "onb.start.coordinator", count=summary.coordinated))
    if access.is_admin:
        roles.append(t(lang, "onb.start.admin"))
    if summary.new_observations:
        roles.append(t(lang, "onb.start.waiting_observations", count=summary.new_observations))
    if summary.inbox:
        roles.append(t(lang, "onb.start.waiting_inbox", count=summary.inbox))
    if roles:
        lines.append("\n".join(roles))
    if access.police_kommuner:
        lines.append(t(lang, "onb.start.next_police"))
    elif access.coordinator_of:
        lines.append(t(lang, "onb.start.next_coordinator"))
    elif access.kommun_kommuner:
        lines.append(t(lang, "onb.start.next_kommun"))
    else:
        lines.append(t(lang, "onb.start.next_resident"))
    lines.extend(footers)  # e.g. where the privacy notice is (handlers.privacy)
    lines.append(t(lang, "onb.start.footer"))
    return "\n\n".join(lines)


HELP_SECTIONS = (
    (Role.RESIDENT, "onb.help.resident"),
    (Role.COORDINATOR, "onb.help.coordinator"),
    (Role.POLICE, "onb.help.police"),
    (Role.KOMMUN, "onb.help.kommun"),
    (Role.ADMIN, "onb.help.admin"),
)


async def help_command(update: Update, context: BotContext) -> None:
    """List the commands this person may use here, grouped by role; their stored roles
    decide (a command of several roles is listed under each of the person's). In a group,
    what a resident does there comes first (report privately, their data and groups in
    the private chat, alerts and tips in the group), with a button to the private chat."""
    user = update.effective_user
    assert user is not None
    services = context.services
    roles = await roles_of(services.db, services.settings, user.id)
    where = Where.PRIVATE if is_private(update) else Where.GROUP
    markup = None
    resident_intro: list[str] = []
    if where is Where.GROUP:
        resident_intro, markup = await _help_in_group(update, context)
    usable = commands_for(services.commands, roles, where)
    lang = context.lang

    def line(spec: CommandSpec) -> str:
        return t(
            lang,
            "core.help.line",
            command=spec.shown_name(lang),
            description=t(lang, spec.description_key),
        )

    blocks: list[str] = []
    for role, title in HELP_SECTIONS:
        if role not in roles:
            continue
        own = [
            spec
            for spec in usable
            if spec not in COMMANDS
            and role in spec.roles
            and (role is Role.RESIDENT or Role.RESIDENT not in spec.roles)
        ]
        if role is Role.RESIDENT and resident_intro:
            blocks.append("\n".join([*resident_intro, *map(line, own)]))
        elif own:
            blocks.append("\n".join([t(lang, title), *map(line, own)]))
    general = [spec for spec in usable if spec in COMMANDS]  # /start, /help, /language …
    if general:
        blocks.append("\n".join([t(lang, "onb.help.general"), *map(line, general)]))
    text = t(lang, "core.help.title") + "\n\n" + "\n\n".join(blocks)
    open_dialogue = _open_dialogue_line(update, context)
    if open_dialogue:
        text = f"{open_dialogue}\n\n{text}"
    await without_result(
        effective_message(update).reply_text(
            text + "\n\n" + t(lang, "core.help.footer"), reply_markup=markup
        )
    )


def _open_dialogue_line(update: Update, context: BotContext) -> str:
    """The line that says which dialogue the person is in (help does not end it), or ""."""
    user, message = update.effective_user, effective_message(update)
    assert user is not None
    running = current_states(context.application, message.chat_id, user.id)
    if not running:
        return ""
    what, _ = dialogues.describe(dialogues.infos(context).get(running[0][0]), context.lang)
    return t(context.lang, "core.help.dialogue_open", what=what)


async def _help_in_group(
    update: Update, context: BotContext
) -> tuple[list[str], InlineKeyboardMarkup]:
    """/hjalp in a group: the resident's lines and the button to the private chat (the
    group's report link when it is registered, else a plain start)."""
    services, lang = context.services, context.lang
    group = await group_service.group_for_chat(services.db, effective_message(update).chat_id)
    registered = group is not None and group.is_registered
    if group is not None and registered:
        token = services.settings.bot_token.get_secret_value()
        payload, label = group_service.report_payload(token, group.id), "onb.help.group_report"
    else:
        payload, label = group_service.PLAIN_START, "onb.help.group_open_chat"
    link = group_service.deep_link(context.bot.username, payload)
    alerts = "onb.help.group_alerts" if registered else "onb.help.group_alerts_later"
    lines: list[str] = [
        t(lang, key) for key in ("onb.help.resident", "onb.help.group_resident", alerts)
    ]
    button = InlineKeyboardButton(t_plain(lang, label), url=link)
    return lines, InlineKeyboardMarkup([[button]])


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
    await without_result(
        effective_message(update).reply_text(
            t(context.lang, "core.language.prompt"), reply_markup=keyboard
        )
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
    await refresh_person_menu(context.bot, context.services, query.from_user.id, language=code)
    await answer_query(query)
    await without_result(query.edit_message_text(t(code, "core.language.saved")))


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
