"""Bot API method implementations (``api_<lowercase method name>``)."""

from __future__ import annotations

import hashlib
import time
from typing import Any

from .html_check import HtmlParseError, parse_html, utf16_len
from .server import ApiError, EmulatorCore, bad_request
from .state import (
    Chat,
    SentMessage,
    User,
    now_ts,
)

NOT_MODIFIED = (
    "message is not modified: specified new message content and reply markup are "
    "exactly the same as a current content and reply markup of the message"
)
_OK_METHODS = (
    "setwebhook",
    "close",
    "logout",
    "setmydescription",
    "setmyshortdescription",
    "setchatmenubutton",
    "setmyname",
    "pinchatmessage",
    "unpinchatmessage",
    "setmessagereaction",
)


def _flag(value: Any) -> bool:
    return value in (True, "true", "True", "1", 1)


class ApiMethods(EmulatorCore):
    """The subset of the Bot API the project uses, with Telegram's validation rules."""

    # ------------------------------------------------------------------ helpers
    def new_file_id(self, prefix: str = "F") -> tuple[str, str]:
        """Fresh ``(file_id, file_unique_id)``."""
        n = next(self._ids)
        return f"{prefix}{n:06d}-{hashlib.md5(str(n).encode()).hexdigest()[:12]}", f"U{n}"

    def store_file(
        self, content: bytes, path_prefix: str, ext: str, prefix: str = "F"
    ) -> tuple[str, str]:
        """Store bytes for getFile/download; return ``(file_id, file_unique_id)``."""
        fid, uid = self.new_file_id(prefix)
        self.files[fid] = {
            "content": content,
            "file_unique_id": uid,
            "file_path": f"{path_prefix}/file_{len(self.files)}.{ext}",
        }
        return fid, uid

    def next_message_id(self, chat_id: int) -> int:
        """Allocate the next message id in ``chat_id`` (ids increase per chat)."""
        n = self._next_msg_id.get(chat_id, 0) + 1
        self._next_msg_id[chat_id] = n
        return n

    def resolve_chat(self, raw: Any) -> User | Chat:
        """Map a ``chat_id`` parameter to a User (private) or Chat; raise 400 like Telegram."""
        if raw is None or raw == "":
            raise bad_request("chat_id is empty")
        if isinstance(raw, str) and raw.startswith("@"):
            name = raw[1:].lower()
            for obj in [*self.chats.values(), *self.users.values()]:
                if (obj.username or "").lower() == name:
                    return obj
            raise bad_request("chat not found")
        try:
            cid = int(raw)
        except (TypeError, ValueError) as exc:
            raise bad_request("chat not found") from exc
        if cid in self.chats:
            chat = self.chats[cid]
            if chat.migrated_to is not None:
                raise bad_request(
                    "group chat was upgraded to a supergroup chat",
                    {"migrate_to_chat_id": chat.migrated_to},
                )
            return chat
        if cid in self.users:
            return self.users[cid]
        raise bad_request("chat not found")

    def check_can_send(self, target: User | Chat) -> None:
        """Raise 403 if the bot may not write to ``target``."""
        if isinstance(target, User):
            if target.blocked:
                raise ApiError(403, "Forbidden: bot was blocked by the user")
            if not target.started:
                raise ApiError(403, "Forbidden: bot can't initiate conversation with a user")
            return
        kind = "supergroup chat" if target.type == "supergroup" else "group chat"
        if target.bot_status == "kicked":
            raise ApiError(403, f"Forbidden: bot was kicked from the {kind}")
        if not target.bot_is_member:
            raise ApiError(403, f"Forbidden: bot is not a member of the {kind}")

    @staticmethod
    def chat_json(target: User | Chat) -> dict[str, Any]:
        """``Chat`` JSON for a private user or a group."""
        return target.chat_dict() if isinstance(target, User) else target.to_dict()

    @staticmethod
    def validate_markup(markup: Any) -> dict | None:
        """Check an inline keyboard like Telegram does; return the markup dict."""
        if markup in (None, ""):
            return None
        if not isinstance(markup, dict):
            raise bad_request("can't parse reply keyboard markup JSON object")
        rows = markup.get("inline_keyboard")
        if rows is None:
            return markup
        if not isinstance(rows, list) or not all(isinstance(r, list) for r in rows):
            raise bad_request(
                'field "inline_keyboard" of the InlineKeyboardMarkup must be an Array of Arrays'
            )
        for row in rows:
            for btn in row:
                if not isinstance(btn, dict) or not btn.get("text"):
                    raise bad_request(
                        "can't parse inline keyboard button: "
                        "Text buttons are unallowed in the inline keyboard"
                    )
                if "callback_data" in btn:
                    size = len(str(btn["callback_data"]).encode("utf-8"))
                    if not 1 <= size <= 64:
                        raise bad_request("BUTTON_DATA_INVALID")
                elif "url" in btn:
                    if not btn["url"]:
                        raise bad_request("BUTTON_URL_INVALID")
                elif not any(
                    k in btn
                    for k in (
                        "switch_inline_query",
                        "login_url",
                        "web_app",
                        "switch_inline_query_current_chat",
                        "pay",
                        "callback_game",
                        "copy_text",
                        "switch_inline_query_chosen_chat",
                    )
                ):
                    raise bad_request(
                        "can't parse inline keyboard button: "
                        "Text buttons are unallowed in the inline keyboard"
                    )
        return markup

    @staticmethod
    def parse_text(text: Any, parse_mode: Any, entities: Any) -> tuple[str, list[dict]]:
        """Apply parse_mode; return visible text and entities or raise 400."""
        text = "" if text is None else str(text)
        if isinstance(parse_mode, str) and parse_mode.lower() == "html":
            try:
                return parse_html(text)
            except HtmlParseError as exc:
                raise bad_request(f"can't parse entities: {exc}") from exc
        return text, list(entities) if isinstance(entities, list) else []

    def check_rate(self, target: User | Chat) -> None:
        """Apply flood limits to a message-sending method; raise 429 if refused."""
        if not self.enforce_limits:
            return
        decision = self.limiter.check(target.id, isinstance(target, User))
        if not decision.allowed:
            self.stats.rate_limited += 1
            self.stats.rate_limited_by_kind[decision.kind] += 1
            raise ApiError(
                429,
                f"Too Many Requests: retry after {decision.retry_after}",
                {"retry_after": decision.retry_after},
            )

    @staticmethod
    def check_thread(target: User | Chat, p: dict[str, Any]) -> int | None:
        """The forum topic a send goes to; 400 like Telegram for a missing or closed one.

        Without ``message_thread_id`` a forum message goes to General. Closed topics refuse
        the bot whatever its rights (Telegram lets admins with can_manage_topics post there;
        the emulator keeps the stricter rule)."""
        raw = p.get("message_thread_id")
        thread = None if raw in (None, "", 0, "0") else int(raw)
        if not isinstance(target, Chat) or not target.is_forum:
            if thread is not None:
                raise bad_request("message thread not found")
            return None
        if thread is None:
            if target.general_closed:
                raise bad_request("TOPIC_CLOSED")
            return None
        topic = target.topics.get(thread)
        if topic is None:
            raise bad_request("message thread not found")
        if topic["closed"]:
            raise bad_request("TOPIC_CLOSED")
        return thread

    def _base_message(self, target: User | Chat, p: dict[str, Any]) -> dict[str, Any]:
        thread = self.check_thread(target, p)
        msg: dict[str, Any] = {
            "message_id": 0,
            "from": self.bot_user.to_dict(),
            "date": now_ts(),
            "chat": self.chat_json(target),
        }
        if thread is not None:
            msg.update(message_thread_id=thread, is_topic_message=True)
        reply_id = p.get("reply_to_message_id")
        rp = p.get("reply_parameters")
        if isinstance(rp, dict):
            reply_id = rp.get("message_id")
        if reply_id not in (None, ""):
            original = self.messages.get((target.id, int(reply_id)))
            if original is None:
                if not (
                    _flag(p.get("allow_sending_without_reply"))
                    or (isinstance(rp, dict) and rp.get("allow_sending_without_reply"))
                ):
                    raise bad_request("message to be replied not found")
            else:
                msg["reply_to_message"] = {
                    k: v for k, v in original.items() if k != "reply_to_message"
                }
        return msg

    def _commit(
        self, target: User | Chat, msg: dict[str, Any], method: str, **fields: Any
    ) -> dict[str, Any]:
        """Allocate the id, store the message and record it as sent."""
        msg["message_id"] = self.next_message_id(target.id)
        markup = fields.get("reply_markup")
        # Telegram echoes only inline keyboards in the returned Message; ForceReply and
        # reply keyboards are applied on the client but never part of the Message object.
        if isinstance(markup, dict) and "inline_keyboard" in markup:
            msg["reply_markup"] = markup
        self.messages[(target.id, msg["message_id"])] = msg
        sent = SentMessage(
            chat_id=target.id,
            message_id=msg["message_id"],
            date=msg["date"],
            message_thread_id=msg.get("message_thread_id"),
            sent_at=time.monotonic(),
            method=method,
            raw=msg,
            **fields,
        )
        self._sent.append(sent)
        self._sent_index[(target.id, sent.message_id)] = sent
        self.stats.messages_sent += 1
        self.stats.send_times.append(sent.sent_at)
        self._notify_change()
        return msg

    def _prepare_send(self, p: dict[str, Any]) -> User | Chat:
        target = self.resolve_chat(p.get("chat_id"))
        self.check_can_send(target)
        return target

    def _caption(self, p: dict[str, Any], msg: dict[str, Any]) -> tuple[str | None, list]:
        if p.get("caption") in (None, ""):
            return None, []
        plain, ents = self.parse_text(p["caption"], p.get("parse_mode"), p.get("caption_entities"))
        if utf16_len(plain) > 1024:
            raise bad_request("message caption is too long")
        msg["caption"] = plain
        if ents:
            msg["caption_entities"] = ents
        return plain, ents

    # ------------------------------------------------------------------ simple methods
    async def api_getme(self, p: dict[str, Any]) -> dict[str, Any]:
        """getMe."""
        d = self.bot_user.to_dict()
        d.update(
            can_join_groups=True, can_read_all_group_messages=False, supports_inline_queries=False
        )
        return d

    async def api_getwebhookinfo(self, p: dict[str, Any]) -> dict[str, Any]:
        """getWebhookInfo (never a webhook)."""
        return {
            "url": "",
            "has_custom_certificate": False,
            "pending_update_count": len(self.updates),
        }

    def __getattr__(self, name: str):
        if name.startswith("api_") and name[4:] in _OK_METHODS:

            async def _ok(p: dict[str, Any]) -> bool:
                self.bot_settings[name[4:]] = p
                return True

            return _ok
        raise AttributeError(name)

    async def api_deletewebhook(self, p: dict[str, Any]) -> bool:
        """deleteWebhook; ``drop_pending_updates`` clears the update queue."""
        if _flag(p.get("drop_pending_updates")):
            self.updates.clear()
        return True

    async def api_sendchataction(self, p: dict[str, Any]) -> bool:
        """sendChatAction (not counted against limits)."""
        self._prepare_send(p)
        return True

    # ------------------------------------------------------------------ sending
    async def api_sendmessage(self, p: dict[str, Any]) -> dict[str, Any]:
        """sendMessage."""
        target = self._prepare_send(p)
        plain, ents = self.parse_text(p.get("text"), p.get("parse_mode"), p.get("entities"))
        if not plain.strip():
            raise bad_request("message text is empty")
        if utf16_len(plain) > 4096:
            raise bad_request("message is too long")
        markup = self.validate_markup(p.get("reply_markup"))
        msg = self._base_message(target, p)
        self.check_rate(target)
        msg["text"] = plain
        if ents:
            msg["entities"] = ents
        pm = p.get("parse_mode")
        return self._commit(
            target,
            msg,
            "sendMessage",
            kind="text",
            text=plain,
            html=str(p.get("text")),
            parse_mode=pm or None,
            reply_markup=markup,
            entities=ents,
        )
