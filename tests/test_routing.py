"""Handler routing (bot/routing.py): the router picks exactly the handler PTB's linear scan
would pick, for every kind of update, while trying far fewer handlers."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from telegram import (
    CallbackQuery,
    Chat,
    ChatMemberMember,
    ChatMemberUpdated,
    Message,
    MessageEntity,
    Poll,
    Update,
    User,
)
from telegram.ext import CallbackQueryHandler, CommandHandler, MessageHandler, filters

from bot.app import build_application
from bot.routing import HandlerRouter, handlers_of, install_handler_routing
from tests.test_security_buttons import sample_data

NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
BOT = User(1, "Grannvakt", True, username="grannvakt_test_bot")
ANNA = User(700, "Anna", False, language_code="sv")
PRIVATE = Chat(700, Chat.PRIVATE)
GROUP = Chat(-1001, Chat.SUPERGROUP, title="Björkhagen")


def _message(text: str, chat: Chat = PRIVATE, *, command: bool = True, bot: Any) -> Message:
    entities = []
    if command and text.startswith("/"):
        entities = [MessageEntity(MessageEntity.BOT_COMMAND, 0, len(text.split()[0]))]
    message = Message(1, NOW, chat, from_user=ANNA, text=text, entities=entities)
    message.set_bot(bot)
    return message


def _updates(app: Any, commands: list[str]) -> list[Update]:
    bot = app.bot
    updates: list[Update] = []
    n = 0

    def add(**kwargs: Any) -> None:
        nonlocal n
        n += 1
        update = Update(n, **kwargs)
        update.set_bot(bot)
        updates.append(update)

    for command in [
        *commands,
        "nosuchcommand",
        "START",
        "start@other_bot",
        "start@grannvakt_test_bot",
    ]:
        for chat in (PRIVATE, GROUP):
            add(message=_message(f"/{command} x", chat, bot=bot))
    for text in ("hej", "/start mitt i", "Storgatan 1", ""):
        if text:
            add(message=_message(text, bot=bot, command=False))
            add(message=_message(text, GROUP, bot=bot, command=False))
    add(edited_message=_message("/start", bot=bot))
    for data in sample_data(None)[:200]:
        shown = _message("/start", bot=bot)  # a button under a message that starts as a command
        add(callback_query=CallbackQuery("q", ANNA, "ci", message=shown, data=data))
    member = ChatMemberUpdated(GROUP, ANNA, NOW, ChatMemberMember(ANNA), ChatMemberMember(ANNA))
    add(chat_member=member)
    add(my_chat_member=member)
    poll_data = {
        "id": "p",
        "question": "?",
        "options": [{"text": "a", "voter_count": 0, "persistent_id": "o"}],
        "total_voter_count": 0,
        "is_closed": False,
        "is_anonymous": False,
        "type": "regular",
        "allows_multiple_answers": False,
        "allows_revoting": False,
        "members_only": False,
    }
    add(poll=Poll.de_json(poll_data, bot))
    return updates


def _linear(handlers: list[Any], update: Update) -> Any:
    for handler in handlers:
        check = handler.check_update(update)
        if check is not None and check is not False:
            return handler
    return None


@pytest.fixture
def app(tmp_path):
    from config import Settings

    settings = Settings(_env_file=None, bot_token="1:x", database_path=str(tmp_path / "r.db"))  # type: ignore[call-arg]
    application = build_application(settings)
    application.bot._bot_user = BOT  # what getMe would have said (no network here)
    return application


def test_the_router_picks_what_the_linear_scan_picks_for_every_kind_of_update(app):
    handlers = list(app.handlers[0])
    # The catch-alls come last at start-up; add look-alikes so unmatched updates land too.
    handlers += [
        CallbackQueryHandler(lambda *_: None),
        MessageHandler(filters.ALL, lambda *_: None),
    ]
    router = HandlerRouter(handlers)
    commands = sorted({c for h in handlers if isinstance(h, CommandHandler) for c in h.commands})
    updates = _updates(app, commands)
    assert len(updates) > 150
    tried: list[int] = []
    for update in updates:
        expected = _linear(handlers, update)
        found = router.check_update(update)
        assert (found[0] if found else None) is expected, update.to_dict()
        tried.append(len(router.candidates(router.route_of(update))))
    # /start in a private chat tries a fraction of the group.
    start = router.candidates(("other", "start"))
    assert len(start) < len(handlers) / 3, len(start)
    assert sum(tried) / len(tried) < len(handlers) / 2


def test_the_same_pick_while_people_are_in_dialogues(app):
    """A dialogue with somebody in it is asked about every update, like PTB does."""
    from telegram.ext import ConversationHandler

    handlers = list(app.handlers[0])
    router = HandlerRouter(handlers)
    commands = sorted({c for h in handlers if isinstance(h, CommandHandler) for c in h.commands})
    updates = _updates(app, commands)
    dialogues = [h for h in handlers if isinstance(h, ConversationHandler)]
    assert len(dialogues) >= 5
    for index, dialogue in enumerate(dialogues):
        state = sorted(dialogue.states)[0]
        chat = PRIVATE if index % 2 == 0 else GROUP  # Anna is in half of them, here or there
        dialogue._conversations[(chat.id, ANNA.id)] = state
    for update in updates:
        expected = _linear(handlers, update)
        found = router.check_update(update)
        assert (found[0] if found else None) is expected, update.to_dict()


def test_only_blocking_handlers_can_be_routed():
    async def callback(update: object, context: object) -> None:
        return None

    with pytest.raises(ValueError, match="non-blocking"):
        HandlerRouter([CommandHandler("start", callback, block=False)])


def test_installing_keeps_every_handler_findable_and_is_idempotent(app):
    before = list(handlers_of(app))
    install_handler_routing(app)
    install_handler_routing(app)
    assert [type(h) for h in app.handlers[0]] == [HandlerRouter]
    assert list(handlers_of(app)) == before
    assert app.handlers[-2] == [before[0]]  # tracking: one handler, left as it is
