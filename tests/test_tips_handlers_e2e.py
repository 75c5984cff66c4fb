"""End-to-end: coordinators manage the tip schedule; admins and police manage the library."""

from __future__ import annotations

import datetime as dt

from bot.clock import FixedClock
from handlers.tips_buttons import LibraryTip, PanelAction, TipsPanel
from storage import groups as group_store
from storage import roles as role_store
from storage import tips as tip_store
from tests.harness import BotHarness
from tests.scenario import Scenario

UTC = dt.UTC
WEDNESDAY = dt.datetime(2026, 11, 25, 12, tzinfo=UTC)


async def setup(emu, tmp_path, coordinator_lang: str = "sv"):
    clock = FixedClock(WEDNESDAY)
    harness = BotHarness(emu, tmp_path / "g.db", clock=clock)
    await harness.start()
    coordinator = emu.add_user("Cora", language_code=coordinator_lang)
    resident = emu.add_user("Rolf", language_code="sv")
    chat = emu.add_group("Björkvägen", members=[resident], admins=[coordinator], bot_is_member=True)
    world = Scenario(harness.services.db, WEDNESDAY)
    gid = await world.group(chat.id, "Björkvägen", title=chat.title, coordinators=[coordinator])
    return harness, clock, coordinator, resident, chat, gid


async def test_coordinator_sets_schedule_with_buttons_in_the_group(emu, tmp_path):
    harness, _, cora, rolf, chat, gid = await setup(emu, tmp_path)
    try:
        await emu.send_text(cora, "/tips", chat=chat)
        panel = await emu.wait_for_message(chat.id)
        assert "varje måndag kl. 18.00" in panel.text and "mån 30 nov kl. 18.00" in panel.text
        assert all(len(data.encode()) <= 64 for _, data in panel.buttons() if data)

        await emu.press_button(cora, panel, text="📅 Dag")
        await emu.wait_until(lambda: "Vilken dag" in panel.text)
        await emu.press_button(cora, panel, text="torsdag")
        await emu.wait_until(lambda: "varje torsdag kl. 18.00" in panel.text)
        await emu.press_button(cora, panel, text="🕕 Tid")
        await emu.wait_until(lambda: "Vilken tid" in panel.text)
        await emu.press_button(cora, panel, text="07:00")
        await emu.wait_until(lambda: "varje torsdag kl. 07.00" in panel.text)
        # the panel stays in the group: tomorrow's tip names its day, never "i morgon"
        assert "Nästa tips: tors 26 nov kl. 07.00" in panel.text
        await emu.press_button(cora, panel, text="🔁 Hur ofta")
        await emu.wait_until(lambda: "Hur ofta" in panel.text)
        await emu.press_button(cora, panel, text="Varannan vecka")
        await emu.wait_until(lambda: "varannan torsdag kl. 07.00" in panel.text)
        # the group's language is set in one place, /grupp: the panel only points there
        assert "Gruppens språk: svenska (det ändrar du med /grupp)" in panel.text
        assert not any("Språk" in label for label in panel.button_texts())
        cq = await emu.press_forged(cora, panel, f"tips:l:{gid}:en")  # an old language button
        assert (await emu.wait_for_callback_answer(cq["id"]))["text"]

        schedule = await tip_store.get_schedule(harness.services.db, gid)
        assert (schedule.weekday, schedule.local_time, schedule.frequency) == (
            3,
            "07:00",
            "biweekly",
        )
        assert schedule.next_run_at == dt.datetime(2026, 11, 26, 6, tzinfo=UTC)  # 07:00 CET
        assert (await group_store.get_group(harness.services.db, gid)).language == "sv"

        # A resident pressing the coordinator's buttons is refused, nothing changes.
        await emu.press_button(rolf, panel, text="🔁 Hur ofta")
        answer = await emu.wait_for_callback_answer()
        assert "behörighet" in answer["text"]
        await emu.send_text(rolf, "/tips", chat=chat)
        refusal = await emu.wait_for_message(chat.id)
        assert "kontaktombud bestämmer, och bara de kan ändra det" in refusal.text
        # A forged button for the schedule's "off" from a resident: refused.
        panel.reply_markup = {
            "inline_keyboard": [
                [{"text": "x", "callback_data": TipsPanel(PanelAction.FREQUENCY, gid, "o").pack()}]
            ]
        }
        await emu.press_button(rolf, panel, data=TipsPanel(PanelAction.FREQUENCY, gid, "o").pack())
        assert "behörighet" in (await emu.wait_for_callback_answer())["text"]
        assert (await tip_store.get_schedule(harness.services.db, gid)).frequency == "biweekly"
        # Turning it off (by the coordinator) clears the next run.
        await emu.press_button(cora, panel, data=TipsPanel(PanelAction.FREQUENCY, gid, "o").pack())
        await emu.wait_until(lambda: "avstängt" in panel.text)
        assert (await tip_store.get_schedule(harness.services.db, gid)).next_run_at is None
    finally:
        await harness.stop()


