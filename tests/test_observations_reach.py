"""End-to-end: what must reach a person about an observation is never lost to one failure.

Coordinator and police notifications go through the outbox (retried, resumed after a
restart), are held for people who never opened the private chat and delivered on their
first private message, the Send confirmation and the triage buttons finish their work
whatever happens to the edit or the button's answer.
"""

from __future__ import annotations

import asyncio

from bot.services import observation_notices as notices
from handlers import common
from handlers.observations_buttons import (
    Handled,
    ObsAction,
    ReportButton,
    ReportStep,
    TriageAction,
    Withdraw,
)
from storage import observation_reach as reach
from storage import observations as store
from storage import outbox
from tests.test_observations_support import World, file_report, press

TOO_OLD = "Bad Request: query is too old and response timeout expired or query ID is invalid"


def to_chat(chat_id: int):
    return lambda params: str(params.get("chat_id")) == str(chat_id)


async def summary_of_report(w: World, user, text: str = "Man tittade in i bilar"):
    """Fill in the /report dialogue up to the summary (Send not pressed); the summary."""
    emu = w.emu
    await emu.send_text(user, "/report")
    prompt = await emu.wait_for_message(user.id, lambda m: "112" in m.content)
    await press(w, user, prompt, ReportButton(ReportStep.CATEGORY, "sp").pack())
    await press(w, user, prompt, ReportButton(ReportStep.WHEN, "now").pack())
    n = len(emu.sent_messages(user.id))
    await emu.send_text(user, "Storgatan 1")
    await emu.wait_for_message(user.id, after=n)
    n = len(emu.sent_messages(user.id))
    await emu.send_text(user, text)
    step = await emu.wait_for_message(user.id, after=n)
    await press(w, user, step, ReportButton(ReportStep.PHOTOS_DONE, "done").pack())
    await press(w, user, step, ReportButton(ReportStep.IDENTITY, "n").pack())
    assert (
        "Skicka",
        ReportButton(ReportStep.SUMMARY, "ok").pack(),
    ) in step.buttons() or ReportButton(ReportStep.SUMMARY, "ok").pack() in str(step.buttons())
    return step


async def retry_now(w: World) -> None:
    """Once a send waits for its back-off, let it pass (the test clock only moves when
    told) and wake the delivery worker."""
    db = w.harness.services.db
    for _ in range(500):
        if await db.fetch_value(
            "SELECT COUNT(*) FROM outbox WHERE status = 'pending' AND not_before IS NOT NULL"
        ):
            break
        await asyncio.sleep(0.01)
    w.harness.clock.advance(seconds=600)
    w.harness.services.delivery.wake()


def notices_to(w: World, user) -> list:
    return [m for m in w.emu.sent_messages(user.id) if "Ny iakttagelse" in m.content]


# ------------------------------------------------------------------ the outbox


async def test_coordinator_notice_is_retried_after_a_502(world: World):
    w, emu = world, world.emu
    rule = emu.faults.add("5xx", "sendMessage", predicate=to_chat(w.carl.id))
    await file_report(w, w.anna, "Bil <b>utan</b> skyltar")
    await emu.wait_until(lambda: rule.fired == 1)
    await retry_now(w)
    note = await emu.wait_for_message(w.carl.id, lambda m: "Ny iakttagelse" in m.content)
    assert (
        "Bil <b>utan</b> skyltar" in note.content
        and ("✔️ Markera som granskad", ObsAction(1, TriageAction.REVIEWED).pack()) in note.buttons()
    )
    assert len(notices_to(w, w.carl)) == 1


async def test_a_restart_between_saving_and_notifying_loses_nothing(world: World):
    w, emu = world, world.emu
    rule = emu.faults.add("5xx", "sendMessage", predicate=to_chat(w.carl.id), count=None)
    confirmation = await file_report(w, w.anna)
    assert "O-2026-0001" in confirmation
    await emu.wait_until(lambda: rule.fired >= 1)
    await w.harness.restart()  # the notification is still owed after the restart
    emu.faults.remove(rule)
    await retry_now(w)
    await emu.wait_for_message(w.carl.id, lambda m: "O-2026-0001" in m.content)
    assert len(notices_to(w, w.carl)) == 1


