"""/feed (/polisen): coordinators choose what the police's events feed brings their group;
police officers and admins see the feed's health.

Buttons: `FeedPanel` below (re-validated against storage on every press): the panel, a
category toggled, län-level events, quiet hours.
The role check is the one /tips uses (bot.services.tips.may_schedule).
"""

from __future__ import annotations

import dataclasses
import enum
from datetime import datetime, time

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler

from bot.api_request import without_result
from bot.callbacks import CallbackData
from bot.commands import CommandSpec, Where
from bot.context import BotContext
from bot.feed.service import health
from bot.feed.types import CHOOSABLE, format_categories, parse_categories
from bot.i18n import t, t_plain
from bot.i18n.dates import format_when
from bot.services import feed_settings
from bot.services import groups as group_service
from bot.services.roles import Access, Role, access_for_group, access_of
from bot.services.tips import may_schedule
from handlers.common import answer_callback, answer_query, is_private, pressed, reply
from handlers.guard import chat_admin_check, shown_in_own_chat
from storage import feed as feed_store
from storage.groups import GroupRecord

COMMANDS = [
    CommandSpec(
        "feed",
        "cmd.feed",
        frozenset({Role.COORDINATOR, Role.POLICE, Role.ADMIN}),
        Where.BOTH,
        swedish_alias="polisen",
    )
]

LAN_CODES = {"m": "message", "s": "summary", "o": "off"}
SUSPECT_KINDS = ("empty", "one_type", "stale_window")
QUIET_CHOICES = {"2207": ("22:00", "07:00"), "2106": ("21:00", "06:00"),
                 "2308": ("23:00", "08:00"), "off": None}  # fmt: skip


class FeedAction(enum.StrEnum):
    PANEL = "p"
    CATEGORY = "c"  # value: a category of CHOOSABLE
    LAN = "l"  # value: a code of LAN_CODES (none: the picker)
    QUIET = "q"  # value: a code of QUIET_CHOICES (none: the picker)


class FeedPanel(CallbackData, prefix="feed"):
    """A button of a group's /feed panel."""

    action: FeedAction
    group_id: int
    value: str | None = None


def _button(lang: str, key: str, data: FeedPanel, **params: object) -> InlineKeyboardButton:
    return InlineKeyboardButton(t_plain(lang, key, **params), callback_data=data.pack())


def _quiet_label(lang: str, quiet: tuple[str, str] | None) -> str:
    if quiet is None:
        return t_plain(lang, "feed.quiet.off")
    start, end = (format_when(lang, time.fromisoformat(at), part="clock") for at in quiet)
    return t_plain(lang, "feed.quiet.range", start=start, end=end)


async def _panel(context: BotContext, group: GroupRecord) -> tuple[str, InlineKeyboardMarkup]:
    lang = context.lang
    settings = await feed_store.group_settings(context.services.db, group.id)
    chosen = parse_categories(settings.categories)
    names = [t_plain(lang, f"feed.cat.{c}") for c in CHOOSABLE if c in chosen]
    text = t(
        lang,
        "feed.panel",
        group=group.area_name or group.title,
        categories=", ".join(names) or t_plain(lang, "feed.cat.none"),
        lan=t_plain(lang, f"feed.lan.{settings.lan_mode}"),
        quiet=_quiet_label(lang, settings.quiet),
    )
    g = group.id
    toggles = [
        InlineKeyboardButton(
            ("✅ " if c in chosen else "⬜ ") + t_plain(lang, f"feed.cat.{c}"),
            callback_data=FeedPanel(FeedAction.CATEGORY, g, c).pack(),
        )
        for c in CHOOSABLE
    ]
    rows = [toggles[i : i + 2] for i in range(0, len(toggles), 2)]
    rows.append(
        [
            _button(lang, "feed.btn.lan", FeedPanel(FeedAction.LAN, g)),
            _button(lang, "feed.btn.quiet", FeedPanel(FeedAction.QUIET, g)),
        ]
    )
    return text, InlineKeyboardMarkup(rows)


