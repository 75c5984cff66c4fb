"""Scenario actions around groups: the bot added or removed, people joining and leaving,
admins promoted, a group upgraded to a supergroup, a person blocking the bot.

A mixin of :class:`BotApiEmulator`; it uses the update builders defined there.
"""

from __future__ import annotations

from .state import ANON_ADMIN_USER, Chat, User


class GroupScenarios:
    """Membership changes as Telegram reports them (my_chat_member, chat_member, service
    messages)."""

    # ------------------------------------------------------------------ membership
    async def add_bot_to_group(self, grp: Chat, by: User, as_admin: bool = False) -> None:
        """``by`` adds the bot: my_chat_member update plus a new_chat_members message."""
        grp = self._group(grp)
        old, grp.bot_status = grp.bot_status, "administrator" if as_admin else "member"
        self._member_update(
            "my_chat_member",
            grp.to_dict(),
            by.to_dict(),
            self.bot_user.to_dict(),
            old,
            grp.bot_status,
        )
        if old not in ("creator", "administrator", "member"):
            bot = self.bot_user.to_dict()
            self._user_message(
                by,
                grp,
                service=True,
                new_chat_members=[bot],
                new_chat_member=bot,
                new_chat_participant=bot,
            )

    async def remove_bot_from_group(self, grp: Chat, by: User) -> None:
        """``by`` removes (kicks) the bot; later sends to the group get 403."""
        grp = self._group(grp)
        old, grp.bot_status = grp.bot_status, "kicked"
        self._member_update(
            "my_chat_member", grp.to_dict(), by.to_dict(), self.bot_user.to_dict(), old, "kicked"
        )

    async def user_joins(self, grp: Chat, user: User, by: User | None = None) -> dict:
        """``user`` joins ``grp``: service message + chat_member update (if bot is admin)."""
        grp = self._group(grp)
        old = grp.members.get(user.id, "left")
        grp.members[user.id] = "member"
        msg = self._user_message(
            by or user,
            grp,
            service=True,
            new_chat_members=[user.to_dict()],
            new_chat_member=user.to_dict(),
            new_chat_participant=user.to_dict(),
        )
        self._chat_member_changed(grp, user, old, "member", by)
        return msg

    async def user_leaves(self, grp: Chat, user: User, by: User | None = None) -> dict:
        """``user`` leaves (or is removed by ``by``): service message + chat_member update."""
        grp = self._group(grp)
        old = grp.members.get(user.id, "left")
        grp.members[user.id] = "left"
        msg = self._user_message(
            by or user,
            grp,
            service=True,
            left_chat_member=user.to_dict(),
            left_chat_participant=user.to_dict(),
        )
        self._chat_member_changed(grp, user, old, "left", by)
        return msg

    async def set_admin(
        self, grp: Chat, user: User, is_admin: bool = True, by: User | None = None
    ) -> None:
        """Promote/demote ``user`` (or the bot, if ``user`` is the bot's user)."""
        grp = self._group(grp)
        new = "administrator" if is_admin else "member"
        if user.id == self.bot_id:
            old, grp.bot_status = grp.bot_status, new
            actor = by or next(
                (self.users[u] for u, s in grp.members.items() if s == "creator"), self.bot_user
            )
            self._member_update(
                "my_chat_member", grp.to_dict(), actor.to_dict(), self.bot_user.to_dict(), old, new
            )
            return
        old = grp.members.get(user.id, "left")
        if old == "creator":
            return
        grp.members[user.id] = new
        self._chat_member_changed(grp, user, old, new, by)

    async def upgrade_group(self, grp: Chat) -> int:
        """Upgrade a group to a supergroup; returns the new chat id (-100...)."""
        grp = self._group(grp)
        if grp.type != "group":
            raise ValueError("only basic groups can be upgraded")
        new_id = -1_000_000_000_000 + grp.id  # -100xxxxxxxxxx
        new = Chat(
            new_id,
            grp.title,
            "supergroup",
            grp.username,
            dict(grp.members),
            grp.bot_status,
            migrated_from=grp.id,
        )
        self.chats[new_id] = new
        actor_id = next((u for u, s in grp.members.items() if s == "creator"), None)
        actor = self.users[actor_id] if actor_id else dict(ANON_ADMIN_USER)
        self._user_message(actor, grp, service=True, migrate_to_chat_id=new_id)
        grp.migrated_to = new_id
        self._user_message(actor, new, service=True, migrate_from_chat_id=grp.id)
        return new_id

    def block_bot(self, user: User) -> None:
        """``user`` blocks the bot (sends then get 403 "bot was blocked by the user")."""
        if not user.blocked and user.started:
            self._member_update(
                "my_chat_member",
                user.chat_dict(),
                user.to_dict(),
                self.bot_user.to_dict(),
                "member",
                "kicked",
            )
        user.blocked = True

    def unblock_bot(self, user: User) -> None:
        """``user`` unblocks the bot."""
        if user.blocked and user.started:
            self._member_update(
                "my_chat_member",
                user.chat_dict(),
                user.to_dict(),
                self.bot_user.to_dict(),
                "kicked",
                "member",
            )
        user.blocked = False
