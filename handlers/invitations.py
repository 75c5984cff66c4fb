"""Police and kommun-role invitations: `/invite` (`/bjudin`, `/bjudin kommun …`) for
admins, redeemed via `/start inv_<code>`."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, filters

from bot.api_request import without_result
from bot.callbacks import CallbackData
from bot.commands import CommandSpec, Where
from bot.context import BotContext
from bot.i18n import t
from bot.i18n.dates import format_when
from bot.menus import refresh_person_menu
from bot.services import group_input
from bot.services import groups as group_service
from bot.services import invitations as invitation_service
from bot.services.kommuner import Kommun, by_kommun_name, find_kommun_by_code, match_kommuner
from bot.services.roles import Role, access_of
from bot.textlen import clip, utf16_len
from handlers.common import (
    answer_callback,
    answer_query,
    callback_query,
    effective_message,
    is_private,
    pressed,
    reply,
)


class InviteKommuner(CallbackData, prefix="invk"):
    """/invite: the kommuner of the invitation, their codes joined by ``.`` (the admin
    picked the last one among several matches)."""

    codes: str

    @property
    def kommun_codes(self) -> list[str]:
        return self.codes.split(".")


INVITE_START = filters.Regex(r"^/start(@\w+)?\s+inv_")
MAX_KOMMUNER = 10
MAX_INPUT = 500  # ten kommun names with room to spare; longer input is refused
ECHO_LIMIT = 60  # a name echoed back in an answer is cut to this length

COMMANDS = [
    CommandSpec(
        "invite",
        "grp.cmd.invite",
        frozenset({Role.ADMIN}),
        Where.PRIVATE,
        swedish_alias="bjudin",
    ),
]


def _kommuner_text(codes: tuple[str, ...] | list[str]) -> str:
    return ", ".join(group_service.kommun_label(code) for code in by_kommun_name(codes))


async def _is_admin(context: BotContext, user_id: int) -> bool:
    services = context.services
    return (await access_of(services.db, services.settings, user_id)).is_admin


class InviteKommunRole(CallbackData, prefix="ikr"):
    """The admin picked the kommun of a kommun-role invitation: dot-joined kommun codes."""

    codes: str


# `/bjudin kommun Sölvesborg` invites the kommun role; a first word naming a role is not a kommun.
_ROLE_WORDS = {
    "kommun": Role.KOMMUN,
    "kommunen": Role.KOMMUN,
    "polis": Role.POLICE,
    "police": Role.POLICE,
    "polisen": Role.POLICE,
}


async def _send_invitation(
    update: Update, context: BotContext, user_id: int, codes: list[str], role: Role = Role.POLICE
) -> None:
    services = context.services
    access = await access_of(services.db, services.settings, user_id)
    created = await invitation_service.create_invitation(
        services.db, services.clock.now(), role, codes, actor=access
    )
    link = group_service.deep_link(context.bot.username, created.payload)
    expires = format_when(context.lang, created.expires_at, services.settings.tzinfo)
    message = update.effective_message
    assert message is not None
    await without_result(
        message.reply_text(
            t(
                context.lang,
                "lagesbild.inv.created" if role is Role.KOMMUN else "inv.created",
                kommuner=_kommuner_text(created.kommun_codes),
                expires=expires,
                link=link,
            ),
            disable_web_page_preview=True,
        )
    )


async def invite_command(update: Update, context: BotContext) -> None:
    """`/invite <kommun>[, <kommun>...]`: an admin creates a one-time police invitation."""
    user = update.effective_user
    assert user is not None
    if not is_private(update):
        await reply(update, context, "core.private_only")
        return
    if not await _is_admin(context, user.id):
        await reply(update, context, "core.not_allowed")
        return
    args = list(context.args or [])
    role = Role.POLICE
    if len(args) > 1 and args[0].lower() in _ROLE_WORDS:
        role = _ROLE_WORDS[args.pop(0).lower()]
    raw = " ".join(args)
    if utf16_len(raw) > MAX_INPUT:
        await reply(update, context, "core.input.too_long", length=utf16_len(raw), max=MAX_INPUT)
        return
    queries = [q.strip() for q in raw.split(",") if q.strip()]
    if not queries or len(queries) > MAX_KOMMUNER:
        await reply(update, context, "inv.usage", count=invitation_service.DEFAULT_EXPIRY.days)
        return
    # Resolve every name first, so a choice between similar names keeps all the others.
    resolved: list[str] = []
    ambiguous: list[tuple[str, list[Kommun]]] = []
    for query in queries:
        matches = match_kommuner(query, limit=group_input.KOMMUN_CHOICES)
        if not matches:
            await reply(update, context, "inv.no_match", query=clip(query, ECHO_LIMIT))
            return
        if len(matches) > 1:
            ambiguous.append((query, matches))
        else:
            resolved.append(matches[0].code)
    if len(ambiguous) > 1:
        await reply(
            update,
            context,
            "inv.ambiguous_many",
            names=", ".join(clip(query, ECHO_LIMIT) for query, _ in ambiguous),
        )
        return
    if ambiguous:
        query, matches = ambiguous[0]
        keyboard = InlineKeyboardMarkup(
            [
                [
                    InlineKeyboardButton(
                        f"{k.name} ({k.lan_name})",
                        callback_data=(
                            InviteKommunRole(".".join([*resolved, k.code])).pack()
                            if role is Role.KOMMUN
                            else InviteKommuner(".".join([*resolved, k.code])).pack()
                        ),
                    )
                ]
                for k in matches
            ]
        )
        await without_result(
            effective_message(update).reply_text(
                t(context.lang, "inv.choose", query=clip(query, ECHO_LIMIT)), reply_markup=keyboard
            )
        )
        return
    await _send_invitation(update, context, user.id, resolved, role)


async def invite_kommun_chosen(update: Update, context: BotContext) -> None:
    """`InviteKommuner` (police) or `InviteKommunRole`: the admin picked the kommun; the
    service re-checks the role (a refusal reaches the error handler)."""
    query = callback_query(update)
    kommun_role = InviteKommunRole.parse(query.data)
    if kommun_role is not None:
        codes, role = kommun_role.codes.split("."), Role.KOMMUN
    else:
        _, button = pressed(update, InviteKommuner)
        codes, role = button.kommun_codes, Role.POLICE
    if not codes or len(codes) > MAX_KOMMUNER or any(find_kommun_by_code(c) is None for c in codes):
        await answer_callback(query, context, "core.stale_button")
        return
    await _send_invitation(update, context, query.from_user.id, codes, role)
    await answer_query(query)


async def start_invitation(update: Update, context: BotContext) -> None:
    """`/start inv_<code>`: the first person to open the link gets the police role."""
    user = update.effective_user
    assert user is not None
    services = context.services
    code = invitation_service.code_from_payload((context.args or [""])[0])
    if code is None:
        await reply(update, context, "inv.unknown")
        return
    # An unknown, used or expired code is Refused: the error handler answers it.
    result = await invitation_service.redeem(services.db, services.clock.now(), code, user.id)
    key = "lagesbild.inv.redeemed" if result.role == Role.KOMMUN else "inv.redeemed"
    text: str = t(context.lang, key, kommuner=_kommuner_text(result.scopes))
    if result.role == Role.POLICE:  # the next step: what /larm reaches
        reach = await group_service.active_group_count(services.db, list(result.scopes))
        text += "\n\n" + t(context.lang, "onb.redeemed.next", count=reach)
    await without_result(effective_message(update).reply_text(text))
    await refresh_person_menu(context.bot, services, user.id)


def register(application: Application) -> None:
    application.add_handler(
        CommandHandler("start", start_invitation, filters=filters.ChatType.PRIVATE & INVITE_START)
    )
    application.add_handler(CommandHandler(["invite", "bjudin"], invite_command))
    application.add_handler(
        CallbackQueryHandler(invite_kommun_chosen, pattern=InviteKommuner.filter())
    )
    application.add_handler(
        CallbackQueryHandler(invite_kommun_chosen, pattern=InviteKommunRole.filter())
    )
