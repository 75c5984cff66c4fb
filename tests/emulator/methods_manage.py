"""Bot API methods that change or inspect existing things: edits, callbacks, chats, commands."""

from __future__ import annotations

from typing import Any

from .html_check import utf16_len
from .methods import NOT_MODIFIED, _flag
from .methods_media import MediaMethods
from .server import ApiError, bad_request
from .state import (
    MEMBER_STATUSES,
    Chat,
    SentMessage,
    User,
    chat_member_dict,
    now_ts,
    private_full_info,
)


class ManageMethods(MediaMethods):
    """editMessage*, deleteMessage, answerCallbackQuery, getChat*, *MyCommands, getFile."""

    # ------------------------------------------------------------------ editing
    def _editable(self, p: dict[str, Any], what: str = "edit") -> SentMessage:
        if p.get("inline_message_id"):
            raise bad_request("inline messages are not supported by the emulator")
        target = self.resolve_chat(p.get("chat_id"))
        try:
            mid = int(p.get("message_id") or 0)
        except ValueError as exc:
            raise bad_request(f"message to {what} not found") from exc
        sent = self._sent_index.get((target.id, mid))
        if sent is None or sent.deleted:
            if (target.id, mid) in self.messages and what == "edit":
                raise bad_request("message can't be edited")
            raise bad_request(f"message to {what} not found")
        return sent

    def _finish_edit(self, sent: SentMessage) -> dict[str, Any]:
        sent.edited = True
        sent.raw["edit_date"] = now_ts()
        if sent.reply_markup:
            sent.raw["reply_markup"] = sent.reply_markup
        else:
            sent.raw.pop("reply_markup", None)
        self._notify_change()
        return sent.raw

    async def api_editmessagetext(self, p: dict[str, Any]) -> dict[str, Any]:
        """editMessageText."""
        sent = self._editable(p)
        plain, ents = self.parse_text(p.get("text"), p.get("parse_mode"), p.get("entities"))
        if not plain.strip():
            raise bad_request("message text is empty")
        if utf16_len(plain) > 4096:
            raise bad_request("message is too long")
        markup = self.validate_markup(p.get("reply_markup"))
        if sent.kind != "text":
            raise bad_request("there is no text in the message to edit")
        if plain == sent.text and ents == sent.entities and markup == sent.reply_markup:
            raise bad_request(NOT_MODIFIED)
        sent.history.append(sent.text)
        sent.text, sent.entities, sent.reply_markup = plain, ents, markup
        sent.html = str(p.get("text")) if p.get("parse_mode") else None
        sent.parse_mode = p.get("parse_mode") or None
        sent.raw["text"] = plain
        if ents:
            sent.raw["entities"] = ents
        else:
            sent.raw.pop("entities", None)
        return self._finish_edit(sent)

    async def api_editmessagecaption(self, p: dict[str, Any]) -> dict[str, Any]:
        """editMessageCaption."""
        sent = self._editable(p)
        if sent.kind not in ("photo", "document"):
            raise bad_request("there is no caption in the message to edit")
        scratch: dict[str, Any] = {}
        caption, ents = self._caption(p, scratch)
        markup = self.validate_markup(p.get("reply_markup"))
        if caption == sent.caption and ents == sent.entities and markup == sent.reply_markup:
            raise bad_request(NOT_MODIFIED)
        sent.history.append(sent.caption)
        sent.caption, sent.entities, sent.reply_markup = caption, ents, markup
        sent.raw.pop("caption", None)
        sent.raw.pop("caption_entities", None)
        sent.raw.update(scratch)
        return self._finish_edit(sent)

    async def api_editmessagereplymarkup(self, p: dict[str, Any]) -> dict[str, Any]:
        """editMessageReplyMarkup."""
        sent = self._editable(p)
        markup = self.validate_markup(p.get("reply_markup"))
        if markup == sent.reply_markup:
            raise bad_request(NOT_MODIFIED)
        sent.reply_markup = markup
        return self._finish_edit(sent)

    async def api_deletemessage(self, p: dict[str, Any]) -> bool:
        """deleteMessage."""
        target = self.resolve_chat(p.get("chat_id"))
        key = (target.id, int(p.get("message_id") or 0))
        sent = self._sent_index.get(key)
        if key not in self.messages or (sent is not None and sent.deleted):
            raise bad_request("message to delete not found")
        if sent is None and isinstance(target, Chat) and target.bot_status != "administrator":
            raise bad_request("message can't be deleted")
        del self.messages[key]
        if sent is not None:
            sent.deleted = True
        self._notify_change()
        return True

    async def api_answercallbackquery(self, p: dict[str, Any]) -> bool:
        """answerCallbackQuery."""
        qid = str(p.get("callback_query_id") or "")
        if qid not in self.pending_callbacks:
            raise bad_request(
                "query is too old and response timeout expired or query ID is invalid"
            )
        if utf16_len(str(p.get("text") or "")) > 200:
            raise bad_request("MESSAGE_TOO_LONG")
        del self.pending_callbacks[qid]
        self.callback_answers.append(
            {
                "callback_query_id": qid,
                "text": p.get("text"),
                "show_alert": _flag(p.get("show_alert")),
                "url": p.get("url"),
            }
        )
        self._notify_change()
        return True

    # ------------------------------------------------------------------ chats
    async def api_getchat(self, p: dict[str, Any]) -> dict[str, Any]:
        """getChat (ChatFullInfo)."""
        target = self.resolve_chat(p.get("chat_id"))
        return private_full_info(target) if isinstance(target, User) else target.full_info()

    def _member_status(self, chat: Chat, user_id: int) -> str:
        if user_id == self.bot_id:
            return chat.bot_status
        return chat.members.get(user_id, "left")

    def _user_json(self, user_id: int) -> dict[str, Any]:
        if user_id == self.bot_id:
            return self.bot_user.to_dict()
        if user_id not in self.users:
            raise bad_request("user not found")
        return self.users[user_id].to_dict()

    async def api_getchatmember(self, p: dict[str, Any]) -> dict[str, Any]:
        """getChatMember."""
        target = self.resolve_chat(p.get("chat_id"))
        uid = int(p.get("user_id") or 0)
        user = self._user_json(uid)
        if isinstance(target, User):
            return chat_member_dict(user, "member")
        return chat_member_dict(user, self._member_status(target, uid))

    async def api_getchatadministrators(self, p: dict[str, Any]) -> list[dict[str, Any]]:
        """getChatAdministrators."""
        target = self.resolve_chat(p.get("chat_id"))
        if isinstance(target, User):
            raise bad_request("there are no administrators in the private chat")
        out = [
            chat_member_dict(self._user_json(uid), st)
            for uid, st in target.members.items()
            if st in ("creator", "administrator")
        ]
        if target.bot_status == "administrator":
            out.append(chat_member_dict(self.bot_user.to_dict(), "administrator"))
        return out

    async def api_getchatmembercount(self, p: dict[str, Any]) -> int:
        """getChatMemberCount."""
        target = self.resolve_chat(p.get("chat_id"))
        if isinstance(target, User):
            return 2
        return sum(st in MEMBER_STATUSES for st in target.members.values()) + int(
            target.bot_is_member
        )

    async def api_leavechat(self, p: dict[str, Any]) -> bool:
        """leaveChat."""
        target = self.resolve_chat(p.get("chat_id"))
        if isinstance(target, User):
            raise bad_request("chat member status can't be changed in private chats")
        if not target.bot_is_member:
            raise ApiError(403, "Forbidden: bot is not a member of the group chat")
        old, target.bot_status = target.bot_status, "left"
        self.enqueue_update(
            "my_chat_member",
            {
                "chat": target.to_dict(),
                "from": self.bot_user.to_dict(),
                "date": now_ts(),
                "old_chat_member": chat_member_dict(self.bot_user.to_dict(), old),
                "new_chat_member": chat_member_dict(self.bot_user.to_dict(), "left"),
            },
        )
        return True

    async def api_getfile(self, p: dict[str, Any]) -> dict[str, Any]:
        """getFile."""
        fid = str(p.get("file_id") or "")
        info = self.files.get(fid)
        if info is None:
            raise bad_request("invalid file_id")
        return {
            "file_id": fid,
            "file_unique_id": info["file_unique_id"],
            "file_size": len(info["content"]),
            "file_path": info["file_path"],
        }

    # ------------------------------------------------------------------ commands
    def _scope_key(self, p: dict[str, Any]) -> tuple[str, str]:
        scope = p.get("scope") or {"type": "default"}
        stype = scope.get("type", "default")
        if "chat_id" in scope:
            stype = f"{stype}:{scope['chat_id']}"
        if "user_id" in scope:
            stype = f"{stype}:{scope['user_id']}"
        return stype, str(p.get("language_code") or "")

    async def api_setmycommands(self, p: dict[str, Any]) -> bool:
        """setMyCommands (stored per (scope, language_code))."""
        cmds = p.get("commands")
        if not isinstance(cmds, list) or len(cmds) > 100:
            raise bad_request("commands must be an array of at most 100 BotCommand")
        for c in cmds:
            name = str(c.get("command", "")) if isinstance(c, dict) else ""
            if not (1 <= len(name) <= 32) or not all(
                ch.islower() or ch.isdigit() or ch == "_" for ch in name
            ):
                raise bad_request("BOT_COMMAND_INVALID")
            if not 1 <= len(str(c.get("description", ""))) <= 256:
                raise bad_request("BOT_COMMAND_DESCRIPTION_INVALID")
        self.commands[self._scope_key(p)] = [dict(c) for c in cmds]
        return True

    async def api_getmycommands(self, p: dict[str, Any]) -> list[dict]:
        """getMyCommands."""
        return self.commands.get(self._scope_key(p), [])

    async def api_deletemycommands(self, p: dict[str, Any]) -> bool:
        """deleteMyCommands."""
        self.commands.pop(self._scope_key(p), None)
        return True