def _when(moment: datetime | None, lang: str, context: BotContext) -> str:
    if moment is None:
        return t_plain(lang, "feed.never")
    return format_when(lang, moment, context.services.settings.tzinfo)


def outcome_text(lang: str, outcome: str) -> str:
    """A call's stored outcome ('ok', 'suspect:one_type', 'http_429', 'error:timeout', …)
    in words for police officers and admins."""
    kind, _, detail = outcome.partition(":")
    if kind == "suspect":
        why = t_plain(lang, f"feed.outcome.suspect.{detail}") if detail in SUSPECT_KINDS else detail
        return t_plain(lang, "feed.outcome.suspect", why=why)
    if outcome in ("ok", "baseline", "pending", "http_404", "http_429"):
        return t_plain(lang, f"feed.outcome.{outcome}")
    if kind.startswith("http_"):
        return t_plain(lang, "feed.outcome.http", status=kind.removeprefix("http_"))
    if kind == "error" and detail.split(":")[0] in ("timeout", "network", "bad_body"):
        return t_plain(lang, f"feed.outcome.{detail.split(':')[0]}")
    return t_plain(lang, "feed.outcome.other", code=outcome)


async def health_text(context: BotContext) -> str:
    """The feed's health for police officers and admins."""
    services, lang = context.services, context.lang
    h = await health(services.db, services.settings, services.clock.now())
    unknown = ", ".join(f"{name} ({count})" for name, count in h.unknown_types[:20])
    last_call = _when(h.last_call, lang, context)
    if h.last_outcome:
        last_call += f" ({outcome_text(lang, h.last_outcome)})"
    if h.gone:
        next_call = t_plain(lang, "feed.gone")
    else:
        next_call = _when(h.next_call, lang, context) if h.next_call else t_plain(lang, "feed.now")
    return t(
        lang,
        "feed.health",
        enabled=t_plain(lang, "feed.yes" if h.enabled else "feed.no"),
        url=h.url,
        last_call=last_call,
        last_ok=_when(h.last_ok, lang, context),
        calls_day=h.calls_day,
        events_day=h.events_day,
        sent_day=h.sent_day,
        errors=h.errors_day,
        next_call=next_call,
        unknown=unknown or t_plain(lang, "feed.none"),
    )


def _sees_health(access: Access) -> bool:
    return access.is_admin or bool(access.police_kommuner)


async def feed_command(update: Update, context: BotContext) -> None:
    """/feed, /polisen: the group's panel in a group; health and a choice of groups privately."""
    user, chat, message = update.effective_user, update.effective_chat, update.effective_message
    assert user is not None and chat is not None and message is not None
    services = context.services
    access = await access_of(services.db, services.settings, user.id)
    if not is_private(update):
        group = await group_service.group_for_chat(services.db, chat.id)
        if group is None or not group.is_registered:
            await reply(update, context, "feed.not_registered")
            return
        group_access = await access_for_group(
            services.db, services.settings, chat_admin_check(context, update), user.id, group.id
        )
        if not may_schedule(group_access, group.id):
            await reply(update, context, "feed.not_allowed")
            return
        text, keyboard = await _panel(context, group)
        await without_result(message.reply_text(text, reply_markup=keyboard))
        return
    groups = await group_service.groups_coordinated(
        services.db, services.settings, chat_admin_check(context, update), user.id
    )
    if _sees_health(access):
        await without_result(message.reply_text(await health_text(context)))
    elif not groups:
        await reply(update, context, "feed.no_groups")
        return
    if len(groups) == 1:
        text, keyboard = await _panel(context, groups[0])
        await without_result(message.reply_text(text, reply_markup=keyboard))
    elif groups:
        rows = [
            [
                InlineKeyboardButton(
                    g.area_name or g.title or str(g.id),
                    callback_data=FeedPanel(FeedAction.PANEL, g.id).pack(),
                )
            ]
            for g in groups[:50]
        ]
        await without_result(
            message.reply_text(
                t(context.lang, "feed.choose"), reply_markup=InlineKeyboardMarkup(rows)
            )
        )


