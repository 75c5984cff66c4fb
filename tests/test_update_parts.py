"""The typed accessors of handlers.common and storage's NOT NULL timestamp parser."""

from datetime import UTC, datetime
from types import SimpleNamespace

import pytest
from telegram import CallbackQuery, Chat, Message, Update, User

from handlers.common import (
    UpdateShapeError,
    callback_query,
    callback_query_data,
    effective_chat,
    effective_message,
    effective_user,
    message_text,
    user_data,
)
from handlers.observations_buttons import ObsDetail
from storage.timeutil import from_db, from_db_required, to_db

PERSON = User(7, "Anna", False)
CHAT = Chat(7, Chat.PRIVATE)


def _press(data: str | None) -> Update:
    message = Message(1, datetime(2026, 1, 1, tzinfo=UTC), CHAT, text="menu")
    query = CallbackQuery("q1", PERSON, "ci", message=message, data=data)
    return Update(1, callback_query=query)


def _text(text: str | None) -> Update:
    return Update(2, message=Message(2, datetime(2026, 1, 1, tzinfo=UTC), CHAT, PERSON, text=text))


def test_a_press_gives_its_query_data_user_chat_and_message() -> None:
    update = _press(ObsDetail(12).pack())
    query, data = callback_query_data(update)
    assert query is update.callback_query and data == ObsDetail(12).pack()
    assert callback_query(update) is query
    assert effective_user(update) is PERSON
    assert effective_chat(update) is CHAT
    assert effective_message(update).message_id == 1


def test_a_press_without_data_is_refused_by_name() -> None:
    with pytest.raises(UpdateShapeError, match="callback data"):
        callback_query_data(_press(None))


def test_a_message_is_not_a_press() -> None:
    with pytest.raises(UpdateShapeError, match="callback query"):
        callback_query(_text("hej"))
    with pytest.raises(UpdateShapeError, match="callback query"):
        callback_query_data(_text("hej"))


def test_message_text_is_the_text_or_refused() -> None:
    assert message_text(_text("hej")) == "hej"
    with pytest.raises(UpdateShapeError, match="message text"):
        message_text(_text(None))


def test_an_update_without_user_chat_or_message_is_refused() -> None:
    empty = Update(3)
    for accessor in (effective_user, effective_chat, effective_message):
        with pytest.raises(UpdateShapeError):
            accessor(empty)


def test_user_data_is_the_dict_or_refused() -> None:
    data: dict[str, object] = {"lang": "sv"}
    # A stand-in for BotContext: user_data only reads its user_data attribute.
    assert user_data(SimpleNamespace(user_data=data)) is data  # type: ignore[arg-type]
    with pytest.raises(UpdateShapeError, match="user_data"):
        user_data(SimpleNamespace(user_data=None))  # type: ignore[arg-type]


def test_from_db_required_parses_what_to_db_wrote_and_refuses_null() -> None:
    moment = datetime(2026, 11, 30, 3, 4, 5, 678000, tzinfo=UTC)
    assert from_db_required(to_db(moment)) == moment
    assert from_db(to_db(moment)) == moment and from_db(None) is None
    with pytest.raises(TypeError):
        from_db_required(None)  # type: ignore[arg-type]  # what a NULL would give
    with pytest.raises(ValueError):
        from_db_required("30 november")