async def test_preview_and_send_now_from_private_chat_in_english(emu, tmp_path):
    harness, _, cora, _, chat, gid = await setup(emu, tmp_path, coordinator_lang="en")
    try:
        await emu.send_text(cora, "/tips")
        panel = await emu.wait_for_message(cora.id)
        assert "every Monday at 18:00" in panel.text and "Group language: Swedish" in panel.text
        await emu.press_button(cora, panel, text="👀 Next tip")
        await emu.wait_until(lambda: "Next tip for" in panel.text)
        preview_text = panel.text.split("\n\n", 1)[1]
        await emu.press_button(cora, panel, text="⬅️ Back")
        await emu.wait_until(lambda: "Schedule:" in panel.text)
        await emu.press_button(cora, panel, text="📨 Send one now")
        assert "on its way" in (await emu.wait_for_callback_answer())["text"]
        tip = await emu.wait_for_message(chat.id, lambda m: "Tips från grannsamverkan" in m.text)
        assert preview_text in tip.text
        await emu.press_button(cora, panel, text="📨 Send one now")
        assert "moment ago" in (await emu.wait_for_callback_answer())["text"]
        sends = await tip_store.sends_for_group(harness.services.db, gid)
        assert [s.trigger for s in sends] == ["manual"]
    finally:
        await harness.stop()


async def test_police_manage_library_disable_add_and_edit(emu, tmp_path):
    harness, _, cora, _, _, _ = await setup(emu, tmp_path)
    try:
        db = harness.services.db
        petra = emu.add_user("Petra", language_code="sv")
        await role_store.grant_role(db, petra.id, "police", "0180", None, WEDNESDAY)
        await emu.send_text(petra, "/tips")
        menu = await emu.wait_for_message(petra.id)
        await emu.press_button(petra, menu, text="📚 Tipsbiblioteket")
        await emu.wait_until(lambda: "Tipsbiblioteket" in menu.text and "aktiva av" in menu.text)
        _, first_data = menu.buttons()[0]
        await emu.press_button(petra, menu, data=first_data)
        await emu.wait_until(lambda: "Fokus:" in menu.text)
        tip_id = LibraryTip.unpack(first_data).tip_id
        await emu.press_button(petra, menu, text="🚫 Stäng av")
        await emu.wait_until(lambda: "avstängt" in menu.text)
        assert not (await tip_store.get_tip(db, tip_id)).enabled

        # A coordinator cannot use library buttons, even forged ones.
        await emu.send_text(cora, "/tips")
        cora_panel = await emu.wait_for_message(cora.id)
        cora_panel.reply_markup = {
            "inline_keyboard": [
                [{"text": "x", "callback_data": LibraryTip(tip_id, enable=True).pack()}]
            ]
        }
        await emu.press_button(cora, cora_panel, data=LibraryTip(tip_id, enable=True).pack())
        assert "behörighet" in (await emu.wait_for_callback_answer())["text"]
        assert not (await tip_store.get_tip(db, tip_id)).enabled

        # Edit the Swedish text.
        await emu.press_button(petra, menu, text="✏️ Svenska")
        ask = await emu.wait_for_message(petra.id, lambda m: "nya texten" in m.text)
        await emu.send_text(petra, "Lås <alltid> dörren")
        assert "kan inte användas" in (await emu.wait_for_message(petra.id)).text
        await emu.send_text(petra, "Lås alltid ytterdörren, även när du är hemma.")
        await emu.wait_for_message(petra.id, lambda m: "Texten är ändrad" in m.text, after=ask)
        assert (await tip_store.get_tip(db, tip_id)).text_sv.startswith("Lås alltid ytterdörren")

        # Add a new tip through the dialogue.
        await emu.send_text(petra, "/tips")
        menu = await emu.wait_for_message(petra.id)
        await emu.press_button(petra, menu, text="📚 Tipsbiblioteket")
        await emu.wait_until(lambda: "aktiva av" in menu.text)
        await emu.press_button(petra, menu, text="➕ Nytt tips")
        await emu.wait_until(lambda: "Vilket område" in menu.text)
        await emu.press_button(petra, menu, text="Trafiksäkerhet")
        await emu.wait_until(lambda: "När passar" in menu.text)
        await emu.press_button(petra, menu, text="Hela året")
        await emu.wait_until(lambda: "svenska" in menu.text)
        await emu.send_text(petra, "Sänk farten när barn är ute och leker.")
        await emu.wait_for_message(petra.id, lambda m: "engelska" in m.text)
        await emu.send_text(petra, "Slow down when children are out playing.")
        await emu.wait_for_message(petra.id, lambda m: "sparat" in m.text)
        added = [t for t in await tip_store.list_tips(db) if t.source == "manual"]
        assert len(added) == 1 and added[0].focus == "traffic"
        assert added[0].text_en == "Slow down when children are out playing."
    finally:
        await harness.stop()


async def test_tips_in_unregistered_group_and_for_residents(emu, tmp_path):
    harness, _, cora, rolf, _, _ = await setup(emu, tmp_path)
    try:
        other = emu.add_group("Okänd", members=[cora], bot_is_member=True)
        await emu.send_text(cora, "/tips", chat=other)
        assert "inte registrerad" in (await emu.wait_for_message(other.id)).text
        await emu.send_text(rolf, "/tips")
        assert (
            "schema som gruppens kontaktombud bestämmer"
            in (await emu.wait_for_message(rolf.id)).text
        )
    finally:
        await harness.stop()