async def test_send_confirmation_edit_lost_then_pressed_again(world: World, monkeypatch):
    """The confirmation edit fails (502, also when retried and sent anew): the report is
    stored and announced anyway, and pressing Send again confirms the same report instead
    of "no longer in that group"."""
    monkeypatch.setattr(common, "STEP_RETRY_PAUSES", (0.0, 0.0))
    w, emu = world, world.emu
    summary = await summary_of_report(w, w.anna)

    def confirmation(p):  # to the resident (the coordinator's notice names it too)
        return "O-2026-0001" in str(p.get("text")) and str(p.get("chat_id")) == str(w.anna.id)

    rule = emu.faults.add("5xx", "editMessageText", predicate=confirmation, count=3)
    emu.faults.add("5xx", "sendMessage", predicate=confirmation, count=3)
    await emu.press_button(w.anna, summary, data=ReportButton(ReportStep.SUMMARY, "ok").pack())
    await emu.wait_until(lambda: rule.fired == 3)
    await emu.wait_for_message(w.carl.id, lambda m: "O-2026-0001" in m.content)
    assert "Kontrollera" in summary.content  # the summary still shows Send
    await press(w, w.anna, summary, ReportButton(ReportStep.SUMMARY, "ok").pack())
    assert "O-2026-0001" in summary.content and "kontaktombuden" in summary.content
    assert "inte längre med" not in summary.content
    services = w.harness.services
    assert await services.db.fetch_value("SELECT COUNT(*) FROM observations") == 1
    await services.delivery.wait_idle()
    assert len(notices_to(w, w.carl)) == 1


async def test_send_confirmation_carried_out_but_answer_dropped(world: World):
    """Telegram applied the confirmation edit but the answer never came back: the
    dialogue follows the screen (ended), the coordinator hears of the report."""
    w, emu = world, world.emu
    summary = await summary_of_report(w, w.anna)
    rule = emu.faults.add(
        "drop_after", "editMessageText", predicate=lambda p: "O-2026-0001" in str(p.get("text"))
    )
    await emu.press_button(w.anna, summary, data=ReportButton(ReportStep.SUMMARY, "ok").pack())
    await emu.wait_until(lambda: rule.fired == 1)
    assert "O-2026-0001" in summary.content
    # The edit is retried: "not modified" tells the bot the screen already shows it.
    await emu.wait_for_message(w.carl.id, lambda m: "O-2026-0001" in m.content)
    shown = [m for m in emu.sent_messages(w.anna.id) if "O-2026-0001" in m.content]
    assert len(shown) == 1 and shown[0] is summary
    n = len(emu.sent_messages(w.anna.id))
    await emu.send_text(w.anna, "/report")  # a new dialogue starts from the beginning
    again = await emu.wait_for_message(w.anna.id, after=n)
    assert "112" in again.content


# ------------------------------------------------------------------ private chat not open


