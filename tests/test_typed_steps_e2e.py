"""End-to-end: every dialogue step that wants typed text answers anything else (a sticker,
photo, voice message, location, contact or file) with a polite request to type it AND
the step's question again (with its buttons), in the person's language, and stays at
the step (handlers/dialogues.py::not_typed).

Steps: /larm's place, text, photo (a photo is expected there), link and event number;
the update of a sent alert; a coordinator's note; the tip library's Swedish, English and
edited text; /enkat's question and closing time; /narvaro's what, place (before and after
a shared location) and when; moving a presence.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta

import pytest

from bot.i18n import t_plain, template
from bot.persistence import current_states
from bot.services import presence as presence_service
from bot.services.dialog_targets import Target
from bot.services.roles import access_of
from bot.services.tip_library import FOCUS_AREAS, SEASONS
from handlers import (
    alerts_change,
    alerts_draft,
    observations_notes,
    presence,
    presence_manage,
    surveys,
    tips_library,
)
from handlers.alerts_buttons import (
    AlertDetailSkip,
    AlertManage,
    AlertPhotoSkip,
    AlertTarget,
    AlertType,
    DetailStep,
    ManageAction,
)
from handlers.alerts_buttons import Target as AlertTargetKind
from handlers.observations_buttons import ObsNote
from handlers.presence_manage import Manage, PresencePress
from handlers.tips_buttons import LibraryAdd, LibraryEdit, TipFocus, TipSeason
from storage import observations as observation_store
from storage import tips as tip_store
from storage.observations import NewObservation
from tests.emulator.state import User
from tests.scenario import Scenario
from tests.test_observations_support import World


def marker(lang: str, key: str) -> str:
    """The fixed start of a catalog text as the person reads it (no tags, no parameters)."""
    plain = re.sub(r"<[^>]+>", "", template(lang, key)).split("{")[0]
    return plain.strip()[:30]


async def asked(w: World, user: User, key: str) -> None:
    """Wait until the newest message to `user` (sent or edited) shows the question `key`."""
    needle = marker(user.language_code, key)

    def shown() -> bool:
        sent = w.emu.sent_messages(user.id)
        return bool(sent) and needle in sent[-1].content

    await w.emu.wait_until(shown, what=f"question {key}")


async def press(w: World, user: User, data: str) -> None:
    """Press the button `data` on the newest message to `user`; a button of another
    screen (the way there is not under test) is put on that message first."""
    message = w.emu.sent_messages(user.id)[-1]
    if data not in [d for _, d in message.buttons()]:
        message.reply_markup = {"inline_keyboard": [[{"text": "→", "callback_data": data}]]}
    await w.emu.press_button(user, message, data=data)


async def say(w: World, user: User, text: str) -> None:
    await w.emu.send_text(user, text)


# ------------------------------------------------------------------ reaching each step


async def _alert_text(w: World, user: User) -> None:
    await say(w, user, "/larm")
    await asked(w, user, "alerts.ask.type")
    await press(w, user, AlertType("burglary").pack())
    await w.emu.wait_until(
        lambda: any(
            d == AlertTarget(AlertTargetKind.ALL).pack()
            for _, d in w.emu.sent_messages(user.id)[-1].buttons()
        )
    )
    await press(w, user, AlertTarget(AlertTargetKind.ALL).pack())
    await asked(w, user, "alerts.ask.text")


async def alert_place(w: World, user: User) -> None:
    await say(w, user, "/larm")
    await asked(w, user, "alerts.ask.type")
    await press(w, user, AlertType("burglary").pack())
    await w.emu.wait_until(lambda: w.emu.sent_messages(user.id)[-1].edited)
    await press(w, user, AlertTarget(AlertTargetKind.PLACE).pack())
    await asked(w, user, "police.place.ask")


async def alert_photo(w: World, user: User) -> None:
    await _alert_text(w, user)
    await say(w, user, "Inbrott i förråd på Storgatan i natt.")
    await asked(w, user, "alerts.ask.photo")


async def alert_link(w: World, user: User) -> None:
    await alert_photo(w, user)
    await press(w, user, AlertPhotoSkip().pack())
    await asked(w, user, "police.link.ask")


async def alert_event(w: World, user: User) -> None:
    await alert_link(w, user)
    await press(w, user, AlertDetailSkip(DetailStep.LINK).pack())
    await asked(w, user, "police.event.ask")


async def alert_update(w: World, user: User) -> None:
    services = w.harness.services
    access = await access_of(services.db, services.settings, user.id)
    alert_id = await Scenario.of(w.harness).alert(access)
    await say(w, user, "/larmlista")
    await w.emu.wait_for_message(user.id)
    await press(w, user, AlertManage(ManageAction.UPDATE, alert_id).pack())
    await asked(w, user, "alerts.update.ask")


async def note(w: World, user: User) -> None:
    services = w.harness.services
    now = services.clock.now()
    new = NewObservation(
        w.group_a, "0180", w.anna.id, False, "theft", now, "Gatan 2", None, None, False, "x"
    )
    obs_id, _ = await observation_store.create_observation(services.db, new, now, 2026, now, 1)
    await say(w, user, "/hjalp")
    await w.emu.wait_for_message(user.id)
    await press(w, user, ObsNote(obs_id).pack())
    await asked(w, user, "fb.note.ask")


async def _tip_library(w: World, user: User) -> None:
    await say(w, user, "/tips")
    await w.emu.wait_for_message(user.id)


async def tip_sv(w: World, user: User) -> None:
    await _tip_library(w, user)
    await press(w, user, LibraryAdd().pack())
    await asked(w, user, "tips.lib.ask_focus")
    await press(w, user, TipFocus(FOCUS_AREAS[0]).pack())
    await asked(w, user, "tips.lib.ask_season")
    await press(w, user, TipSeason(SEASONS[0]).pack())
    await asked(w, user, "tips.lib.ask_sv")


async def tip_en(w: World, user: User) -> None:
    await tip_sv(w, user)
    await say(w, user, "Sänk farten när barn är ute och leker.")
    await asked(w, user, "tips.lib.ask_en")


async def tip_edit(w: World, user: User) -> None:
    tip = (await tip_store.list_tips(w.harness.services.db))[0]
    await _tip_library(w, user)
    await press(w, user, LibraryEdit(tip.id, "en").pack())
    await asked(w, user, "tips.lib.ask_edit")


async def survey_question(w: World, user: User) -> None:
    await say(w, user, "/enkat")
    await asked(w, user, "dialog.survey.ask_question")


async def survey_closing(w: World, user: User) -> None:
    await survey_question(w, user)
    await say(w, user, "Fika i parken?\nJa\nNej")
    await asked(w, user, "dialog.survey.ask_closing")


async def presence_what(w: World, user: User) -> None:
    await say(w, user, "/narvaro")
    await asked(w, user, "dialog.presence.ask_what")


async def presence_place(w: World, user: User) -> None:
    await presence_what(w, user)
    await say(w, user, "Vi pratar om inbrottsskydd")
    await asked(w, user, "dialog.presence.ask_place")


async def presence_place_after_location(w: World, user: User) -> None:
    await presence_place(w, user)
    await w.emu.share_location(user, 59.33, 18.06)
    await asked(w, user, "dialog.presence.got_location")


async def presence_when(w: World, user: User) -> None:
    await presence_place(w, user)
    await say(w, user, "Biblioteket")
    await asked(w, user, "dialog.presence.ask_when")


async def presence_move(w: World, user: User) -> None:
    services = w.harness.services
    access = await access_of(services.db, services.settings, user.id)
    starts = services.clock.now() + timedelta(days=1)
    draft = presence_service.PresenceDraft("Fika", "Biblioteket", None, None, starts, starts)
    draft.ends_at = starts + timedelta(hours=1)
    announced = await presence_service.announce(
        services.db, services.clock, services.settings.tzinfo, access, draft, Target("all"), "sv"
    )
    await say(w, user, "/narvarolista")
    await w.emu.wait_for_message(user.id)
    await press(w, user, PresencePress(Manage.MOVE, announced.id).pack())
    await asked(w, user, "dialog.presence.ask_move")


@dataclass(frozen=True)
class Step:
    reach: Callable[[World, User], Awaitable[None]]
    state: tuple[str, int]  # (dialogue, step) the question belongs to
    who: str  # a person of the World (their language is the answer's)
    question: str  # the step's question (catalog key)
    request: str = "core.step.type_it"
    takes: frozenset[str] = frozenset()  # kinds of message the step accepts
    buttons: bool = False  # the question has buttons (Skip, days), shown again


A, U, N, L = "alert_compose", "alert_update", "observation_note", "tips_library"
S, P, M = "survey_compose", "presence_compose", "presence_move"
LOCATION = frozenset({"location"})
STEPS = {
    "alert place": Step(alert_place, (A, alerts_draft.PLACE), "pia", "police.place.ask",
                        "police.place.expected", LOCATION),
    "alert text": Step(_alert_text, (A, alerts_draft.TEXT), "olle", "alerts.ask.text"),
    "alert photo": Step(alert_photo, (A, alerts_draft.PHOTO), "pia", "alerts.ask.photo",
                        "alerts.photo.expected", frozenset({"photo"}), buttons=True),
    "alert link": Step(alert_link, (A, alerts_draft.LINK), "olle", "police.link.ask",
                       buttons=True),
    "alert event number": Step(alert_event, (A, alerts_draft.EVENT), "pia", "police.event.ask",
                               buttons=True),
    "alert update": Step(alert_update, (U, alerts_change.UPDATE_TEXT), "olle",
                         "alerts.update.ask"),
    "note": Step(note, (N, observations_notes.NOTE), "carl", "fb.note.ask"),
    "tip swedish": Step(tip_sv, (L, tips_library.TEXT_SV), "pia", "tips.lib.ask_sv"),
    "tip english": Step(tip_en, (L, tips_library.TEXT_EN), "olle", "tips.lib.ask_en"),
    "tip edit": Step(tip_edit, (L, tips_library.EDIT), "pia", "tips.lib.ask_edit"),
    "survey question": Step(survey_question, (S, surveys.QUESTION), "dora",
                            "dialog.survey.ask_question"),
    "survey closing": Step(survey_closing, (S, surveys.CLOSING), "carl",
                           "dialog.survey.ask_closing", buttons=True),
    "presence what": Step(presence_what, (P, presence.WHAT), "olle", "dialog.presence.ask_what"),
    "presence place": Step(presence_place, (P, presence.PLACE), "pia",
                           "dialog.presence.ask_place", takes=LOCATION),
    "presence place after location": Step(
        presence_place_after_location, (P, presence.PLACE), "olle",
        "dialog.presence.got_location", takes=LOCATION,
    ),
    "presence when": Step(presence_when, (P, presence.WHEN), "pia", "dialog.presence.ask_when"),
    "presence move": Step(presence_move, (M, presence_manage.MOVE_WHEN), "olle",
                          "dialog.presence.ask_move"),
}  # fmt: skip

KINDS: dict[str, Callable[..., object]] = {
    "sticker": lambda emu, user: emu.send_sticker(user),
    "photo": lambda emu, user: emu.send_photo(user),
    "voice": lambda emu, user: emu._user_message(
        user, None, voice={"file_id": "v1", "file_unique_id": "v1u", "duration": 3}
    ),
    "location": lambda emu, user: emu.share_location(user, 59.3, 18.0),
    "contact": lambda emu, user: emu._user_message(
        user, None, contact={"phone_number": "+46701234567", "first_name": "Kim"}
    ),
    "document": lambda emu, user: emu.send_document(user, "karta.pdf", b"%PDF-1.4"),
}


async def _send(emu, user: User, kind: str) -> None:
    sent = KINDS[kind](emu, user)
    if inspect.isawaitable(sent):
        await sent


# Each step is one dialogue that gets every kind of message in turn (one bot per step:
# a bot per step and kind would be some 80 more end-to-end runs on a shared machine).
@pytest.mark.parametrize("step", list(STEPS.values()), ids=list(STEPS))
async def test_anything_but_text_gets_please_type_and_the_question_again(world: World, step: Step):
    w, emu = world, world.emu
    user: User = getattr(w, step.who)
    lang = user.language_code
    request, question = t_plain(lang, step.request), marker(lang, step.question)
    await step.reach(w, user)
    app = w.harness.app
    await emu.wait_until(
        lambda: current_states(app, user.id, user.id) == [step.state], what=f"{step.state}"
    )
    for kind in (k for k in KINDS if k not in step.takes):
        n = len(emu.sent_messages(user.id))
        await _send(emu, user, kind)
        answer = await emu.wait_for_message(user.id, after=n)
        assert request in answer.content, (kind, answer.content)
        assert question in answer.content, (kind, answer.content)
        assert answer.content.index(request) < answer.content.index(question)
        if step.buttons:
            assert answer.buttons(), f"{kind}: the question's buttons come with it"
        assert current_states(app, user.id, user.id) == [step.state], kind  # still there


@pytest.mark.parametrize("step", list(STEPS.values()), ids=list(STEPS))
async def test_an_unknown_command_gets_the_question_again(world: World, step: Step):
    """The catch-all (handlers/fallbacks.py) repeats the step's question after "I don't
    know that command" (dialogues.add_step_questions); the dialogue stays where it was."""
    w, emu = world, world.emu
    user: User = getattr(w, step.who)
    lang = user.language_code
    await step.reach(w, user)
    app = w.harness.app
    await emu.wait_until(lambda: current_states(app, user.id, user.id) == [step.state])
    n = len(emu.sent_messages(user.id))
    await emu.send_text(user, "/okant")
    answer = await emu.wait_for_message(user.id, after=n)
    unknown = marker(lang, "core.dialogue.unknown_command")
    assert unknown in answer.content and marker(lang, step.question) in answer.content
    if step.buttons:
        assert answer.buttons()
    assert current_states(app, user.id, user.id) == [step.state]


async def test_an_unknown_command_at_a_button_step_points_to_the_buttons(world: World):
    w, emu = world, world.emu
    await emu.send_text(w.olle, "/alert")
    await asked(w, w.olle, "alerts.ask.type")
    await emu.send_text(w.olle, "/nonsense")
    answer = await emu.wait_for_message(w.olle.id, lambda m: "know that command" in m.content)
    assert "please press one of the buttons in my last message" in answer.content
