"""Data model of the emulator: users, chats, membership, stored messages, call log."""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

ANON_ADMIN_ID = 1087968824
ANON_ADMIN_USER = {
    "id": ANON_ADMIN_ID,
    "is_bot": True,
    "first_name": "Group",
    "username": "GroupAnonymousBot",
}
MEMBER_STATUSES = ("creator", "administrator", "member")

_ADMIN_RIGHTS = (
    "can_manage_chat",
    "can_delete_messages",
    "can_manage_video_chats",
    "can_restrict_members",
    "can_promote_members",
    "can_change_info",
    "can_invite_users",
    "can_post_stories",
    "can_edit_stories",
    "can_delete_stories",
    "can_pin_messages",
)


@dataclass
class User:
    """An emulated Telegram user (a person, or the bot itself when ``is_bot``)."""

    id: int
    first_name: str
    language_code: str | None = None
    username: str | None = None
    last_name: str | None = None
    is_bot: bool = False
    started: bool = False  # has the user ever written to the bot in private?
    blocked: bool = False  # has the user blocked the bot?

    def to_dict(self) -> dict[str, Any]:
        """Telegram ``User`` JSON."""
        d: dict[str, Any] = {"id": self.id, "is_bot": self.is_bot, "first_name": self.first_name}
        if self.last_name:
            d["last_name"] = self.last_name
        if self.username:
            d["username"] = self.username
        if self.language_code and not self.is_bot:
            d["language_code"] = self.language_code
        return d

    def chat_dict(self) -> dict[str, Any]:
        """The ``Chat`` JSON of the private chat with this user."""
        d: dict[str, Any] = {"id": self.id, "type": "private", "first_name": self.first_name}
        if self.last_name:
            d["last_name"] = self.last_name
        if self.username:
            d["username"] = self.username
        return d


@dataclass
class Chat:
    """An emulated group or supergroup; ``members`` maps user id -> status string."""

    id: int
    title: str
    type: str = "group"  # "group" / "supergroup"
    username: str | None = None
    members: dict[int, str] = field(default_factory=dict)
    bot_status: str = "left"
    migrated_to: int | None = None
    migrated_from: int | None = None
    # Forum supergroups: topics by message_thread_id -> {"name": str, "closed": bool}.
    # General has no thread id (messages there carry none); ``general_closed`` closes it.
    is_forum: bool = False
    topics: dict[int, dict[str, Any]] = field(default_factory=dict)
    general_closed: bool = False

    def to_dict(self) -> dict[str, Any]:
        """Telegram ``Chat`` JSON."""
        d: dict[str, Any] = {"id": self.id, "type": self.type, "title": self.title}
        if self.username:
            d["username"] = self.username
        if self.is_forum:
            d["is_forum"] = True
        if self.type == "group":
            d["all_members_are_administrators"] = False
        return d

    def full_info(self) -> dict[str, Any]:
        """Telegram ``ChatFullInfo`` JSON (what getChat returns)."""
        d = self.to_dict()
        d.pop("all_members_are_administrators", None)
        d.update(accent_color_id=0, max_reaction_count=11, accepted_gift_types=GIFT_TYPES)
        if self.migrated_from:
            d["migrated_from_chat_id"] = self.migrated_from
        return d

    @property
    def bot_is_member(self) -> bool:
        """Whether the bot currently belongs to the chat."""
        return self.bot_status in MEMBER_STATUSES


GIFT_TYPES = {
    "unlimited_gifts": False,
    "limited_gifts": False,
    "unique_gifts": False,
    "premium_subscription": False,
    "gifts_from_channels": False,
}


def private_full_info(user: User) -> dict[str, Any]:
    """``ChatFullInfo`` JSON for a private chat."""
    d = user.chat_dict()
    d.update(accent_color_id=0, max_reaction_count=11, accepted_gift_types=GIFT_TYPES)
    return d


def chat_member_dict(user: dict[str, Any], status: str) -> dict[str, Any]:
    """A ``ChatMember`` JSON object with the fields PTB requires for ``status``."""
    d: dict[str, Any] = {"status": status, "user": user}
    if status == "creator":
        d["is_anonymous"] = False
    elif status == "administrator":
        d.update(can_be_edited=False, is_anonymous=False)
        d.update(dict.fromkeys(_ADMIN_RIGHTS, True))
    elif status == "kicked":
        d["until_date"] = 0
    return d