async def test_coordinator_who_never_opened_the_chat_gets_it_on_first_message(world: World):
    w, emu = world, world.emu
    w.carl.started = False
    confirmation = await file_report(w, w.anna, "Någon provade dörrhandtag")
    # Nobody known to have opened the chat: the one confirmation says so, with 114 14.
    assert "O-2026-0001" in confirmation and "114 14" in confirmation
    assert "så fort de har öppnat" in confirmation
    await emu.wait_until(
        lambda: any(c.error_code == 403 for c in emu.errors), what="Telegram's 403 for Carl"
    )
    await w.harness.services.delivery.wait_idle()
    assert all("inte nått" not in m.content for m in emu.sent_messages(w.anna.id))
    db = w.harness.services.db
    assert await reach.closed_among(db, [w.carl.id]) == {w.carl.id}
    assert notices_to(w, w.carl) == []
    # The next report: the resident hears at once that nobody can be reached yet.
    second = await file_report(w, w.anna, "Igen")
    assert "O-2026-0002" in second and "114 14" in second and "så fort de har öppnat" in second
    # Carl writes to the bot: both reports arrive, with their buttons.
    await emu.send_text(w.carl, "/start")
    await emu.wait_until(lambda: len(notices_to(w, w.carl)) == 2)
    first, _ = notices_to(w, w.carl)
    assert "Någon provade dörrhandtag" in first.content
    assert ("✔️ Markera som granskad", ObsAction(1, TriageAction.REVIEWED).pack()) in first.buttons()
    assert await reach.held_for(db, w.carl.id) == []
    # Nothing of the observations ever went to a group.
    for group_chat in (-5_000_001, -5_000_002):
        assert all("dörrhandtag" not in m.content for m in emu.sent_messages(group_chat))


async def test_one_reachable_coordinator_is_enough(world: World):
    w, emu = world, world.emu
    db, now = w.harness.services.db, w.harness.clock.now()
    from storage import groups, roles

    await roles.grant_role(db, w.dora.id, "coordinator", str(w.group_a), None, now)
    group = await groups.get_group(db, w.group_a)
    assert group is not None
    await emu.set_admin(emu.chats[group.chat_id], w.dora, True)  # coordinators are admins
    w.carl.started = False
    await emu.send_text(w.dora, "/start")  # Dora has opened the private chat
    await emu.wait_for_message(w.dora.id)
    confirmation = await file_report(w, w.anna)
    assert "har gått till" in confirmation
    await emu.wait_for_message(w.dora.id, lambda m: "O-2026-0001" in m.content)
    await w.harness.services.delivery.wait_idle()
    assert all("inte nått" not in m.content for m in emu.sent_messages(w.anna.id))
    assert [h.observation_id for h in await reach.held_for(db, w.carl.id)] == [1]


async def test_withdrawn_report_is_not_delivered_later(world: World):
    w, emu = world, world.emu
    w.carl.started = False
    await file_report(w, w.anna)
    await emu.wait_until(
        lambda: any(c.error_code == 403 for c in emu.errors), what="Telegram's 403 for Carl"
    )
    await w.harness.services.delivery.wait_idle()
    await emu.send_text(w.anna, "/minarapporter")
    mine = await emu.wait_for_message(w.anna.id, lambda m: "Dina rapporter" in m.content)
    await emu.press_button(w.anna, mine, data=Withdraw(1).pack())
    await emu.wait_until(lambda: "tillbakadragen" in mine.content.lower() or not mine.buttons())
    await emu.send_text(w.carl, "/start")
    await emu.wait_for_message(w.carl.id)
    await w.harness.services.delivery.wait_idle()
    assert notices_to(w, w.carl) == []


async def test_police_who_never_opened_the_chat_get_the_forward_later(world: World):
    w, emu = world, world.emu
    w.pia.started = False
    await file_report(w, w.anna, "Inbrott i förråd")
    note = await emu.wait_for_message(w.carl.id, lambda m: "Ny iakttagelse" in m.content)
    await emu.press_button(w.carl, note, data=ObsAction(1, TriageAction.FORWARD).pack())
    await emu.wait_for_callback_answer()
    db = w.harness.services.db
    await emu.wait_until(
        lambda: any(c.error_code == 403 for c in emu.errors), what="Telegram's 403 for Pia"
    )
    await w.harness.services.delivery.wait_idle()
    assert [h.viewer for h in await reach.held_for(db, w.pia.id)] == ["police"]
    # A second forward (another report) says so at once.
    await file_report(w, w.anna, "Igen")
    note2 = await emu.wait_for_message(w.carl.id, lambda m: "O-2026-0002" in m.content)
    # This press's own answer: the reporter's last press may still be answered after it.
    pressed = await emu.press_button(w.carl, note2, data=ObsAction(2, TriageAction.FORWARD).pack())
    answer = await emu.wait_for_callback_answer(pressed["id"])
    assert "inte öppnat" in answer["text"] and answer.get("show_alert")
    await emu.send_text(w.pia, "/inkorg")
    await emu.wait_until(
        lambda: len([m for m in emu.sent_messages(w.pia.id) if "grannsamverkan" in m.content]) == 2
    )
    police = [m for m in emu.sent_messages(w.pia.id) if "grannsamverkan" in m.content]
    assert "Inbrott i förråd" in police[0].content
    assert ("✅ Markera som hanterad", Handled(1).pack()) in police[0].buttons() or police[
        0
    ].buttons()


