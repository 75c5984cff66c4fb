"""Polls: stopPoll, and members voting in a poll the bot sent (a mixin of the emulator).

Telegram tells a bot about a poll it sent with `poll` updates carrying the whole poll
(totals per option, never who voted) whenever the counts change or it closes. Voting in
an anonymous poll produces no `poll_answer`; the emulator keeps each voter's choice only
to move the totals when a person changes their vote, as Telegram does.
"""

from __future__ import annotations

import copy
from typing import Any

from .server import bad_request
from .state import Chat, SentMessage, User


class PollMethods:
    """stopPoll plus the test-facing `vote()`; mixed into :class:`BotApiEmulator`."""

    _poll_votes: dict[str, dict[int, list[int]]]  # poll id → voter id → option ids

    def _votes_of(self, poll_id: str) -> dict[int, list[int]]:
        if not hasattr(self, "_poll_votes"):
            self._poll_votes = {}
        return self._poll_votes.setdefault(poll_id, {})

    def _poll_message(self, chat_id: int, message_id: int) -> dict[str, Any]:
        msg = self.messages.get((chat_id, message_id))  # type: ignore[attr-defined]
        if msg is None or "poll" not in msg:
            raise bad_request("message with poll to stop not found")
        return msg

    def _emit_poll(self, poll: dict[str, Any]) -> None:
        self.enqueue_update("poll", copy.deepcopy(poll))  # type: ignore[attr-defined]

    async def api_stoppoll(self, p: dict[str, Any]) -> dict[str, Any]:
        """stopPoll: closes the poll and returns it (Telegram also sends a `poll` update)."""
        target = self.resolve_chat(p.get("chat_id"))  # type: ignore[attr-defined]
        msg = self._poll_message(target.id, int(p.get("message_id") or 0))
        poll = msg["poll"]
        if poll["is_closed"]:
            raise bad_request("poll has already been closed")
        poll["is_closed"] = True
        self._emit_poll(poll)
        return copy.deepcopy(poll)

    # -- scenario side ------------------------------------------------------------------

    def vote(self, user: User, poll_message: SentMessage, option_ids: list[int]) -> dict:
        """`user` votes in the poll of `poll_message` (an empty list retracts the vote).

        Returns the queued `poll` update. Raises AssertionError for a closed poll or a
        user who is not a member of the chat (the app would not let them vote)."""
        msg = self._poll_message(poll_message.chat_id, poll_message.message_id)
        chat: Chat = self.chats[poll_message.chat_id]  # type: ignore[attr-defined]
        if chat.members.get(user.id) in (None, "left", "kicked"):
            raise AssertionError(f"{user.first_name} is not a member of {chat.title!r}")
        poll = msg["poll"]
        if poll["is_closed"]:
            raise AssertionError("the poll is closed")
        options = poll["options"]
        if any(not 0 <= i < len(options) for i in option_ids):
            raise AssertionError(f"no such option: {option_ids}")
        votes = self._votes_of(poll["id"])
        for i in votes.pop(user.id, []):
            options[i]["voter_count"] -= 1
        if option_ids:
            votes[user.id] = list(option_ids)
            for i in option_ids:
                options[i]["voter_count"] += 1
        poll["total_voter_count"] = len(votes)
        self._emit_poll(poll)
        return self.all_updates[-1]  # type: ignore[attr-defined]

    def poll_of(self, poll_message: SentMessage) -> dict[str, Any]:
        """The poll as Telegram holds it now (a copy)."""
        msg = self._poll_message(poll_message.chat_id, poll_message.message_id)
        return copy.deepcopy(msg["poll"])
