"""/integritet (/privacy), /minadata (/mydata) and /glommig (/forgetme): the privacy
notice, a copy of a person's data and their erasure (bot/services/privacy.py).

Also links the notice from /start, warns at start-up when DATA_CONTROLLER is unset and
installs the daily retention pass (bot/retention_scheduler.py).
"""

from __future__ import annotations

import logging

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, InputFile, Update
from telegram.ext import (
    Application,
    ApplicationHandlerStop,
    CallbackQueryHandler,
    CommandHandler,
    MessageHandler,
)

from bot.api_request import without_result
from bot.callbacks import CallbackData
from bot.commands import EVERYONE, CommandSpec, Where
from bot.context import SERVICES_KEY, BotContext
from bot.i18n import Html, t, t_plain
from bot.retention_scheduler import install_retention
from bot.runtime import AnyApplication, Services
from bot.services import privacy as svc
from bot.services.groups import kommun_label
from bot.services.onboarding import StartSummary
from bot.services.refusals import Refused
from bot.textlen import clip, utf16_len
from handlers import core, fallbacks
from handlers.common import (
    answer_query,
    callback_query,
    effective_message,
    effective_user,
    is_private,
)
from handlers.dialogues import end_other_dialogues
from handlers.observations_notify import Renderer
from storage.name_order import name_key

log = logging.getLogger(__name__)

COMMANDS = [
    CommandSpec("privacy", "privacy.cmd.privacy", EVERYONE, Where.PRIVATE, "integritet"),
    CommandSpec("mydata", "privacy.cmd.mydata", EVERYONE, Where.PRIVATE, "minadata"),
    CommandSpec("forgetme", "privacy.cmd.forgetme", EVERYONE, Where.PRIVATE, "glommig"),
]


class ForgetMe(CallbackData, prefix="fgt"):
    """The answer to "do you want me to erase your data?" (only in the person's own chat)."""

    confirm: bool


def _private_only(update: Update) -> None:
    if not is_private(update):
        raise Refused("core.private_only")


def notice_text(lang: str, services: Services) -> Html:
    """The privacy notice with this bot's settings (retention times, the controller)."""
    settings = services.settings
    controller = settings.data_controller or t_plain(lang, "privacy.controller_unset")
    return t(
        lang,
        "privacy.notice",
        controller=controller,
        observation_days=t(lang, "privacy.days", count=settings.observation_retention_days),
        withdrawn_days=t(lang, "privacy.days", count=settings.withdrawn_retention_days),
        audit_days=t(lang, "privacy.days", count=settings.audit_retention_days),
    )


async def privacy_command(update: Update, context: BotContext) -> None:
    """/integritet: what is stored, why, who sees it, how long, rights, who is responsible."""
    _private_only(update)
    await without_result(
        effective_message(update).reply_text(notice_text(context.lang, context.services))
    )


async def start_section(update: Update, context: BotContext, summary: StartSummary) -> str | None:
    """The line /start ends with: where the privacy notice is."""
    del update, summary
    return t(context.lang, "privacy.link")


# Items named in one line of a summary: at most LIST_LIMIT, and no more than fit in
# LIST_BUDGET UTF-16 units; the rest are counted ("… and 180 more"), so the three lists
# together stay well within Telegram's 4096 (the JSON file has every one). A count alone
# was not enough: 20 area names of 64 characters are 1300 units in one line.
LIST_LIMIT = 20
LIST_BUDGET = 900


def _capped(lang: str, items: list[str], limit: int = LIST_LIMIT) -> str:
    shown: list[str] = []
    used = 0
    for item in items[:limit]:
        used += utf16_len(item) + (2 if shown else 0)  # ", "
        if used > LIST_BUDGET and shown:
            break
        shown.append(clip(item, LIST_BUDGET))
    text = ", ".join(shown)
    if len(items) > len(shown):
        text += " " + t_plain(lang, "core.list.more", count=len(items) - len(shown))
    return text


def _list(lang: str, items: list[str]) -> str:
    return _capped(lang, items) if items else t_plain(lang, "privacy.mydata.none")


async def my_data_command(update: Update, context: BotContext) -> None:
    """/minadata: the JSON document of everything stored, then a readable summary."""
    _private_only(update)
    services = context.services
    user_id = effective_message(update).chat_id
    document = await svc.my_data(services.db, services.clock, user_id)
    lang = context.lang
    stamp = services.clock.now().astimezone(services.settings.tzinfo).date()  # file name
    await context.bot.send_document(
        user_id,
        InputFile(svc.as_json(document), filename=f"grannvakt-mydata-{stamp}.json"),
        caption=t(lang, "privacy.mydata.caption"),
    )
    profile = document["profile"]
    if profile is None:
        who = t_plain(lang, "privacy.mydata.no_profile")
    else:
        who = " ".join(p for p in (profile["first_name"], profile["last_name"]) if p)
        if profile["username"]:
            who += f" (@{profile['username']})"
    # Names in the order of every list of names (storage/name_order.py), roles by kind.
    groups = sorted(
        (m["area"] or m["title"] for m in document["memberships"] if m["left_at"] is None),
        key=name_key,
    )
    scoped = [
        (
            r["role"],
            kommun_label(r["scope"])
            if r["role"] in ("police", "kommun")
            else r["area"] or r["scope"],
        )
        for r in document["roles"]
    ]
    roles = [
        t_plain(lang, f"privacy.role.{role}") + " " + name
        for role, name in sorted(scoped, key=lambda r: (r[0], name_key(r[1])))
    ]
    reports = [
        f"{r['reference']} ({t_plain(lang, 'obs.status.' + r['status'])})"
        for r in document["reports"]
    ]
    await without_result(
        effective_message(update).reply_text(
            t(
                lang,
                "privacy.mydata.summary",
                profile=who,
                groups=_list(lang, groups),
                roles=_list(lang, roles),
                reports=_list(lang, reports),
                acks=len(document["acknowledgements"]),
                audit=len(document["audit_entries"]),
            )
        )
    )


