"""Test-facing API: :class:`BotApiEmulator` acts as people and reports what the bot did."""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable
from typing import Any

from .methods_manage import ManageMethods
from .state import ANON_ADMIN_USER, Chat, SentMessage, User, chat_member_dict, now_ts

ChatRef = Chat | int | None
_user_ids = itertools.count(700_000_001)
_group_ids = itertools.count(1)


class BotApiEmulator(ManageMethods):
    """A loopback Telegram Bot API server plus a scenario API acting as users.

    ``await start()`` binds 127.0.0.1 on an ephemeral port inside the running loop;
    pass ``base_url``/``base_file_url`` to PTB's ``ApplicationBuilder``.
    """

    # ------------------------------------------------------------------ setup
    def add_user(
        self,
        first_name: str,
        language_code: str | None = "sv",
        username: str | None = None,
        last_name: str | None = None,
    ) -> User:
        """Create a person who can talk to the bot (has not started it yet)."""
        user = User(next(_user_ids), first_name, language_code, username, last_name)
        self.users[user.id] = user
        return user

    def add_group(
        self,
        title: str,
        members: list[User] = (),
        admins: list[User] = (),
        creator: User | None = None,
        supergroup: bool = False,
        bot_is_member: bool = False,
        bot_is_admin: bool = False,
        username: str | None = None,
    ) -> Chat:
        """Create a group (negative id) or supergroup (-100...) with the given members."""
        n = next(_group_ids)
        cid = -(1_000_000_000_000 + 4_000_000 + n) if supergroup else -(4_000_000 + n)
        chat = Chat(cid, title, "supergroup" if supergroup else "group", username)
        for u in members:
            chat.members[u.id] = "member"
        for u in admins:
            chat.members[u.id] = "administrator"
        if creator is not None:
            chat.members[creator.id] = "creator"
        if bot_is_admin:
            chat.bot_status = "administrator"
        elif bot_is_member:
            chat.bot_status = "member"
        self.chats[cid] = chat
        return chat

    def private_chat_id(self, user: User) -> int:
        """Id of the private chat between ``user`` and the bot (the user's id)."""
        return user.id

    def chat(self, chat_id: int) -> Chat:
        """The Chat object for a group id."""
        return self.chats[chat_id]

    def _group(self, chat: ChatRef) -> Chat | None:
        if chat is None:
            return None
        grp = self.chats[chat] if isinstance(chat, int) else chat
        while grp.migrated_to is not None:  # people moved on to the supergroup
            grp = self.chats[grp.migrated_to]
        return grp

    # ------------------------------------------------------------------ building updates
    def _deliverable(self, grp: Chat | None, msg: dict[str, Any], service: bool) -> bool:
        if grp is None:
            return True
        if not grp.bot_is_member:
            return False
        if not self.privacy_mode or service:
            return True
        text = msg.get("text") or msg.get("caption") or ""
        reply = msg.get("reply_to_message") or {}
        return text.startswith("/") or reply.get("from", {}).get("id") == self.bot_id

    def _user_message(
        self,
        user: User | dict,
        chat: ChatRef,
        service: bool = False,
        reply_to: Any = None,
        **content: Any,
    ) -> dict[str, Any]:
        grp = self._group(chat)
        sender = user.to_dict() if isinstance(user, User) else user
        if grp is None:
            assert isinstance(user, User), "private messages need a User"
            if user.blocked:
                self.unblock_bot(user)
            user.started = True
            target_id, chat_json = user.id, user.chat_dict()
        else:
            target_id, chat_json = grp.id, grp.to_dict()
        msg: dict[str, Any] = {
            "message_id": self.next_message_id(target_id),
            "from": sender,
            "date": now_ts(),
            "chat": chat_json,
            **content,
        }
        if reply_to is not None:
            mid = (
                reply_to
                if isinstance(reply_to, int)
                else (
                    reply_to.message_id
                    if isinstance(reply_to, SentMessage)
                    else reply_to["message_id"]
                )
            )
            original = self.messages.get((target_id, mid))
            if original is not None:
                msg["reply_to_message"] = {
                    k: v for k, v in original.items() if k != "reply_to_message"
                }
        self.messages[(target_id, msg["message_id"])] = msg
        if self._deliverable(grp, msg, service):
            self.enqueue_update("message", msg)
        return msg

    def _command_entities(self, text: str) -> list[dict[str, Any]]:
        if not text.startswith("/"):
            return []
        word = text.split(maxsplit=1)[0] if text.strip() else text
        return [{"type": "bot_command", "offset": 0, "length": len(word.encode("utf-16-le")) // 2}]

    def _member_update(
        self, kind: str, chat_json: dict, by: dict, user: dict, old: str, new: str
    ) -> dict[str, Any]:
        payload = {
            "chat": chat_json,
            "from": by,
            "date": now_ts(),
            "old_chat_member": chat_member_dict(user, old),
            "new_chat_member": chat_member_dict(user, new),
        }
        return self.enqueue_update(kind, payload)

    def _chat_member_changed(
        self, grp: Chat, user: User, old: str, new: str, by: User | None
    ) -> None:
        if grp.bot_status == "administrator" and old != new:
            self._member_update(
                "chat_member", grp.to_dict(), (by or user).to_dict(), user.to_dict(), old, new
            )

    # ------------------------------------------------------------------ people act
    async def send_text(
        self, user: User, text: str, chat: ChatRef = None, reply_to: Any = None
    ) -> dict[str, Any]:
        """User sends ``text`` (private chat by default); commands get a bot_command entity."""
        content: dict[str, Any] = {"text": text}
        ents = self._command_entities(text)
        if ents:
            content["entities"] = ents
        return self._user_message(user, chat, reply_to=reply_to, **content)

    async def press_button(
        self,
        user: User,
        message: SentMessage | dict,
        data: str | None = None,
        text: str | None = None,
    ) -> dict[str, Any]:
        """User presses an inline button (by callback ``data`` or label ``text``).

        Returns the callback_query dict (its ``id`` is what the bot must answer).
        """
        if isinstance(message, dict):
            message = self._sent_index[(message["chat"]["id"], message["message_id"])]
        if message.deleted:
            raise AssertionError(f"cannot press a button on deleted message {message!r}")
        if data is None and text is None:
            raise AssertionError("press_button needs data= or text=")
        buttons = [
            b for row in (message.reply_markup or {}).get("inline_keyboard", []) for b in row
        ]
        btn = next(
            (
                b
                for b in buttons
                if (data is not None and b.get("callback_data") == data)
                or (data is None and b.get("text") == text)
            ),
            None,
        )
        if btn is None:
            raise AssertionError(f"no button data={data!r} text={text!r} in {message!r}")
        if "callback_data" not in btn:
            raise AssertionError(f"button {btn.get('text')!r} is not a callback button")
        cq = {
            "id": str(next(self._ids) * 7919),
            "from": user.to_dict(),
            "message": dict(message.raw),
            "chat_instance": str(abs(message.chat_id) * 31),
            "data": btn["callback_data"],
        }
        self.pending_callbacks[cq["id"]] = cq
        self.enqueue_update("callback_query", cq)
        return cq

    async def share_location(
        self, user: User, latitude: float, longitude: float, chat: ChatRef = None
    ) -> dict[str, Any]:
        """User shares a location."""
        return self._user_message(
            user, chat, location={"latitude": latitude, "longitude": longitude}
        )

    async def send_photo(
        self,
        user: User,
        caption: str | None = None,
        chat: ChatRef = None,
        size: tuple[int, int] = (800, 600),
        file_size: int = 50_000,
    ) -> dict[str, Any]:
        """User sends a photo (two PhotoSizes, downloadable via getFile)."""
        w, h = size
        sizes = []
        for sw, sh, fs in (
            (max(1, w // 10), max(1, h // 10), max(1, file_size // 50)),
            (w, h, file_size),
        ):
            content = b"\xff\xd8\xff\xe0" + bytes(max(0, fs - 4))
            fid, uid = self.store_file(content, "photos", "jpg", "AgAC")
            sizes.append(
                {
                    "file_id": fid,
                    "file_unique_id": uid,
                    "width": sw,
                    "height": sh,
                    "file_size": len(content),
                }
            )
        content_d: dict[str, Any] = {"photo": sizes}
        if caption is not None:
            content_d["caption"] = caption
        return self._user_message(user, chat, **content_d)

    async def send_document(
        self,
        user: User,
        filename: str,
        content: bytes,
        chat: ChatRef = None,
        mime_type: str = "application/octet-stream",
        caption: str | None = None,
    ) -> dict[str, Any]:
        """User sends a document."""
        fid, uid = self.store_file(content, "documents", filename.rsplit(".", 1)[-1], "BQAC")
        self.files[fid]["file_name"] = filename
        extra: dict[str, Any] = {"caption": caption} if caption is not None else {}
        return self._user_message(
            user,
            chat,
            document={
                "file_id": fid,
                "file_unique_id": uid,
                "file_name": filename,
                "mime_type": mime_type,
                "file_size": len(content),
            },
            **extra,
        )

    async def send_sticker(self, user: User, chat: ChatRef = None) -> dict[str, Any]:
        """User sends a sticker (a message type bots usually don't handle)."""
        fid, uid = self.store_file(b"RIFF-webp", "stickers", "webp", "CAAC")
        return self._user_message(
            user,
            chat,
            sticker={
                "file_id": fid,
                "file_unique_id": uid,
                "type": "regular",
                "width": 512,
                "height": 512,
                "is_animated": False,
                "is_video": False,
                "emoji": "👍",
            },
        )

    async def send_anonymous_admin_command(self, grp: Chat, text: str) -> dict[str, Any]:
        """An anonymous admin writes ``text`` in ``grp`` (from GroupAnonymousBot)."""
        grp = self._group(grp)
        content: dict[str, Any] = {"text": text, "sender_chat": grp.to_dict()}
        ents = self._command_entities(text)
        if ents:
            content["entities"] = ents
        return self._user_message(dict(ANON_ADMIN_USER), grp, **content)

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

    # ------------------------------------------------------------------ reading results
    def sent_messages(self, chat_id: int | None = None) -> list[SentMessage]:
        """Messages the bot sent successfully, in order (edited/deleted ones included)."""
        return [m for m in self._sent if chat_id is None or m.chat_id == chat_id]

    def last_message(self, chat_id: int | None = None) -> SentMessage | None:
        """The most recent message the bot sent (to ``chat_id``), or None."""
        msgs = self.sent_messages(chat_id)
        return msgs[-1] if msgs else None

    def messages_edited(self, chat_id: int | None = None) -> list[SentMessage]:
        """Bot messages that have been edited at least once."""
        return [m for m in self.sent_messages(chat_id) if m.edited]

    def reset_limits(self) -> None:
        """Forget flood-limit history (e.g. between benchmark phases)."""
        self.limiter.reset()

    def _dump(self) -> str:
        sent = "\n".join(f"  {m!r}" for m in self._sent[-10:]) or "  (none)"
        errs = (
            "\n".join(f"  {c.method}: {c.error_code} {c.description}" for c in self.errors[-10:])
            or "  (none)"
        )
        return f"last sent messages:\n{sent}\nlast errors:\n{errs}"

    async def wait_until(
        self,
        condition: Callable[[], Any],
        timeout: float = 5.0,  # noqa: ASYNC109
        what: str = "condition",
    ) -> Any:
        """Wait until ``condition()`` is truthy (re-checked on every API call); return it."""
        deadline = time.monotonic() + timeout
        while True:
            value = condition()
            if value:
                return value
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise AssertionError(
                    f"timed out after {timeout}s waiting for {what}\n" + self._dump()
                )
            await self._wait_change(min(remaining, 0.05))

    async def wait_for_message(
        self,
        chat_id: int,
        predicate: Callable[[SentMessage], Any] | None = None,
        timeout: float = 5.0,  # noqa: ASYNC109
        after: int | float | SentMessage | None = None,
    ) -> SentMessage:
        """Wait for the next bot message to ``chat_id`` satisfying ``predicate``.

        ``after``: None = messages sent since the last scenario action (the last update
        queued), so a reply that came before this call is still found; int = index into
        ``sent_messages(chat_id)``; float = a ``time.monotonic()`` instant; a SentMessage =
        messages after that one.
        """
        if after is None:
            start = sum(
                1 for m in self._sent[: self.messages_before_last_action] if m.chat_id == chat_id
            )
        elif isinstance(after, SentMessage):
            start = self.sent_messages(chat_id).index(after) + 1
        elif isinstance(after, float):
            start = sum(m.sent_at <= after for m in self.sent_messages(chat_id))
        else:
            start = after

        def find() -> SentMessage | None:
            for m in self.sent_messages(chat_id)[start:]:
                if predicate is None or predicate(m):
                    return m
            return None

        return await self.wait_until(find, timeout, f"a bot message to chat {chat_id}")

    async def wait_for_callback_answer(
        self,
        callback_id: str | None = None,
        timeout: float = 5.0,  # noqa: ASYNC109
    ) -> dict[str, Any]:
        """Wait for answerCallbackQuery (for ``callback_id``, or the next one)."""
        start = self.answers_before_last_action if callback_id is None else 0

        def find() -> dict[str, Any] | None:
            for a in self.callback_answers[start:]:
                if callback_id is None or a["callback_query_id"] == str(callback_id):
                    return a
            return None

        return await self.wait_until(find, timeout, f"callback answer {callback_id}")
