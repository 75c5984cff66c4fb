"""Units: the shared groups screen (handlers/target_screen.py) looks as before for /larm,
/enkat and /narvaro (two buttons a row, a tick only on chosen groups, whole names, just
the question), and with `GroupLines` as the near-place screen of /larm needs (a line per
group, ⬜ on unchosen ones, one button a row, labels cut)."""

from __future__ import annotations

from datetime import UTC, datetime

from handlers.alerts_buttons import AlertGroup, AlertNear
from handlers.target_screen import MAX_GROUP_BUTTONS, GroupLines, groups_screen
from storage.groups import GroupRecord

LONG = "Område " + "ö" * 57  # 64 characters, the longest area name


def _group(n: int, area: str | None = None) -> GroupRecord:
    return GroupRecord(
        n,
        -n,
        f"Chat {n}",
        area or f"Grupp {n}",
        "1082",
        "sv",
        True,
        datetime(2026, 1, 1, tzinfo=UTC),
    )


def _labels(markup) -> list[list[str]]:
    return [[b.text for b in row] for row in markup.inline_keyboard]


def test_plain_screen_keeps_its_look():
    groups = [_group(1, LONG), _group(2), _group(3)]
    text, markup = groups_screen(
        "sv", groups, [1], AlertGroup, ask_key="alerts.ask.groups", done_key="alerts.groups.done"
    )
    assert text == "Tryck på grupperna som ska få larmet och sedan på Klar. Valda: 1."
    assert _labels(markup) == [[f"✅ {LONG}", "Grupp 2"], ["Grupp 3", "Klar (1)"]]
    assert markup.inline_keyboard[0][1].callback_data == AlertGroup(2).pack()
    assert markup.inline_keyboard[1][1].callback_data == AlertGroup(None).pack()


def test_plain_screen_notes_the_groups_that_did_not_fit():
    groups = [_group(n) for n in range(1, MAX_GROUP_BUTTONS + 6)]
    text, markup = groups_screen(
        "en", groups, [], AlertGroup, ask_key="alerts.ask.groups",
        done_key="alerts.groups.done", too_many_key="alerts.groups.too_many",
    )  # fmt: skip
    assert text.splitlines()[1] == f"Showing the first {MAX_GROUP_BUTTONS} of 45 groups. " + (
        "Choose a kommun to reach them all."
    )
    assert sum(len(row) for row in markup.inline_keyboard) == MAX_GROUP_BUTTONS + 1


def test_screen_with_a_line_per_group():
    groups = [_group(1, LONG), _group(2)]
    text, markup = groups_screen(
        "sv", groups, [2], AlertNear, ask_key="police.near.title",
        ask_params={"radius": "1 km", "count": 2}, done_key="alerts.groups.done",
        lines=GroupLines(lambda g, chosen: f"{'on' if chosen else 'off'}:{g.id}"),
    )  # fmt: skip
    assert text.splitlines()[0].startswith("<b>2 grupper inom 1 km</b>")
    assert text.splitlines()[1:] == ["off:1", "on:2"]
    assert _labels(markup) == [[f"⬜ {LONG}"[:60]], ["✅ Grupp 2"], ["Klar (1)"]]