def _choice(label: str, current: bool, data: FeedPanel) -> list[InlineKeyboardButton]:
    """One picker row: the label capitalised, the current choice ticked."""
    label = label[:1].upper() + label[1:]
    return [InlineKeyboardButton(("✅ " if current else "") + label, callback_data=data.pack())]


def _picker(
    lang: str, action: str, gid: int, current: feed_store.GroupFeedSettings
) -> tuple[str, list[list[InlineKeyboardButton]]]:
    back = [_button(lang, "feed.btn.back", FeedPanel(FeedAction.PANEL, gid))]
    if action == "l":
        rows = [
            _choice(t_plain(lang, f"feed.lan.{mode}"), mode == current.lan_mode,
                    FeedPanel(FeedAction.LAN, gid, code))
            for code, mode in LAN_CODES.items()
        ]  # fmt: skip
        return "feed.pick.lan", [*rows, back]
    rows = [
        _choice(
            _quiet_label(lang, quiet) if quiet else t_plain(lang, "feed.quiet.off_button"),
            quiet == current.quiet,
            FeedPanel(FeedAction.QUIET, gid, code),
        )
        for code, quiet in QUIET_CHOICES.items()
    ]
    return "feed.pick.quiet", [*rows, back]


def _changed(
    current: feed_store.GroupFeedSettings, action: str, value: str
) -> feed_store.GroupFeedSettings | None:
    """The settings after a press, or None when the value is not one the buttons offer."""
    if action == "c" and value in CHOOSABLE:
        chosen = set(parse_categories(current.categories)) ^ {value}
        return dataclasses.replace(current, categories=format_categories(chosen))
    if action == "l" and value in LAN_CODES:
        return dataclasses.replace(current, lan_mode=LAN_CODES[value])
    if action == "q" and value in QUIET_CHOICES:
        return dataclasses.replace(current, quiet=QUIET_CHOICES[value])
    return None


async def panel_button(update: Update, context: BotContext) -> None:
    """Every panel button: parse, re-check the presser's role from storage, act."""
    query, button = pressed(update, FeedPanel)
    services = context.services
    action, gid = button.action, button.group_id
    group = await group_service.group_by_id(services.db, gid)
    if group is None or not group.is_registered or not shown_in_own_chat(query, group):
        await answer_callback(query, context, "core.stale_button")
        return
    access = await access_for_group(
        services.db, services.settings, chat_admin_check(context, update), query.from_user.id, gid
    )
    if not may_schedule(access, gid):
        await answer_callback(query, context, "feed.not_allowed", alert=True)
        return
    lang = context.lang
    if action in (FeedAction.LAN, FeedAction.QUIET) and button.value is None:
        current = await feed_store.group_settings(services.db, gid)
        key, rows = _picker(lang, action, gid, current)
        await without_result(
            query.edit_message_text(t(lang, key), reply_markup=InlineKeyboardMarkup(rows))
        )
        await answer_query(query)
        return
    if action is not FeedAction.PANEL:
        current = await feed_store.group_settings(services.db, gid)
        updated = None if button.value is None else _changed(current, action, button.value)
        if updated is None:
            await answer_callback(query, context, "core.stale_button")
            return
        await feed_settings.save_group_settings(
            services.db, services.clock.now(), access, chat_admin_check(context, update), updated
        )
    text, keyboard = await _panel(context, group)
    await without_result(query.edit_message_text(text, reply_markup=keyboard))
    # The toast last: the change is stored and shown even when answering fails.
    if action is not FeedAction.PANEL:
        await answer_callback(query, context, "feed.saved")
    else:
        await answer_query(query)


def register(application: Application) -> None:
    application.add_handler(CommandHandler(["feed", "polisen"], feed_command))
    application.add_handler(CallbackQueryHandler(panel_button, pattern=FeedPanel.filter()))
