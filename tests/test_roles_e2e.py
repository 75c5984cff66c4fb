"""End-to-end: police invitations (CLI-made and /invite), single use, expiry, revocation."""

from __future__ import annotations

from datetime import timedelta

from bot.services import invitations as invitation_service
from bot.services.roles import access_of
from storage import roles as role_store
from tests.actors import CLI
from tests.harness import BotHarness, fixed_clock


def _link(text: str) -> str:
    return next(word for word in text.split() if word.startswith("https://t.me/"))


async def test_invitation_is_used_once(bot):
    db = bot.services.db
    created = await invitation_service.create_police_invitation(
        db, bot.services.clock.now(), ["1083", "1082"], actor=CLI
    )
    officer = bot.emu.add_user("Olle")
    await bot.emu.send_text(officer, f"/start {created.payload}")
    welcome = await bot.emu.wait_for_message(officer.id)
    assert "behörighet som polis för" in welcome.text and "Sölvesborg" in welcome.text
    assert "Karlshamn" in welcome.text
    access = await access_of(db, bot.services.settings, officer.id)
    assert access.police_kommuner == {"1083", "1082"}
    thief = bot.emu.add_user("Tjuv", language_code="en")
    await bot.emu.send_text(thief, f"/start {created.payload}")
    assert "already been used" in (await bot.emu.wait_for_message(thief.id)).text
    assert not (await access_of(db, bot.services.settings, thief.id)).police_kommuner
    stored = await db.fetch_value("SELECT code_hash FROM invitations WHERE id = ?", (created.id,))
    assert stored == invitation_service.hash_code(created.code) and created.code not in stored
    await bot.emu.send_text(thief, "/start inv_" + "x" * 32)
    assert "don't recognise" in (await bot.emu.wait_for_message(thief.id)).text


async def test_invitation_expires(emu, tmp_path):
    clock = fixed_clock()
    harness = BotHarness(emu, tmp_path / "g.db", clock=clock)
    await harness.start()
    try:
        created = await invitation_service.create_police_invitation(
            harness.services.db,
            clock.now(),
            ["1083"],
            actor=CLI,
            expires_in=timedelta(hours=1),
        )
        clock.advance(seconds=3601)
        officer = emu.add_user("Olle")
        await emu.send_text(officer, f"/start {created.payload}")
        assert "gått ut" in (await emu.wait_for_message(officer.id)).text
        access = await access_of(harness.services.db, harness.settings, officer.id)
        assert not access.police_kommuner
    finally:
        await harness.stop()


async def test_admin_invites_in_telegram_with_kommun_choice(emu, tmp_path):
    admin = emu.add_user("Admin", language_code="en")
    harness = BotHarness(emu, tmp_path / "g.db", admin_user_ids=frozenset({admin.id}))
    await harness.start()
    try:
        await emu.send_text(admin, "/invite Sölvesborg, kung")
        prompt = await emu.wait_for_message(admin.id)
        assert "kung" in prompt.text
        choice = next(d for label, d in prompt.buttons() if label.startswith("Kungsbacka"))
        await emu.press_button(admin, prompt, data=choice)
        made = await emu.wait_for_message(admin.id, lambda m: "t.me" in m.text)
        assert "Sölvesborg" in made.text and "Kungsbacka" in made.text
        link = _link(made.text)
        assert link.startswith("https://t.me/grannvakt_test_bot?start=inv_")
        officer = emu.add_user("Olle")
        await emu.send_text(officer, "/start " + link.split("start=")[1])
        await emu.wait_for_message(officer.id)
        access = await access_of(harness.services.db, harness.settings, officer.id)
        assert access.police_kommuner == {"1083", "1384"}
        # A non-admin pressing the same (forged) button is refused.
        await emu.press_button(officer, prompt, data=choice)
        answer = await emu.wait_for_callback_answer()
        assert "behörighet" in answer["text"]
        await emu.send_text(officer, "/bjudin Lund")
        assert "behörighet" in (await emu.wait_for_message(officer.id)).text
    finally:
        await harness.stop()


async def test_revoked_police_loses_role(bot):
    db = bot.services.db
    created = await invitation_service.create_police_invitation(
        db, bot.services.clock.now(), ["1083"], actor=CLI
    )
    officer = bot.emu.add_user("Olle")
    await bot.emu.send_text(officer, f"/start {created.payload}")
    await bot.emu.wait_for_message(officer.id)
    assert (await access_of(db, bot.services.settings, officer.id)).police_kommuner
    await role_store.revoke_roles(db, officer.id, "police", None, None, bot.services.clock.now())
    assert not (await access_of(db, bot.services.settings, officer.id)).police_kommuner
    actions = [e.action for e in await role_store.audit_entries(db)]
    assert {"invitation.create", "invitation.redeem", "role.revoke"} <= set(actions)


async def test_invite_choice_keeps_the_names_after_the_ambiguous_one(emu, tmp_path):
    admin = emu.add_user("Admin", language_code="en")
    harness = BotHarness(emu, tmp_path / "g.db", admin_user_ids=frozenset({admin.id}))
    await harness.start()
    try:
        await emu.send_text(admin, "/invite kung, Sölvesborg, Lund")
        prompt = await emu.wait_for_message(admin.id)
        choice = next(d for label, d in prompt.buttons() if label.startswith("Kungsbacka"))
        await emu.press_button(admin, prompt, data=choice)
        made = await emu.wait_for_message(admin.id, lambda m: "t.me" in m.text)
        assert "Kungsbacka" in made.text and "Sölvesborg" in made.text and "Lund" in made.text

        await emu.send_text(admin, "/invite kung, karl")
        refusal = await emu.wait_for_message(admin.id)
        assert "kung, karl" in refusal.text and not refusal.buttons()
    finally:
        await harness.stop()
