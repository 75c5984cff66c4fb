"""End-to-end: a dialogue's state follows what the person sees when SENDING its next step
fails (issue #10 §4): a 502 without effect, or a send that took effect and then lost its
connection ("drop_after"). The step is retried, so the dialogue moves on and the person's
next answer lands in the step they were asked; a closing message that cannot be sent
never holds a finished dialogue back."""

from __future__ import annotations

import pytest
from telegram.error import BadRequest, Forbidden, NetworkError, TimedOut

from handlers import common
from handlers.alerts_buttons import AlertConfirm, AlertPhotoSkip, AlertTarget, AlertType, Target
from handlers.observations_buttons import ObsNote, ReportButton, ReportStep
from handlers.tips_buttons import LibraryAdd, LibraryPage, TipFocus, TipSeason
from storage import observations as obs_store
from tests.alerts_helpers import answer_details, make_police, register_groups
from tests.test_observations_support import World, file_report, press

DESCRIPTION_ASK = "Beskriv vad du såg"
APOLOGY = "något gick fel"


def _text_has(needle: str):
    return lambda params: needle in str(params.get("text"))


def _count(w: World, user_id: int, needle: str) -> int:
    return sum(needle in m.content for m in w.emu.sent_messages(user_id))


async def _report_until_where(w: World):
    emu = w.emu
    await emu.send_text(w.anna, "/rapportera")
    prompt = await emu.wait_for_message(w.anna.id, lambda m: "112" in m.content)
    await press(w, w.anna, prompt, ReportButton(ReportStep.CATEGORY, "sp").pack())
    await press(w, w.anna, prompt, ReportButton(ReportStep.WHEN, "now").pack())
    assert "Dela en plats" in prompt.content


async def _finish_report(w: World, description: str) -> None:
    """From the description step to the reference number."""
    emu = w.emu
    await emu.send_text(w.anna, description)
    step = await emu.wait_for_message(w.anna.id, lambda m: "foto" in m.content)
    await press(w, w.anna, step, ReportButton(ReportStep.PHOTOS_DONE, "done").pack())
    await press(w, w.anna, step, ReportButton(ReportStep.IDENTITY, "n").pack())
    await press(w, w.anna, step, ReportButton(ReportStep.SUMMARY, "ok").pack())
    assert "O-2026-0001" in step.content


@pytest.mark.parametrize("kind", ["5xx", "drop_after"])
async def test_report_text_step_survives_a_failed_send_of_the_next_question(
    world: World, kind: str
):
    """Before: the failed send raised, the dialogue stayed at "where?", so the description
    typed next was stored as the place (drop_after) or only an apology came (5xx)."""
    w, emu = world, world.emu
    await _report_until_where(w)
    rule = emu.faults.add(kind, "sendMessage", predicate=_text_has(DESCRIPTION_ASK))
    await emu.send_text(w.anna, "Storgatan 1")
    await emu.wait_until(lambda: rule.fired == 1)
    # drop_after: the question arrived and was sent again (shown twice, never missing)
    shown = 2 if kind == "drop_after" else 1
    await emu.wait_until(lambda: _count(w, w.anna.id, DESCRIPTION_ASK) == shown)
    await _finish_report(w, "Två personer bar ut en cykel")
    assert _count(w, w.anna.id, APOLOGY) == 0
    rows = await w.harness.services.db.fetch_all("SELECT id FROM observations")
    assert len(rows) == 1  # stored once
    obs = await obs_store.get_observation(w.harness.services.db, rows[0]["id"])
    assert obs is not None
    assert obs.place_text == "Storgatan 1" and obs.description == "Två personer bar ut en cykel"


async def test_report_step_edit_that_failed_is_retried_in_the_same_message(world: World):
    """A 502 on a step's edit is retried (an edit is idempotent): the dialogue stays in one
    message. Before: the step came as a second message under the old one's buttons."""
    w, emu = world, world.emu
    await emu.send_text(w.anna, "/rapportera")
    prompt = await emu.wait_for_message(w.anna.id, lambda m: "112" in m.content)
    rule = emu.faults.add("5xx", "editMessageText", predicate=_text_has("När såg du"))
    await emu.press_button(w.anna, prompt, data=ReportButton(ReportStep.CATEGORY, "sp").pack())
    await emu.wait_until(lambda: rule.fired == 1 and "När såg du" in prompt.content)
    await press(w, w.anna, prompt, ReportButton(ReportStep.WHEN, "now").pack())
    assert "Dela en plats" in prompt.content
    assert len(emu.sent_messages(w.anna.id)) == 1


async def test_report_reference_edit_lost_twice_still_confirms_once(world: World):
    """The Send confirmation's edit fails (502, then taken effect but lost): the reference is
    shown in the prompt and the report is stored once."""
    w, emu = world, world.emu
    emu.faults.add("5xx", "editMessageText", predicate=_text_has("O-2026-0001"))
    emu.faults.add("drop_after", "editMessageText", predicate=_text_has("O-2026-0001"))
    final = await file_report(w, w.anna)
    assert "O-2026-0001" in final
    assert await w.harness.services.db.fetch_value("SELECT COUNT(*) FROM observations") == 1
    assert _count(w, w.anna.id, APOLOGY) == 0