async def test_many_held_notices_arrive_as_one_summary(world: World):
    w, emu = world, world.emu
    db, clock = w.harness.services.db, w.harness.clock
    for n in range(notices.SUMMARY_OVER + 1):
        new = store.NewObservation(
            w.group_a, "0180", w.anna.id, False, "theft", clock.now(), "Gatan", None, None,
            False, f"iakttagelse {n}",
        )  # fmt: skip
        obs_id, _ = await store.create_observation(db, new, clock.now(), 2026, clock.now(), 99)
        await reach.hold(db, w.carl.id, obs_id, "coordinator", clock.now())
    await emu.send_text(w.carl, "/start")
    summary = await emu.wait_for_message(w.carl.id, lambda m: "väntade på dig" in m.content)
    assert "O-2026-0001" in summary.content and "O-2026-0006" in summary.content
    assert "Björkhagen &lt;Norra&gt;" in summary.html
    assert await reach.held_for(db, w.carl.id) == []


# ------------------------------------------------------------------ too old to answer


async def test_forward_pressed_too_late_to_answer_still_does_everything(world: World):
    w, emu = world, world.emu
    await file_report(w, w.anna, "Misstänkt bil")
    note = await emu.wait_for_message(w.carl.id, lambda m: "Ny iakttagelse" in m.content)
    emu.faults.add("error", "answerCallbackQuery", description=TOO_OLD, count=None)
    await emu.press_button(w.carl, note, data=ObsAction(1, TriageAction.FORWARD).pack())
    police = await emu.wait_for_message(w.pia.id, lambda m: "grannsamverkan" in m.content)
    assert "Misstänkt bil" in police.content
    await emu.wait_until(lambda: "skickad till polisen" in note.content)
    obs = await store.get_observation(w.harness.services.db, 1)
    assert obs is not None and obs.status == "forwarded"


async def test_second_press_finishes_an_edit_the_first_left_undone(world: World):
    w, emu = world, world.emu
    await file_report(w, w.anna)
    note = await emu.wait_for_message(w.carl.id, lambda m: "Ny iakttagelse" in m.content)
    rule = emu.faults.add("5xx", "editMessageText", predicate=to_chat(w.carl.id))
    await emu.press_button(w.carl, note, data=ObsAction(1, TriageAction.FORWARD).pack())
    await emu.wait_until(lambda: rule.fired == 1)
    await emu.wait_for_message(w.pia.id, lambda m: "grannsamverkan" in m.content)
    assert "skickad till polisen" not in note.content
    await emu.press_button(w.carl, note, data=ObsAction(1, TriageAction.FORWARD).pack())
    answer = await emu.wait_for_callback_answer()
    assert "Skickad till polisen" in answer["text"]  # not "the status already changed"
    await emu.wait_until(lambda: "skickad till polisen" in note.content)
    await w.harness.services.delivery.wait_idle()
    rows = await outbox.rows_for(w.harness.services.db, notices.KIND_POLICE, 1)
    assert len(rows) == 1  # the police heard of it once


