"""Exploratory walk of the lägesbild (review2 of #17), not part of the suite: run it by name,
`pytest -p no:randomly tests/explore_lagesbild.py`, then read REVIEW_OUT (default
/tmp/review2_out): log*.txt holds every text the bot sent, the PNGs and CSVs what it drew."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from bot.clock import FixedClock
from bot.digest_scheduler import digest_scheduler_of
from bot.services.invitations import create_invitation
from bot.services.roles import Role
from storage import groups as group_store
from storage import roles as role_store
from tests.actors import CLI
from tests.cli_helpers import cli_env, run_cli_async
from tests.harness import BotHarness
from tests.lagesbild_helpers import KOMMUN, NOW, observe, seed

OUT = Path(os.environ.get("REVIEW_OUT", "/tmp/review2_out"))
SLOW = 60.0
LOG: list[str] = []


def dump(emu, who: str, chat_id: int, start: int = 0) -> None:
    for i, m in enumerate(emu.sent_messages(chat_id)[start:]):
        body = m.text or m.caption or ""
        LOG.append(f"[{who}] {m.kind} {m.method}: {body!r} buttons={[b for b, _ in m.buttons()]}")
        if m.kind == "photo":
            data = emu.files[m.raw["photo"][-1]["file_id"]]["content"]
            (OUT / f"{who}-{start + i}.png").write_bytes(data)
        if m.kind == "document":
            (OUT / f"{who}-{start + i}-{m.filename}").write_bytes(m.document)


async def walk(harness, person, lang_name: str, command_chart: str, command_map: str):
    emu = harness.emu
    labels = {"sv": ["4 veckor", "Kvartal", "År"], "en": ["4 weeks", "Quarter", "Year"]}
    lang = "en" if person.language_code == "en" else "sv"
    for label in labels[lang]:
        mark = len(emu.sent_messages(person.id))
        await emu.send_text(person, command_chart)
        ask = await emu.wait_for_message(person.id, after=mark)
        mark2 = len(emu.sent_messages(person.id))
        await emu.press_button(person, ask, text=label)
        ans = await emu.wait_for_callback_answer()
        LOG.append(f"[{lang_name}] toast: {ans.get('text')!r}")
        text = await emu.wait_for_message(
            person.id, lambda m: m.kind == "text" and m.buttons(), timeout=SLOW, after=mark2
        )
        await emu.press_button(person, text, data=text.buttons()[0][1])
        ans = await emu.wait_for_callback_answer()
        LOG.append(f"[{lang_name}] toast: {ans.get('text')!r}")
        await emu.wait_for_message(
            person.id, lambda m: m.kind == "document", timeout=SLOW, after=mark2
        )
    for label in labels[lang]:
        mark = len(emu.sent_messages(person.id))
        await emu.send_text(person, command_map)
        ask = await emu.wait_for_message(person.id, after=mark)
        await emu.press_button(person, ask, text=label)
        await emu.wait_for_message(person.id, lambda m: m.kind == "photo", timeout=SLOW, after=mark)
    await harness.services.delivery.wait_idle()
    dump(emu, lang_name, person.id)


async def test_explore(emu, tmp_path):
    OUT.mkdir(exist_ok=True)
    admin = emu.add_user("Admin")
    clock = FixedClock(NOW)
    harness = BotHarness(emu, tmp_path / "x.db", clock=clock, admin_user_ids=str(admin.id))
    await harness.start()
    db = harness.services.db
    try:
        await seed(db)
        for lang in ("sv", "en"):
            created = await create_invitation(db, NOW, Role.KOMMUN, [KOMMUN], actor=CLI)
            k = emu.add_user(f"Kommun{lang}", lang)
            await emu.send_text(k, f"/start {created.payload}")
            await emu.wait_for_message(k.id)
            await walk(
                harness, k, f"kommun-{lang}", "/lagesbild", "/karta" if lang == "sv" else "/map"
            )
        for lang in ("sv", "en"):
            p = emu.add_user(f"Polis{lang}", lang)
            await role_store.grant_role(db, p.id, "police", KOMMUN, None, NOW)
            await walk(harness, p, f"police-{lang}", "/lagesbild", "/karta")
        for lang in ("sv", "en"):
            r = emu.add_user(f"Res{lang}", lang)
            for cmd in ("/lagesbild", "/karta", "/map"):
                mark = len(emu.sent_messages(r.id))
                await emu.send_text(r, cmd)
                await emu.wait_for_message(r.id, after=mark)
            dump(emu, f"stranger-{lang}", r.id)
        await harness.services.delivery.wait_idle()
    finally:
        await harness.stop()
    env = cli_env(
        tmp_path, DATABASE_PATH=harness.settings.database_path, TIMEZONE="Europe/Stockholm"
    )
    for lang in ("sv", "en"):
        out = OUT / f"cli-{lang}"
        out.mkdir(exist_ok=True)
        status, so, se = await run_cli_async(
            [
                "lagesbild",
                "--kommun",
                "Sölvesborg",
                "--since",
                "2026-09-01",
                "--out",
                str(out),
                "--lang",
                lang,
            ],
            Path.cwd(),
            env,
        )
        LOG.append(f"[cli-{lang}] status={status} out={so!r} err={se!r}")
    (OUT / "log.txt").write_text("\n".join(LOG))


async def test_explore_digest(emu, tmp_path):
    OUT.mkdir(exist_ok=True)
    monday = dt.datetime(2026, 11, 30, 7, tzinfo=dt.UTC)
    clock = FixedClock(monday - dt.timedelta(minutes=5))
    harness = BotHarness(emu, tmp_path / "d.db", clock=clock)
    anna, cia = emu.add_user("Anna"), emu.add_user("Cia")
    bert = emu.add_user("Bert", "en")
    anna.started = cia.started = bert.started = True
    chat = emu.add_group("G", members=[cia], admins=[anna], bot_is_member=True)
    chat2 = emu.add_group("G2", members=[], admins=[bert], bot_is_member=True)
    await harness.start()
    log: list[str] = []
    try:
        db = harness.services.db
        for who, c, area in ((anna, chat, "Torget, Lund"), (bert, chat2, "Hamnen, Lund")):
            await emu.send_text(who, f"/registrera {area}", chat=c)
            await emu.wait_for_message(c.id, lambda m: m.buttons())
            group = await group_store.get_group_by_chat(db, c.id)
            for days, cat in ((5, "theft"), (9, "burglary"), (12, "theft"), (20, "drugs")):
                await observe(db, group.id, cat, monday - dt.timedelta(days=days), kommun="1281")
            mark = len(emu.sent_messages(c.id))
            await emu.send_text(who, "/grupp", chat=c)
            info = await emu.wait_for_message(c.id, after=mark)
            on = next(label for label, _ in info.buttons() if "📊" in label)
            await emu.press_button(who, info, text=on)
            log.append(
                f"toast {who.first_name}: {(await emu.wait_for_callback_answer())['text']!r}"
            )
        # coordinators' own /lagesbild
        for who in (anna, bert):
            await walk(harness, who, f"coord-{who.first_name}", "/lagesbild", "/karta")
        for c in (chat, chat2):
            dump(emu, f"group{c.id}", c.id)
        clock.set(monday + dt.timedelta(minutes=1))
        await digest_scheduler_of(harness.app).tick()
        for who in (anna, bert):
            await emu.wait_for_message(
                who.id, lambda m: m.kind == "photo" and "📊" in (m.caption or ""), timeout=SLOW
            )
        await harness.services.delivery.wait_idle()
        for who in (anna, bert):
            dump(emu, f"digest-{who.first_name}", who.id)
    finally:
        await harness.stop()
    (OUT / "log_digest.txt").write_text("\n".join(log + LOG))


async def test_explore_edges(emu, tmp_path):
    OUT.mkdir(exist_ok=True)
    admin = emu.add_user("Admin")
    harness = BotHarness(
        emu, tmp_path / "e.db", clock=FixedClock(NOW), admin_user_ids=str(admin.id)
    )
    await harness.start()
    db = harness.services.db
    log = []
    try:
        await seed(db)
        created = await create_invitation(db, NOW, Role.KOMMUN, [KOMMUN], actor=CLI)
        k = emu.add_user("Karin")
        await emu.send_text(k, f"/start {created.payload}")
        await emu.wait_for_message(k.id)
        k_en = emu.add_user("Kate", "en")
        created = await create_invitation(db, NOW, Role.KOMMUN, [KOMMUN], actor=CLI)
        await emu.send_text(k_en, f"/start {created.payload}")
        await emu.wait_for_message(k_en.id)
        for who in (k, k_en):
            for text in (
                "hej",
                "/lagesbild år",
                "/karta 2026",
                "/observationer",
                "/inkorg",
                "/grupp",
                "/start",
                "/hjalp",
                "/help",
                "/minagrupper",
                "/larm",
                "/rapportera",
            ):
                mark = len(emu.sent_messages(who.id))
                await emu.send_text(who, text)
                try:
                    await emu.wait_for_message(who.id, after=mark, timeout=10)
                except AssertionError:
                    log.append(f"[{who.first_name}] SILENT after {text!r}")
                await harness.services.delivery.wait_idle()
                for m in emu.sent_messages(who.id)[mark:]:
                    log.append(
                        f"[{who.first_name}] {text!r} -> {(m.text or m.caption or '')!r}"
                        f" {[b for b, _ in m.buttons()]}"
                    )
                mark = len(emu.sent_messages(who.id))
                await emu.send_text(who, "/cancel")
                try:
                    await emu.wait_for_message(who.id, after=mark, timeout=10)
                except AssertionError:
                    pass
        # in a group
        anna = emu.add_user("Anna")
        anna.started = True
        chat = emu.add_group("G", members=[k], admins=[anna], bot_is_member=True)
        for who, text in ((k, "/lagesbild"), (anna, "/karta"), (k, "/karta")):
            mark = len(emu.sent_messages(chat.id))
            await emu.send_text(who, text, chat=chat)
            try:
                await emu.wait_for_message(chat.id, after=mark, timeout=10)
            except AssertionError:
                log.append(f"[group] SILENT after {who.first_name} {text!r}")
            for m in emu.sent_messages(chat.id)[mark:]:
                log.append(f"[group] {who.first_name} {text!r} -> {(m.text or '')!r}")
        for m in emu.sent_messages(k.id)[-3:]:
            log.append(f"[Karin private after group] {(m.text or '')!r}")
    finally:
        await harness.stop()
    (OUT / "log_edges.txt").write_text("\n".join(log))
