"""End-to-end (issue 13, onboarding): the bot's hello when added to a group, /start in a
group, private-chat commands sent in a group, and the pointer for new members."""

from __future__ import annotations

from datetime import timedelta

from bot.services import onboarding
from storage import groups as group_store


async def _registered_group(bot, admin, *members):
    grp = bot.emu.add_group(
        "Möllebacken", admins=[admin], members=list(members), bot_is_member=True
    )
    await bot.emu.send_text(admin, "/registrera Norra Möllebacken, Sölvesborg", chat=grp)
    await bot.emu.wait_for_message(grp.id, lambda m: m.buttons())
    return grp


async def test_admin_adding_the_bot_is_told_how_to_register(bot):
    anna = bot.emu.add_user("Anna")
    grp = bot.emu.add_group("Möllebacken", admins=[anna])
    await bot.emu.add_bot_to_group(grp, by=anna)
    hello = await bot.emu.wait_for_message(grp.id)
    assert "administratörer" in hello.text and "/registrera områdets namn, kommun" in hello.text
    assert "Anna" not in hello.text  # no extra word to an admin


async def test_member_adding_the_bot_gets_the_same_hint_and_a_word(bot):
    bo = bot.emu.add_user("Bo", language_code="en")
    grp = bot.emu.add_group("Hill", members=[bo])
    await bot.emu.add_bot_to_group(grp, by=bo)
    hello = await bot.emu.wait_for_message(grp.id)
    assert "/register area name, kommun" in hello.text
    assert "Bo, thank you for adding me" in hello.text and "Ask an admin" in hello.text


async def test_bot_added_back_to_a_registered_group_says_nothing_new(bot):
    anna = bot.emu.add_user("Anna")
    grp = await _registered_group(bot, anna)
    before = len(bot.emu.sent_messages(grp.id))
    await bot.emu.remove_bot_from_group(grp, by=anna)
    await bot.emu.add_bot_to_group(grp, by=anna)
    await bot.emu.send_text(anna, "/start@grannvakt_test_bot", chat=grp)
    answer = await bot.emu.wait_for_message(grp.id)
    assert "registrerad som" in answer.text and "Norra Möllebacken" in answer.text
    assert answer.buttons()[0][1].startswith("https://t.me/grannvakt_test_bot?start=g")
    assert len(bot.emu.sent_messages(grp.id)) == before + 1


async def test_start_in_an_unregistered_group_explains_registration(bot):
    anna = bot.emu.add_user("Anna")
    grp = bot.emu.add_group("G", admins=[anna], bot_is_member=True)
    await bot.emu.send_text(anna, "/start@grannvakt_test_bot", chat=grp)
    assert "/registrera" in (await bot.emu.wait_for_message(grp.id)).text


async def test_private_commands_in_a_group_point_to_the_private_chat(bot):
    anna = bot.emu.add_user("Anna")
    bo = bot.emu.add_user("Bo", language_code="en")
    grp = await _registered_group(bot, anna, bo)
    await bot.emu.send_text(anna, "/rapportera", chat=grp)
    answer = await bot.emu.wait_for_message(grp.id)
    assert "/rapportera fungerar i en privat chatt" in answer.text
    assert "?start=r" in answer.buttons()[0][1]  # the group's report link
    for command in ("/minarapporter", "/larm", "/inkorg", "/myreports@grannvakt_test_bot"):
        await bot.emu.send_text(bo, command, chat=grp)
        answer = await bot.emu.wait_for_message(grp.id)
        assert "works in a private chat with me" in answer.text
        assert "?start=g" in answer.buttons()[0][1]
    await bot.emu.send_text(bo, "/sprak", chat=grp)  # the language chooser still works there
    assert (await bot.emu.wait_for_message(grp.id)).buttons()[0][1].startswith("lang")