async def test_report_steps_survive_a_too_old_answer(world: World):
    w, emu = world, world.emu
    emu.faults.add("error", "answerCallbackQuery", description=TOO_OLD, count=None)
    confirmation = await file_report(w, w.anna)
    assert "O-2026-0001" in confirmation
    await emu.wait_for_message(w.carl.id, lambda m: "O-2026-0001" in m.content)


# ------------------------------------------------------------------ asking staff to open it


def _open_chat_asks(emu, chat_id: int) -> list:
    return [
        m
        for m in emu.sent_messages(chat_id)
        if any(url == "https://t.me/grannvakt_test_bot" for _, url in m.buttons())
    ]


async def test_new_coordinator_is_asked_to_open_the_private_chat(bot):
    emu = bot.emu
    anna = emu.add_user("Anna")
    grp = emu.add_group("Möllebacken", admins=[anna], bot_is_member=True)
    await emu.send_text(anna, "/registrera Norra Möllebacken, Sölvesborg", chat=grp)
    explanation = await emu.wait_for_message(grp.id, lambda m: "114 14" in m.content)
    assert "Anna, som kontaktombud" in explanation.content and "privat chatt" in explanation.content
    assert any(url and url.startswith("https://t.me/") for _, url in explanation.buttons())
    # Registering again posts no second welcome, so it does not ask again either.
    await emu.send_text(anna, "/registrera Södra Möllebacken, Sölvesborg", chat=grp)
    again = await emu.wait_for_message(grp.id, lambda m: "uppdaterad" in m.content)
    assert "Södra" in again.content and "som kontaktombud" not in again.content
    assert sum("114 14" in m.content for m in emu.sent_messages(grp.id)) == 1


async def test_added_co_coordinator_is_asked_to_open_the_private_chat(bot):
    emu = bot.emu
    anna = emu.add_user("Anna", language_code="en")
    bert = emu.add_user("Bert", language_code="en")
    grp = emu.add_group("Hill", admins=[anna, bert], bot_is_member=True)
    await emu.send_text(anna, "/register Hilltop, Lund", chat=grp)
    await emu.wait_for_message(grp.id, lambda m: "114 14" in m.content)
    await emu.send_text(anna, "/group", chat=grp)
    info = await emu.wait_for_message(
        grp.id, lambda m: "Coordinators" in " ".join(m.button_texts())
    )
    await emu.press_button(anna, info, text="👥 Coordinators")
    await emu.wait_until(lambda: info.edited and "Bert" in " ".join(info.button_texts()))
    await emu.press_button(anna, info, text="➕ Bert")
    await emu.wait_until(lambda: _open_chat_asks(emu, grp.id))
    (ask,) = _open_chat_asks(emu, grp.id)
    assert "Bert" in ask.content and "private chat" in ask.content


# ------------------------------------------------------------------ the state follows the screen


async def test_report_step_edit_carried_out_but_answer_lost(world: World):
    """Telegram applied the edit to the next step but its answer was lost: the dialogue is
    at that step, so its buttons work (before: "this button has expired")."""
    w, emu = world, world.emu
    await emu.send_text(w.anna, "/report")
    prompt = await emu.wait_for_message(w.anna.id, lambda m: "112" in m.content)
    rule = emu.faults.add(
        "drop_after", "editMessageText", predicate=lambda p: "När såg du" in str(p.get("text"))
    )
    await emu.press_button(w.anna, prompt, data=ReportButton(ReportStep.CATEGORY, "sp").pack())
    await emu.wait_until(lambda: rule.fired == 1)
    await emu.wait_until(lambda: "När såg du" in prompt.content)
    await emu.press_button(w.anna, prompt, data=ReportButton(ReportStep.WHEN, "now").pack())
    await emu.wait_until(
        lambda: any("Dela en plats" in m.content for m in emu.sent_messages(w.anna.id))
    )
    answers = [c for c in emu.calls if c.method == "answerCallbackQuery"]
    assert all("gått ut" not in str(c.params.get("text")) for c in answers)