@pytest.mark.parametrize("kind", ["5xx", "drop_after"])
async def test_alert_text_step_survives_a_failed_send_of_the_photo_question(
    world: World, kind: str
):
    """Before: the dialogue stayed at the text step, so Skip on the photo question that did
    arrive (drop_after) said "expired", and after a 502 only an apology came."""
    w, emu = world, world.emu
    chat = emu.add_group("Grupp", bot_is_member=True)
    await register_groups(w.harness, [chat])
    await make_police(w.harness, w.pia, "0180")
    await emu.send_text(w.pia, "/larm")
    prompt = await emu.wait_for_message(w.pia.id, lambda m: m.buttons())
    await emu.press_button(w.pia, prompt, data=AlertType("burglary").pack())
    await emu.wait_until(
        lambda: any(d == AlertTarget(Target.ALL).pack() for _, d in prompt.buttons())
    )
    await emu.press_button(w.pia, prompt, data=AlertTarget(Target.ALL).pack())
    await emu.wait_until(lambda: not prompt.reply_markup and prompt.edited)
    rule = emu.faults.add(kind, "sendMessage", predicate=_text_has("bifoga en bild"))
    await emu.send_text(w.pia, "Inbrott i förråd på Ekvägen")
    await emu.wait_until(lambda: rule.fired == 1)
    photo_ask = await emu.wait_for_message(
        w.pia.id, lambda m: "bifoga en bild" in m.content and m.buttons()
    )
    n = len(emu.sent_messages(w.pia.id))
    await emu.press_button(w.pia, photo_ask, data=AlertPhotoSkip().pack())
    n = await answer_details(emu, w.pia, n, None, None)
    confirm = await emu.wait_for_message(
        w.pia.id,
        lambda m: any(d == AlertConfirm(send=True).pack() for _, d in m.buttons()),
        after=n,
    )
    await emu.press_button(w.pia, confirm, data=AlertConfirm(send=True).pack())
    await emu.wait_for_message(chat.id, lambda m: "Ekvägen" in m.content)
    db = w.harness.services.db
    assert await db.fetch_value("SELECT COUNT(*) FROM alerts") == 1
    assert await db.fetch_value("SELECT body FROM alerts") == "Inbrott i förråd på Ekvägen"
    assert _count(w, w.pia.id, APOLOGY) == 0
    answers = [c.params.get("text") for c in emu.calls if c.method == "answerCallbackQuery"]
    assert all("gått ut" not in str(text) for text in answers)


async def _note_step(w: World):
    emu = w.emu
    await file_report(w, w.anna)
    note = await emu.wait_for_message(w.carl.id, lambda m: "O-2026-0001" in m.content)
    await emu.press_button(w.carl, note, data=ObsNote(1).pack())
    return await emu.wait_for_message(w.carl.id, lambda m: "anteckning" in m.content)


async def test_note_confirmation_lost_once_is_sent_again(world: World):
    w, emu = world, world.emu
    ask = await _note_step(w)
    rule = emu.faults.add("5xx", "sendMessage", predicate=_text_has("är sparad i"))
    await emu.send_text(w.carl, "Pratat med grannen")
    saved = await emu.wait_for_message(w.carl.id, lambda m: "är sparad i" in m.content, after=ask)
    assert rule.fired == 1 and "O-2026-0001" in saved.content
    assert _count(w, w.carl.id, APOLOGY) == 0


async def test_note_confirmation_never_sent_still_ends_the_dialogue(world: World):
    """Every attempt at "the note is saved" fails: the note is stored once and the dialogue
    is over. Before: it stayed at the note step without its observation, so the next text
    was answered "you are not allowed"."""
    w, emu = world, world.emu
    await _note_step(w)
    emu.faults.add("5xx", "sendMessage", predicate=_text_has("är sparad i"), count=None)
    await emu.send_text(w.carl, "Pratat med grannen")
    db = w.harness.services.db
    await emu.wait_until(
        lambda: len([c for c in emu.calls if "är sparad i" in str(c.params.get("text"))]) >= 3
    )
    emu.faults.clear()
    before = len(emu.sent_messages(w.carl.id))
    await emu.send_text(w.carl, "Och en sak till")
    answer = await emu.wait_for_message(w.carl.id, after=before)
    assert "behörighet" not in answer.content
    assert await db.fetch_value("SELECT COUNT(*) FROM observation_notes") == 1


