"""The typed outbox contract: every message kind survives encode → decode unchanged, rows
written before the types existed decode to the same messages, and a malformed payload is
a ValueError (the worker fails such a row with "bad payload")."""

from __future__ import annotations

import json

import pytest

from storage.outbox import EditCaption, EditText, SendPhoto, SendText, decode, encode

MARKUP = {"inline_keyboard": [[{"text": "✅ Sett", "callback_data": "ack:1"}]]}


@pytest.mark.parametrize(
    "message",
    [
        SendText("<b>Hej</b>"),
        SendText("svar", reply_to_message_id=5, disable_notification=True, version=2),
        SendText("x", MARKUP, meta={"held": [[1, "coordinator"]], "reporter_told": True}),
        SendPhoto("AgAD-file", "bildtext", MARKUP, version=0),
        EditText(7, "ny text", MARKUP, fallback_text="uppdatering", version=3),
        EditCaption(8, "ny bildtext", None, fallback_text="åter", disable_notification=True),
    ],
)
def test_every_kind_round_trips(message):
    assert decode(encode(message)) == message


def test_rows_from_before_the_types_decode_the_same():
    old = [
        ({"text": "t", "photo": "F", "reply_markup": MARKUP}, SendPhoto("F", "t", MARKUP)),
        ({"op": "edit", "message_id": 3, "text": "e", "caption": True}, EditCaption(3, "e")),
        ({"text": "s", "held": [[4, "police"]]}, SendText("s", meta={"held": [[4, "police"]]})),
        ({"text": "n", "reporter_told": True}, SendText("n", meta={"reporter_told": True})),
    ]
    for payload, message in old:
        assert decode(json.dumps(payload)) == message


@pytest.mark.parametrize(
    "payload",
    [
        "[1, 2]",
        "{}",
        '{"text": 5}',
        '{"op": "edit", "text": "x"}',
        '{"op": "delete", "text": "x"}',
        '{"text": "x", "reply_to_message_id": "7"}',
    ],
)
def test_malformed_payloads_are_value_errors(payload):
    with pytest.raises(ValueError):
        decode(payload)
