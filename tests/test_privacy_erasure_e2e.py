"""End-to-end: /integritet, /minadata and /glommig through the emulator, and proof that an
erasure leaves no trace of the person in ANY table of the schema."""

from __future__ import annotations

import json

import pytest

from handlers.observations_buttons import ObsAction, TriageAction
from handlers.privacy import ForgetMe
from storage import alerts, groups, roles
from storage import observations as obs_store
from tests.harness import BotHarness, fixed_clock
from tests.privacy_helpers import document_json, file_report_with_caption, settled, traces
from tests.test_observations_support import World, build_world, file_report, press, told_of

REPORT_NEW = "Rapport ett QWX lurade runt bilarna"
REPORT_FORWARDED = "Rapport två QWY bröt upp ett förråd"
CAPTION = "hemlig bildtext XYZ"


@pytest.fixture
async def world(emu, tmp_path):
    harness = BotHarness(emu, tmp_path / "g.db", clock=fixed_clock(), data_controller="Ale kommun")
    w = await build_world(harness)
    yield w
    await harness.stop()


async def test_erasure_leaves_no_trace_in_any_table(world: World):
    w, emu = world, world.emu
    db, now = w.harness.services.db, w.harness.services.clock.now()
    zel = emu.add_user("Zelmira", "sv", username="zelmira_q", last_name="Quistorp")
    zel.started = True
    await emu.send_text(zel, "/start")
    start = await emu.wait_for_message(zel.id)
    assert "/integritet" in start.content
    await groups.add_member(db, w.group_a, zel.id, "deep_link", now)
    await roles.grant_role(db, zel.id, "coordinator", str(w.group_b), None, now)
    async with db.transaction() as conn:
        alert_id = await alerts.insert_alert(
            conn, alerts.NewAlert(w.pia.id, "sv", "burglary", "Inbrott", None, "all", []), now
        )
    await alerts.add_ack(db, alert_id, zel.id, w.group_a, now)

    # A new report with a captioned photo, and one the coordinator forwards to the police.
    await file_report_with_caption(w, zel, REPORT_NEW, CAPTION)
    notice_new = await emu.wait_for_message(w.carl.id, lambda m: "O-2026-0001" in m.content)
    assert "Zelmira" in notice_new.content
    await file_report(w, zel, REPORT_FORWARDED, show_identity=True)
    notice_fwd = await emu.wait_for_message(w.carl.id, lambda m: "O-2026-0002" in m.content)
    await press(w, w.carl, notice_fwd, ObsAction(2, TriageAction.FORWARD).pack())
    await emu.wait_for_message(w.pia.id, lambda m: "O-2026-0002" in m.content)
    await told_of(w, zel, "skickats till polisen")  # the reporter is told (#13)
    await settled(emu, db)
    # The photo's caption was never stored (nor kept in the handled update).
    assert await traces(db, None, [CAPTION]) == []

    # /minadata: the JSON document and the summary.
    await emu.send_text(zel, "/minadata")
    document = await document_json(emu, zel.id)
    assert document["profile"]["username"] == "zelmira_q"
    assert [r["description"] for r in document["reports"]] == [REPORT_NEW, REPORT_FORWARDED]
    assert len(document["reports"][0]["photos"]) == 1
    assert [m["area"] for m in document["memberships"]] == ["Björkhagen <Norra>"]
    assert document["roles"][0]["role"] == "coordinator"
    assert document["acknowledgements"][0]["alert_id"] == alert_id
    assert any(e["action"] == "role.grant" for e in document["audit_entries"])
    summary = await emu.wait_for_message(zel.id, lambda m: "Det här sparar jag" in m.content)
    assert "O-2026-0001" in summary.content and "Björkhagen &lt;Norra&gt;" not in summary.content
    assert "Roller: kontaktombud för Majorna" in summary.content

    # /glommig: ask, then erase.
    await emu.send_text(zel, "/glommig")
    ask = await emu.wait_for_message(zel.id, lambda m: "raderar dina uppgifter" in m.content)
    assert ask.buttons()[0][1] == ForgetMe(True).pack()
    done = await press(w, zel, ask, ForgetMe(True).pack())
    text = done.content
    assert "1 gruppmedlemskap" in text and "1 roll" in text and "1 markering av larm" in text
    assert "1 ny rapport (1 foto)" in text
    assert "O-2026-0002" in text and "O-2026-0001" not in text
    # The coordinator's copy of the deleted report no longer shows it.
    await emu.wait_until(lambda: REPORT_NEW not in notice_new.content, what="retraction")
    assert "O-2026-0001" in notice_new.content
    await settled(emu, db)

    needles = ["Zelmira", "Quistorp", "zelmira_q", REPORT_NEW, CAPTION]
    assert await traces(db, zel.id, needles) == []
    kept = await obs_store.get_observation(db, 2)
    assert kept is not None and kept.description == REPORT_FORWARDED
    assert kept.reporter_id == 0 and not kept.show_identity
    assert await obs_store.get_observation(db, 1) is None
    erase = await db.fetch_one("SELECT subject, details FROM audit_log WHERE action = ?",
                               ("privacy.erase",))  # fmt: skip
    assert erase is not None and int(erase["subject"]) < 0
    assert json.loads(erase["details"])["reports_deleted"] == 1


async def test_english_notice_mydata_and_cancelled_then_confirmed_erasure(world: World):
    w, emu = world, world.emu
    db = w.harness.services.db
    eve = emu.add_user("Evangeline", "en", username="evangeline_x")
    eve.started = True
    await emu.send_text(eve, "/start")
    start = await emu.wait_for_message(eve.id)
    assert "/privacy" in start.content
    await emu.send_text(eve, "/privacy")
    notice = await emu.wait_for_message(eve.id, lambda m: "How I handle" in m.content)
    assert "Ale kommun" in notice.content and "365" in notice.content
    await emu.send_text(eve, "/mydata")
    document = await document_json(emu, eve.id)
    assert document["profile"]["first_name"] == "Evangeline" and document["reports"] == []
    summary = await emu.wait_for_message(eve.id, lambda m: "What I store" in m.content)
    assert "Evangeline (@evangeline_x)" in summary.content
    await emu.send_text(eve, "/forgetme")
    ask = await emu.wait_for_message(eve.id, lambda m: "erase your data" in m.content)
    cancelled = await press(w, eve, ask, ForgetMe(False).pack())
    assert "erased nothing" in cancelled.content
    assert await db.fetch_value("SELECT first_name FROM users WHERE telegram_id = ?",
                                (eve.id,)) == "Evangeline"  # fmt: skip
    await emu.send_text(eve, "/forgetme")
    ask = await emu.wait_for_message(eve.id, lambda m: "erase your data" in m.content)
    done = await press(w, eve, ask, ForgetMe(True).pack())
    assert "Done, I have erased your data" in done.content
    assert "0 new reports (0 photos)" in done.content and "nothing." in done.content
    await settled(emu, db)
    assert await traces(db, eve.id, ["Evangeline", "evangeline_x"]) == []


async def test_privacy_commands_only_in_private(world: World):
    w, emu = world, world.emu
    chat = emu.add_group("C", members=[w.anna], bot_is_member=True)
    await emu.send_text(w.anna, "/glommig@grannvakt_test_bot", chat=chat)
    # Answered in the group with a button to the private chat (handlers/groups_hello.py).
    answer = await emu.wait_for_message(chat.id)
    assert "privat" in answer.content.lower() and answer.buttons()
    assert (
        await w.harness.services.db.fetch_value(
            "SELECT first_name FROM users WHERE telegram_id = ?", (w.anna.id,)
        )
        == "Anna"
    )