async def test_tip_text_step_survives_a_failed_send_of_the_english_question(world: World):
    w, emu = world, world.emu
    await emu.send_text(w.pia, "/tips")
    menu = await emu.wait_for_message(w.pia.id, lambda m: m.buttons())
    await press(w, w.pia, menu, LibraryPage(0).pack())
    await press(w, w.pia, menu, LibraryAdd().pack())
    await press(w, w.pia, menu, TipFocus("burglary").pack())
    await press(w, w.pia, menu, TipSeason("all_year").pack())
    rule = emu.faults.add("drop_after", "sendMessage", predicate=_text_has("engelska"))
    await emu.send_text(w.pia, "Lås förrådet även på dagen.")
    await emu.wait_until(lambda: rule.fired == 1 and _count(w, w.pia.id, "engelska") == 2)
    await emu.send_text(w.pia, "Lock the shed in the daytime too.")
    await emu.wait_for_message(w.pia.id, lambda m: "sparat" in m.content or "lagt" in m.content)
    db = w.harness.services.db
    row = await db.fetch_one("SELECT text_sv, text_en FROM tips ORDER BY id DESC LIMIT 1")
    assert row is not None
    assert (row["text_sv"], row["text_en"]) == (
        "Lås förrådet även på dagen.",
        "Lock the shed in the daytime too.",
    )


async def test_kommun_question_whose_send_answer_was_lost_still_hears_the_reply(bot):
    """The question arrived but its send answer was lost, so it was sent again; the
    coordinator replies to the first one. Before: the registration waited for nothing
    (no pending question was recorded) and the reply was ignored."""
    emu = bot.emu
    anna = emu.add_user("Anna", language_code="en")
    grp = emu.add_group("G", admins=[anna], bot_is_member=True)
    rule = emu.faults.add("drop_after", "sendMessage", predicate=_text_has("Which kommun"))
    await emu.send_text(anna, "/register Old Town", chat=grp)
    await emu.wait_until(
        lambda: (
            rule.fired == 1
            and len([m for m in emu.sent_messages(grp.id) if "Which kommun" in m.text]) == 2
        )
    )
    first = next(m for m in emu.sent_messages(grp.id) if "Which kommun" in m.text)
    await emu.send_text(anna, "karlshamn", chat=grp, reply_to=first)
    await emu.wait_for_message(grp.id, lambda m: "registered" in m.text)


# ------------------------------------------------------------------ units: what is retried


@pytest.mark.parametrize(
    ("error", "calls"),
    [
        (NetworkError("Bad Gateway"), 3),
        (TimedOut(), 3),
        (BadRequest("Message text is empty"), 1),
        (Forbidden("bot was blocked by the user"), 1),
    ],
)
async def test_with_retries_repeats_only_transient_failures(monkeypatch, error, calls):
    monkeypatch.setattr(common, "STEP_RETRY_PAUSES", (0.0, 0.0))
    made = 0

    async def call() -> None:
        nonlocal made
        made += 1
        raise error

    with pytest.raises(type(error)):
        await common.with_retries(call)
    assert made == calls


async def test_with_retries_returns_the_first_success(monkeypatch):
    monkeypatch.setattr(common, "STEP_RETRY_PAUSES", (0.0, 0.0))
    outcomes = [NetworkError("Bad Gateway"), "sent"]

    async def call() -> str:
        outcome = outcomes.pop(0)
        if isinstance(outcome, Exception):
            raise outcome
        return outcome

    assert await common.with_retries(call) == "sent"


async def test_report_button_of_the_step_on_screen_shows_the_step_the_dialogue_is_at(
    world: World, monkeypatch
):
    """The edit to "when?" took effect but every answer and resend was lost: the screen is a
    step ahead of the dialogue. Pressing a button of the step on screen shows the step the
    dialogue is at (before: "this button has expired"), and the report goes on."""
    monkeypatch.setattr(common, "STEP_RETRY_PAUSES", (0.0, 0.0))
    w, emu = world, world.emu
    await emu.send_text(w.anna, "/rapportera")
    prompt = await emu.wait_for_message(w.anna.id, lambda m: "112" in m.content)
    when = _text_has("När såg du")
    emu.faults.add("drop_after", "editMessageText", predicate=when)
    emu.faults.add("5xx", "editMessageText", predicate=when, count=2)
    lost = emu.faults.add("5xx", "sendMessage", predicate=when, count=3)
    await emu.press_button(w.anna, prompt, data=ReportButton(ReportStep.CATEGORY, "sp").pack())
    await emu.wait_until(lambda: lost.fired == 3 and "När såg du" in prompt.content)
    await emu.wait_for_message(w.anna.id, lambda m: APOLOGY in m.content)
    emu.faults.clear()
    await press(
        w, w.anna, prompt, ReportButton(ReportStep.WHEN, "now").pack()
    )  # the screen's step; the dialogue's differs
    assert "Vad gäller det?" in prompt.content
    assert ReportButton(ReportStep.CATEGORY, "sp").pack() in {d for _, d in prompt.buttons()}
    await press(w, w.anna, prompt, ReportButton(ReportStep.CATEGORY, "sp").pack())
    await press(w, w.anna, prompt, ReportButton(ReportStep.WHEN, "now").pack())
    assert "Dela en plats" in prompt.content
    answers = [c.params.get("text") for c in emu.calls if c.method == "answerCallbackQuery"]
    assert all("gått ut" not in str(text) for text in answers)