async def test_private_command_in_unregistered_group_opens_the_bot(bot):
    bo = bot.emu.add_user("Bo")
    grp = bot.emu.add_group("G", members=[bo], bot_is_member=True)
    await bot.emu.send_text(bo, "/rapportera", chat=grp)
    answer = await bot.emu.wait_for_message(grp.id)
    assert answer.buttons()[0][1] == "https://t.me/grannvakt_test_bot"


async def test_new_members_get_one_pointer_rate_limited_and_batched(bot):
    anna = bot.emu.add_user("Anna")
    grp = await _registered_group(bot, anna)
    eva, olle, per = (bot.emu.add_user(n) for n in ("Eva", "Olle", "Per"))
    await bot.emu.user_joins(grp, eva)
    pointer = await bot.emu.wait_for_message(grp.id, lambda m: "Välkommen" in (m.text or ""))
    assert "Eva" in pointer.text and pointer.buttons()[0][1].startswith("https://t.me/")
    # Within ten minutes: Olle and Per wait for one shared pointer; Eva never gets another.
    await bot.emu.user_leaves(grp, eva)
    await bot.emu.user_joins(grp, olle)
    await bot.emu.user_joins(grp, per)
    await bot.emu.user_joins(grp, eva)
    await bot.emu.send_text(anna, "/hjalp", chat=grp)
    await bot.emu.wait_for_message(grp.id, lambda m: "kan du göra" in (m.text or ""))
    greetings = [m for m in bot.emu.sent_messages(grp.id) if "Välkom" in (m.text or "")]
    assert len(greetings) == 1
    jobs = bot.app.job_queue.get_jobs_by_name(next(iter(_pointer_jobs(bot))))
    assert len(jobs) == 1
    group = await group_store.get_group_by_chat(bot.services.db, grp.id)
    await jobs[0].run(bot.app)  # the ten minutes have passed
    batched = await bot.emu.wait_for_message(grp.id, lambda m: "Välkomna" in (m.text or ""))
    assert "Olle" in batched.text and "Per" in batched.text and "Eva" not in batched.text
    assert await onboarding.not_yet_pointed(bot.services.db, group.id, [eva.id, olle.id]) == []


async def test_pointer_waits_the_rest_of_ten_minutes(bot):
    anna = bot.emu.add_user("Anna")
    grp = await _registered_group(bot, anna)
    group = await group_store.get_group_by_chat(bot.services.db, grp.id)
    db, now = bot.services.db, bot.services.clock.now()
    assert await onboarding.pointer_wait(db, now, group.id) == timedelta(0)
    await onboarding.pointed(db, now - timedelta(minutes=4), group.id, [])
    assert await onboarding.pointer_wait(db, now, group.id) == timedelta(minutes=6)


async def test_no_pointer_in_an_unregistered_group(bot):
    bo = bot.emu.add_user("Bo")
    grp = bot.emu.add_group("G", members=[bo], bot_is_member=True)
    await bot.emu.user_joins(grp, bot.emu.add_user("Eva"))
    await bot.emu.send_text(bo, "/whatever@grannvakt_test_bot", chat=grp)
    await bot.emu.wait_for_message(grp.id)
    assert not any("Välkom" in (m.text or "") for m in bot.emu.sent_messages(grp.id))


def _pointer_jobs(bot):
    return [j.name for j in bot.app.job_queue.jobs() if "pointer" in (j.name or "")]


async def test_police_commands_explain_who_may_and_how(bot):
    eva = bot.emu.add_user("Eva")
    ed = bot.emu.add_user("Ed", language_code="en")
    await bot.emu.send_text(eva, "/larm")
    text = (await bot.emu.wait_for_message(eva.id)).text
    assert "Larm skickas av poliser" in text and "inbjudningslänk" in text and "/rapportera" in text
    await bot.emu.send_text(ed, "/alerts")
    text = (await bot.emu.wait_for_message(ed.id)).text
    assert "Alerts are sent by police officers" in text and "invitation link" in text
    await bot.emu.send_text(eva, "/inkorg")
    text = (await bot.emu.wait_for_message(eva.id)).text
    assert "för poliser som jag har bjudit in" in text and "inbjudningslänk" in text