@dataclass
class SentMessage:
    """A message sent by the bot, updated in place on edit/delete."""

    chat_id: int
    message_id: int
    kind: str = "text"  # text / photo / document / location / poll / sticker / ...
    text: str | None = None
    html: str | None = None
    caption: str | None = None
    parse_mode: str | None = None
    reply_markup: dict | None = None
    entities: list[dict] = field(default_factory=list)
    document: bytes | None = None
    filename: str | None = None
    edited: bool = False
    deleted: bool = False
    date: int = 0
    message_thread_id: int | None = None  # the forum topic it was posted in (None: General)
    sent_at: float = 0.0  # time.monotonic() of the send
    method: str = ""
    raw: dict[str, Any] = field(default_factory=dict)  # the Message JSON returned
    history: list[str | None] = field(default_factory=list)  # earlier texts/captions

    def buttons(self) -> list[tuple[str, str | None]]:
        """Inline buttons flattened: ``(text, callback_data or url)``."""
        rows = (self.reply_markup or {}).get("inline_keyboard") or []
        out: list[tuple[str, str | None]] = []
        for row in rows:
            for b in row:
                out.append((b.get("text", ""), b.get("callback_data", b.get("url"))))
        return out

    def button_texts(self) -> list[str]:
        """Labels of all inline buttons, flattened."""
        return [t for t, _ in self.buttons()]

    @property
    def content(self) -> str:
        """The visible text or caption ("" if none)."""
        return self.text if self.text is not None else (self.caption or "")

    def __repr__(self) -> str:
        flags = "".join(f" {n}" for n in ("edited", "deleted") if getattr(self, n))
        body = self.content if len(self.content) < 120 else self.content[:117] + "..."
        btns = f" buttons={self.button_texts()}" if self.reply_markup else ""
        return f"<SentMessage {self.chat_id}/{self.message_id} {self.kind}{flags} {body!r}{btns}>"


@dataclass
class ApiCall:
    """One logged Bot API request."""

    method: str
    params: dict[str, Any]
    time: float
    ok: bool
    error_code: int | None = None
    description: str | None = None


@dataclass
class Stats:
    """Counters for tests and benchmarks (times are ``time.monotonic()``)."""

    rate_limited: int = 0
    rate_limited_by_kind: Counter = field(default_factory=Counter)
    messages_sent: int = 0
    send_times: list[float] = field(default_factory=list)
    errors: Counter = field(default_factory=Counter)  # description -> count
    calls_by_method: Counter = field(default_factory=Counter)

    def max_sends_in_window(self, window: float = 1.0) -> int:
        """Largest number of successful sends that fall into any ``window`` seconds."""
        best, j = 0, 0
        t = self.send_times
        for i in range(len(t)):
            while t[i] - t[j] >= window:
                j += 1
            best = max(best, i - j + 1)
        return best

    def throughput(self) -> float:
        """Average successful sends per second between first and last send."""
        if len(self.send_times) < 2:
            return float(len(self.send_times))
        span = self.send_times[-1] - self.send_times[0]
        return (len(self.send_times) - 1) / span if span > 0 else float("inf")


class CommandStore(dict):
    """``{(scope_type, language_code): [BotCommand dicts]}``; a None language means ""."""

    @staticmethod
    def _key(key: Any) -> Any:
        if isinstance(key, tuple) and len(key) == 2 and key[1] is None:
            return (key[0], "")
        if isinstance(key, str):
            return (key, "")
        return key

    def __getitem__(self, key: Any) -> list[dict]:
        return super().__getitem__(self._key(key))

    def __contains__(self, key: object) -> bool:
        return super().__contains__(self._key(key))

    def get(self, key: Any, default: Any = None) -> Any:
        """dict.get with key normalisation."""
        return super().get(self._key(key), default)

    def shown_in_private_chat(self, chat_id: int, language_code: str | None) -> list[str]:
        """The command names a person's app shows in their private chat with the bot, by
        Telegram's order: the chat's own menu, all private chats', the default scope's;
        in each, the app language's list first, then the one without a language code."""
        for scope in (f"chat:{chat_id}", "all_private_chats", "default"):
            for language in (language_code or "", ""):
                found = super().get((scope, language))
                if found is not None:
                    return [c["command"] for c in found]
        return []


def now_ts() -> int:
    """Current unix time as Telegram sends it."""
    return int(time.time())