async def forget_me_command(update: Update, context: BotContext) -> None:
    """/glommig: ask for confirmation; nothing is erased before the press."""
    _private_only(update)
    lang = context.lang
    markup = InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    t_plain(lang, "privacy.forget.yes"), callback_data=ForgetMe(True).pack()
                ),
                InlineKeyboardButton(
                    t_plain(lang, "privacy.forget.no"), callback_data=ForgetMe(False).pack()
                ),
            ]
        ]
    )
    text = t(lang, "privacy.forget.ask")
    services = context.services
    alone = await svc.groups_only_they_coordinate(services.db, effective_user(update).id)
    if alone:  # said before the press: their groups' reports would then reach nobody
        warning = t(
            lang, "privacy.forget.last_coordinator", groups=_capped(lang, alone), count=len(alone)
        )
        text = Html(text + "\n\n" + warning)
    await without_result(effective_message(update).reply_text(text, reply_markup=markup))


def _done_text(lang: str, erasure: svc.Erasure) -> Html:
    c = erasure.counts
    kept = (
        t(
            lang,
            "privacy.forget.kept",
            references=_capped(lang, c.references_kept),
            count=len(c.references_kept),
        )
        if c.references_kept
        else t(lang, "privacy.forget.kept_none")
    )
    return t(
        lang,
        "privacy.forget.done",
        memberships=t(lang, "privacy.forget.memberships", count=c.memberships),
        roles=t(lang, "privacy.forget.roles", count=c.roles),
        acks=t(lang, "privacy.forget.acks", count=c.acknowledgements),
        reports_deleted=t(lang, "privacy.forget.reports", count=c.reports_deleted),
        photos=t(lang, "privacy.forget.photos", count=c.photos_deleted),
        kept=kept,
    )


async def on_forget_me(update: Update, context: BotContext) -> None:
    """The confirmation press: erase the person who pressed it, in their own chat only."""
    query = callback_query(update)
    press = ForgetMe.unpack(query.data)
    message = query.message
    if message is None or message.chat.id != query.from_user.id:
        raise Refused("core.not_allowed")
    lang = context.lang
    if not press.confirm:
        await answer_query(query)
        await without_result(query.edit_message_text(t(lang, "privacy.forget.cancelled")))
        return
    services = context.services
    erasure = await svc.erase(
        services.db,
        services.clock,
        services.people,
        query.from_user.id,
        Renderer(services.settings.tzinfo),
    )
    # Nothing of the person stays in memory either (dialogue drafts are stored from it),
    # and no dialogue goes on: its next step would take their words for a draft now gone.
    await end_other_dialogues(update, context, keep=None)
    if context.user_data is not None:
        context.user_data.clear()
    await answer_query(query)
    await without_result(query.edit_message_text(_done_text(lang, erasure)))
    # Later handler groups (e.g. "the person can be written to") must not record them again.
    raise ApplicationHandlerStop


async def _warn_without_controller(application: AnyApplication) -> None:
    services: Services = application.bot_data[SERVICES_KEY]
    if not services.settings.data_controller:
        log.warning(
            "DATA_CONTROLLER is not set: the privacy notice (/integritet) cannot name who "
            "is responsible for the data; set it to a name and a contact (docs/privacy.md)"
        )


def register(application: Application) -> None:
    services: Services = application.bot_data[SERVICES_KEY]
    services.startup_hooks.append(_warn_without_controller)
    install_retention(application, services)
    if start_section not in core.START_FOOTERS:  # once per process, not per application
        core.START_FOOTERS.append(start_section)
    application.add_handler(CommandHandler(["privacy", "integritet"], privacy_command))
    application.add_handler(CommandHandler(["mydata", "minadata"], my_data_command))
    application.add_handler(CommandHandler(["forgetme", "glommig"], forget_me_command))
    # /glömmig: Telegram command names are ASCII, people still type the letter.
    glom = fallbacks.swedish_command("glommig")
    application.add_handler(MessageHandler(glom, forget_me_command))
    application.add_handler(CallbackQueryHandler(on_forget_me, pattern=ForgetMe.filter()))
    application.add_handler(CallbackQueryHandler(_expired, pattern=ForgetMe.stale_filter()))


async def _expired(update: Update, context: BotContext) -> None:
    await answer_query(callback_query(update), t_plain(context.lang, "privacy.forget.expired"))
