"""Test-facing API: :class:`BotApiEmulator` acts as people and reports what the bot did."""

from __future__ import annotations

import itertools
from typing import Any

from .methods_manage import ManageMethods
from .methods_pins import PinMethods
from .methods_polls import PollMethods
from .readers import ResultReaders
from .scenario_groups import GroupScenarios
from .state import ANON_ADMIN_USER, Chat, SentMessage, User, chat_member_dict, now_ts
from .webhook import WebhookMethods

ChatRef = Chat | int | None
_user_ids = itertools.count(700_000_001)
_group_ids = itertools.count(1)


class BotApiEmulator(
    WebhookMethods, GroupScenarios, ResultReaders, PollMethods, PinMethods, ManageMethods
):
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
        forum: bool = False,
    ) -> Chat:
        """Create a group (negative id) or supergroup (-100...) with the given members.

        ``forum=True`` makes a forum supergroup (topics; see ``add_topic``)."""
        n = next(_group_ids)
        supergroup = supergroup or forum
        cid = -(1_000_000_000_000 + 4_000_000 + n) if supergroup else -(4_000_000 + n)
        chat = Chat(cid, title, "supergroup" if supergroup else "group", username, is_forum=forum)
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

    def add_topic(self, grp: Chat, name: str, thread_id: int | None = None) -> int:
        """Create a forum topic; returns its message_thread_id (by default the id of the
        message that created it, as in Telegram)."""
        if not grp.is_forum:
            raise AssertionError(f"{grp.title!r} is not a forum")
        if thread_id is None:
            thread_id = self.next_message_id(grp.id)
        else:  # keep later message ids above an explicitly chosen thread id
            self._next_msg_id[grp.id] = max(self._next_msg_id.get(grp.id, 0), thread_id)
        grp.topics[thread_id] = {"name": name, "closed": False}
        return thread_id

    def close_topic(self, grp: Chat, thread_id: int | None, closed: bool = True) -> None:
        """Close (or reopen) a topic; ``None`` is General. The bot then gets 400 TOPIC_CLOSED."""
        if thread_id is None:
            grp.general_closed = closed
        else:
            grp.topics[thread_id]["closed"] = closed

    def delete_topic(self, grp: Chat, thread_id: int) -> None:
        """Delete a topic: sends there get 400 "message thread not found"."""
        del grp.topics[thread_id]

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
        thread: int | None = None,
        **content: Any,
    ) -> dict[str, Any]:
        grp = self._group(chat)
        if thread is not None:
            assert grp is not None and thread in grp.topics, f"no topic {thread} in {chat!r}"
            content.update(message_thread_id=thread, is_topic_message=True)
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
        self,
        user: User,
        text: str,
        chat: ChatRef = None,
        reply_to: Any = None,
        thread: int | None = None,
    ) -> dict[str, Any]:
        """User sends ``text`` (private chat by default); commands get a bot_command entity.

        ``thread``: the forum topic it is written in (None: General or not a forum)."""
        content: dict[str, Any] = {"text": text}
        ents = self._command_entities(text)
        if ents:
            content["entities"] = ents
        return self._user_message(user, chat, reply_to=reply_to, thread=thread, **content)

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
        return self._enqueue_press(user, message, btn["callback_data"])

    async def press_forged(
        self, user: User, message: SentMessage | dict, data: str
    ) -> dict[str, Any]:
        """A modified client sends ``data`` with a press on ``message``, whether or not the
        message has such a button. Returns the callback_query dict."""
        if isinstance(message, dict):
            message = self._sent_index[(message["chat"]["id"], message["message_id"])]
        return self._enqueue_press(user, message, data)

    def _enqueue_press(self, user: User, message: SentMessage, data: str) -> dict[str, Any]:
        # Like Telegram, the query carries the message as it is now, with its current keyboard.
        shown = dict(message.raw)
        if message.reply_markup:
            shown["reply_markup"] = message.reply_markup
        else:
            shown.pop("reply_markup", None)
        cq = {
            "id": str(next(self._ids) * 7919),
            "from": user.to_dict(),
            "message": shown,
            "chat_instance": str(abs(message.chat_id) * 31),
            "data": data,
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

    async def send_anonymous_admin_command(
        self, grp: Chat, text: str, reply_to: Any = None, thread: int | None = None
    ) -> dict[str, Any]:
        """An anonymous admin writes ``text`` in ``grp`` (from GroupAnonymousBot)."""
        grp = self._group(grp)
        content: dict[str, Any] = {"text": text, "sender_chat": grp.to_dict()}
        ents = self._command_entities(text)
        if ents:
            content["entities"] = ents
        return self._user_message(
            dict(ANON_ADMIN_USER), grp, reply_to=reply_to, thread=thread, **content
        )
