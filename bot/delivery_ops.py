"""Outbox payloads that are not a text or photo message: a poll, closing a poll, a document
and a location (bot/delivery.py hands every payload with one of these "op"s here).

  {"op": "poll", "question": str, "options": [str], "close_date": int?}  (anonymous)
  {"op": "stop_poll", "message_id": int}
  {"op": "document", "filename": str, "content": str, "text": html?}  (UTF-8 file content)
  {"op": "location", "latitude": float, "longitude": float}
  {"op": "photo_png", "photo_png": base64 PNG, "text": html?}  (a generated image: a chart;
   storage.digests.drop_chart removes the PNG once it is sent)
  {"op": "reset_menu"}  (deleteMyCommands for the private chat: it shows the menu of all
   private chats again; skipped when the person has been given a menu of their own since;
   returns 0, no message)

A sent poll is remembered (storage.surveys.record_poll) as soon as Telegram returns it,
since `poll` updates carry only the poll's id; if its survey was closed while it was on
its way, it is stopped at once.
"""

from __future__ import annotations

import base64
from typing import Any

from telegram import BotCommandScopeChat, InputFile, InputPollOption
from telegram.error import BadRequest
from telegram.ext import ExtBot

from storage import menus as menu_store
from storage import surveys as survey_store
from storage.db import Database
from storage.outbox import OPS, OutboxRow, SendOp

__all__ = ["OPS", "send"]


async def send(
    bot: ExtBot[Any],
    db: Database,
    chat_id: int,
    row: OutboxRow,
    message: SendOp,
    common: dict[str, Any],
) -> int:
    """Carry out the row's op in `chat_id`; returns the message id (of the poll stopped)."""
    payload = message.params
    op = message.op
    if op == "stop_poll":
        return await _stop(bot, db, chat_id, int(payload["message_id"]), common)
    if op == "poll":
        # A poll's question and answers are the asker's plain text: without these, PTB's
        # Defaults(parse_mode=HTML) would make Telegram parse them as HTML.
        sent = await bot.send_poll(
            chat_id,
            payload["question"],
            [InputPollOption(text, text_parse_mode=None) for text in payload["options"]],
            is_anonymous=True,
            question_parse_mode=None,
            **common,
        )
        assert sent.poll is not None
        if row.ref_id is not None and row.group_id is not None:
            closed = await survey_store.record_poll(
                db, row.ref_id, row.group_id, chat_id, sent.message_id, sent.poll.id
            )
            if closed:
                await _stop(bot, db, chat_id, sent.message_id, common)
        return sent.message_id
    if op == "document":
        content = str(payload["content"]).encode("utf-8")
        common.pop("reply_markup", None)
        sent = await bot.send_document(
            chat_id, content, filename=payload["filename"], caption=payload.get("text"), **common
        )
        return sent.message_id
    if op == "photo_png":
        png = InputFile(base64.b64decode(payload["photo_png"]), filename="lagesbild.png")
        sent = await bot.send_photo(chat_id, png, caption=payload.get("text"), **common)
        return sent.message_id
    if op == "reset_menu":
        if await menu_store.menu_of(db, chat_id) is not None:
            # The person came back after the erasure and was given a menu of their own
            # since (e.g. /start while this row waited for the bot): that one stays.
            return 0
        limit = {k: v for k, v in common.items() if k == "rate_limit_args"}
        await bot.delete_my_commands(scope=BotCommandScopeChat(chat_id), **limit)
        return 0
    if op == "location":
        sent = await bot.send_location(
            chat_id, float(payload["latitude"]), float(payload["longitude"]), **common
        )
        return sent.message_id
    raise ValueError(f"unknown op {op!r}")


async def _stop(
    bot: ExtBot[Any], db: Database, chat_id: int, message_id: int, common: dict[str, Any]
) -> int:
    try:
        limit = {k: v for k, v in common.items() if k == "rate_limit_args"}
        poll = await bot.stop_poll(chat_id, message_id, **limit)
    except BadRequest as exc:
        if "already been closed" in exc.message.lower():
            return message_id
        raise
    counts = [option.voter_count for option in poll.options]
    await survey_store.record_results(db, poll.id, counts, poll.total_voter_count, True)
    return message_id
