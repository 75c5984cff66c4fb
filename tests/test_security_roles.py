"""Issue #10 §2: coordinator rights follow Telegram at every press; issue #9 §7: anonymous
admins get one hint for every coordinator command.

A coordinator who is no longer an admin of the group in Telegram can change nothing: not
with commands, not with buttons, not from a private chat. A burst of presses asks Telegram
(`getChatMember`) at most once a minute.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.app import FEATURE_MODULES
from bot.clock import FixedClock
from bot.i18n import t, t_plain
from bot.services.roles import ChatAdminCache, access_following_telegram, access_for_group
from config import Settings
from handlers.groups_manage_buttons import CoordinatorList, CoordinatorToggle
from handlers.guard import coordinator_commands
from handlers.observations_buttons import (
    Export,
    ObsAction,
    ObsDetail,
    ObsFilter,
    ObsNote,
    TriageAction,
)
from handlers.tips_buttons import PanelAction, TipsPanel
from storage import groups as group_store
from storage import observations as obs_store
from storage import roles as role_store
from storage import tips as tip_store
from storage import users as user_store
from storage.db import Database
from storage.observations import NewObservation
from tests.harness import BotHarness, fixed_clock
from tests.scenario import Scenario
from tests.test_security_buttons import STATE_QUERIES

NOT_ALLOWED = t_plain("sv", "core.not_allowed")


class Setup:
    """A registered group G (kommun 0180) whose coordinator Cora is one of its admins."""

    def __init__(self, harness: BotHarness, bot_is_admin: bool) -> None:
        self.harness = harness
        self.emu = harness.emu
        self.bot_is_admin = bot_is_admin

    async def build(self) -> Setup:
        emu = self.emu
        await self.harness.start()
        self.cora = emu.add_user("Cora", language_code="sv")
        self.bert = emu.add_user("Bert", language_code="sv")
        self.rut = emu.add_user("Rut", language_code="sv")
        self.group = emu.add_group(
            "G",
            members=[self.rut],
            admins=[self.cora, self.bert],
            bot_is_member=True,
            bot_is_admin=self.bot_is_admin,
        )
        for person in (self.cora, self.bert, self.rut):
            await emu.send_text(person, "/hjalp")
            await emu.wait_for_message(person.id)
        db, now = self.harness.services.db, self.harness.services.clock.now()
        world = Scenario(db, now)
        self.gid = await world.group(self.group.id, "Torget", title="G", coordinators=[self.cora])
        new = NewObservation(
            self.gid, "0180", self.rut.id, False, "theft", now, "Gatan", None, None, False, "x"
        )
        self.obs_id, _ = await obs_store.create_observation(db, new, now, 2026, now, 1000)
        return self

    async def snapshot(self) -> list[list[tuple]]:
        db = self.harness.services.db
        return [[tuple(row) for row in await db.fetch_all(sql)] for sql in STATE_QUERIES]

    def admin_lookups(self) -> int:
        return sum(1 for c in self.emu.calls if c.method == "getChatMember")

    async def press(self, message, data: str) -> str | None:
        cq = await self.emu.press_button(self.cora, message, data=data)
        return (await self.emu.wait_for_callback_answer(cq["id"])).get("text")


@pytest.fixture
async def with_bot_admin(emu, tmp_path):
    """The bot is an admin of G, so Telegram tells it about promotions and demotions."""
    setup = await Setup(BotHarness(emu, tmp_path / "a.db", clock=fixed_clock()), True).build()
    yield setup
    await setup.harness.stop()


@pytest.fixture
async def without_bot_admin(emu, tmp_path):
    """The bot is a plain member of G: it learns of a demotion only by asking."""
    setup = await Setup(BotHarness(emu, tmp_path / "b.db", clock=fixed_clock()), False).build()
    yield setup
    await setup.harness.stop()


async def _private_screens(s: Setup):
    """Cora's tips panel (frequency picker open) and an observation's detail, in private."""
    emu = s.emu
    await emu.send_text(s.cora, "/tips")
    panel = await emu.wait_for_message(s.cora.id, lambda m: m.buttons())
    assert await s.press(panel, TipsPanel(PanelAction.FREQUENCY, s.gid).pack()) in (None, "")
    await emu.wait_until(
        lambda: any(
            d == TipsPanel(PanelAction.FREQUENCY, s.gid, "o").pack() for _, d in panel.buttons()
        )
    )
    await emu.send_text(s.cora, "/observationer")
    listing = await emu.wait_for_message(s.cora.id, lambda m: m.buttons())
    s.listing = listing  # opened while still an admin
    await emu.press_button(s.cora, listing, data=ObsDetail(s.obs_id).pack())
    detail = await emu.wait_for_message(
        s.cora.id,
        lambda m: any(d == ObsAction(s.obs_id, TriageAction.CLOSED).pack() for _, d in m.buttons()),
    )
    return panel, detail


async def _group_screen(s: Setup):
    """The /grupp panel in G with its coordinator toggles shown."""
    emu = s.emu
    await emu.send_text(s.cora, "/grupp", chat=s.group)
    info = await emu.wait_for_message(s.group.id, lambda m: m.buttons())
    await emu.press_button(s.cora, info, data=CoordinatorList(s.gid).pack())
    await emu.wait_until(lambda: any(CoordinatorToggle.filter()(d) for _, d in info.buttons()))
    return info


async def _everything_refused(s: Setup, panel, detail, info) -> None:
    before = await s.snapshot()
    refused = [
        (panel, TipsPanel(PanelAction.FREQUENCY, s.gid, "o").pack()),
        (detail, ObsAction(s.obs_id, TriageAction.CLOSED).pack()),
        (detail, ObsAction(s.obs_id, TriageAction.REVIEWED).pack()),
        (detail, ObsAction(s.obs_id, TriageAction.FORWARD).pack()),
        (detail, ObsNote(s.obs_id).pack()),
        (info, CoordinatorToggle(s.gid, s.bert.id).pack()),
    ]
    for message, data in refused:
        assert await s.press(message, data) == NOT_ALLOWED, data
    await s.emu.send_text(s.cora, "/grupp namn Kapat", chat=s.group)
    answer = await s.emu.wait_for_message(s.group.id)
    assert answer.text == t("sv", "grp.group.not_coordinator")
    # Views across the coordinator's groups leave the group out, too.
    await s.emu.send_text(s.cora, "/observationer")
    answer = await s.emu.wait_for_message(s.cora.id)
    assert answer.text == t("sv", "obs.list.not_coordinator") and not answer.buttons()
    listing_data = next(d for _, d in s.listing.buttons() if ObsFilter.filter()(d))
    assert await s.press(s.listing, listing_data) == NOT_ALLOWED
    for command, key in (("/tips", "tips.no_groups"), ("/grupp", "grp.group.private_none")):
        await s.emu.send_text(s.cora, command)
        assert (await s.emu.wait_for_message(s.cora.id)).text == t("sv", key), command
    await s.emu.send_text(s.cora, "/export")
    ask = await s.emu.wait_for_message(s.cora.id, lambda m: m.buttons())
    assert await s.press(ask, Export(7).pack()) == t_plain("sv", "obs.export.not_allowed")
    assert not [c for c in s.emu.calls if c.method == "sendDocument"]
    assert await s.snapshot() == before
    schedule = await tip_store.get_schedule(s.harness.services.db, s.gid)
    assert schedule is None or schedule.frequency != "off"


async def test_demoted_coordinator_is_refused_at_once_when_telegram_says_so(with_bot_admin):
    """The bot is an admin: the chat_member update drops the kept answer immediately."""
    s = with_bot_admin
    panel, detail = await _private_screens(s)
    info = await _group_screen(s)
    await s.emu.set_admin(s.group, s.cora, is_admin=False)
    await _everything_refused(s, panel, detail, info)


async def test_demoted_coordinator_is_refused_within_a_minute(without_bot_admin):
    """No membership update reaches the bot: the kept answer expires after 60 s."""
    s = without_bot_admin
    panel, detail = await _private_screens(s)
    info = await _group_screen(s)
    await s.emu.set_admin(s.group, s.cora, is_admin=False)
    clock = s.harness.services.clock
    assert isinstance(clock, FixedClock)
    clock.advance(seconds=61)
    await _everything_refused(s, panel, detail, info)


async def test_a_burst_of_presses_asks_telegram_once_a_minute(without_bot_admin):
    s = without_bot_admin
    emu = s.emu
    await emu.send_text(s.cora, "/tips", chat=s.group)
    panel = await emu.wait_for_message(s.group.id, lambda m: m.buttons())

    async def open_and_back(picker: str) -> None:
        assert await s.press(panel, TipsPanel(PanelAction(picker), s.gid).pack()) in (None, "")
        await emu.wait_until(
            lambda: any(d == TipsPanel(PanelAction.PANEL, s.gid).pack() for _, d in panel.buttons())
        )
        assert await s.press(panel, TipsPanel(PanelAction.PANEL, s.gid).pack()) in (None, "")
        await emu.wait_until(
            lambda: any(d == TipsPanel(PanelAction.DAY, s.gid).pack() for _, d in panel.buttons())
        )

    before = s.admin_lookups()
    for _ in range(6):
        await open_and_back("d")
    assert s.admin_lookups() - before <= 1
    s.harness.services.clock.advance(seconds=61)
    before = s.admin_lookups()
    await open_and_back("t")
    await open_and_back("f")
    assert s.admin_lookups() - before == 1


async def test_a_command_asks_telegram_afresh(without_bot_admin):
    """Commands are single deliberate acts: they never use a kept answer."""
    s = without_bot_admin
    await s.emu.send_text(s.cora, "/tips", chat=s.group)
    await s.emu.wait_for_message(s.group.id, lambda m: m.buttons())
    await s.emu.set_admin(s.group, s.cora, is_admin=False)
    await s.emu.send_text(s.cora, "/tips", chat=s.group)
    refusal = t_plain("sv", "tips.schedule_by_coordinator")  # says who decides, and refuses
    assert (await s.emu.wait_for_message(s.group.id)).text == refusal


# ------------------------------------------------------------------ the cache itself


class _Telegram:
    def __init__(self) -> None:
        self.asked = 0
        self.admin: bool | None = True

    async def lookup(self, chat_id: int, user_id: int) -> bool | None:
        self.asked += 1
        return self.admin


async def test_cache_keeps_answers_for_sixty_seconds_per_chat_and_person():
    telegram, clock = _Telegram(), fixed_clock()
    cache = ChatAdminCache(telegram.lookup, clock)
    assert await cache.is_admin(-1, 7) and await cache.is_admin(-1, 7)
    assert telegram.asked == 1
    await cache.is_admin(-2, 7)
    await cache.is_admin(-1, 8)
    assert telegram.asked == 3
    telegram.admin = False
    clock.advance(seconds=59)
    assert await cache.is_admin(-1, 7)
    clock.advance(seconds=2)
    assert not await cache.is_admin(-1, 7)
    assert telegram.asked == 4


async def test_cache_fresh_forget_and_failures():
    telegram, clock = _Telegram(), fixed_clock()
    cache = ChatAdminCache(telegram.lookup, clock, ttl=timedelta(seconds=60))
    await cache.is_admin(-1, 7)
    telegram.admin = False
    assert not await cache.is_admin(-1, 7, fresh=True)
    telegram.admin = True
    cache.forget(-1, 7)
    assert await cache.is_admin(-1, 7)
    await cache.is_admin(-1, 8)
    cache.forget(-1)
    asked = telegram.asked
    await cache.is_admin(-1, 7)
    await cache.is_admin(-1, 8)
    assert telegram.asked == asked + 2
    telegram.admin = None  # Telegram could not be asked: not an admin, and not kept
    assert not await cache.is_admin(-3, 7)
    assert not await cache.is_admin(-3, 7)
    assert telegram.asked == asked + 4


async def test_access_follows_telegram_only_for_stored_coordinators(tmp_path):
    """Units: storage decides who may coordinate; Telegram can only take it away."""
    db = Database(tmp_path / "u.db")
    await db.open()
    try:
        now = fixed_clock().now()
        settings = Settings(_env_file=None, bot_token="1:x", admin_user_ids=frozenset({9}))  # type: ignore[call-arg]
        for uid in (1, 2, 9):
            await user_store.upsert_user(
                db, uid, first_name="U", last_name=None, username=None,
                telegram_language_code="sv", now=now,
            )  # fmt: skip
        groups = []
        world = Scenario(db, now)
        for chat_id in (-10, -20, -30):
            groups.append(await world.group(chat_id, "Torget", title="G", coordinators=[1]))
        await group_store.unregister_with_roles(db, groups[2], None, now)
        await role_store.grant_role(db, 1, "coordinator", str(groups[2]), None, now)
        asked: list[tuple[int, int]] = []

        async def telegram(chat_id: int, user_id: int) -> bool:
            asked.append((chat_id, user_id))
            return chat_id == -10

        one = await access_for_group(db, settings, telegram, 1, groups[0])
        assert one.coordinates(groups[0]) and one.coordinates(groups[1])  # only g0 was asked
        assert asked == [(-10, 1)]
        two = await access_for_group(db, settings, telegram, 1, groups[1])
        assert not two.coordinates(groups[1]) and two.coordinates(groups[0])
        assert not (await access_for_group(db, settings, telegram, 1, groups[2])).coordinates(
            groups[2]
        )  # unregistered: nobody coordinates it, Telegram or not
        every = await access_following_telegram(db, settings, telegram, 1)
        assert every.coordinator_of == {groups[0]}
        asked.clear()
        stranger = await access_for_group(db, settings, telegram, 2, groups[0])
        assert not stranger.coordinates(groups[0]) and asked == []  # Telegram never adds
        admin = await access_following_telegram(db, settings, telegram, 9)
        assert admin.is_admin and not admin.coordinator_of
    finally:
        await db.close()


# ------------------------------------------------------------------ anonymous admins

ALL_COMMANDS = [spec for module in FEATURE_MODULES for spec in getattr(module, "COMMANDS", [])]
COORDINATOR_COMMANDS = sorted(coordinator_commands(ALL_COMMANDS))
ARGUMENTS = {"register": " Ny, Lund", "registrera": " Ny, Lund", "group": " name Kapat",
             "grupp": " namn Kapat"}  # fmt: skip


def test_the_coordinator_commands_are_the_expected_ones():
    assert set(COORDINATOR_COMMANDS) == {
        "register", "registrera", "group", "grupp", "unregister", "avregistrera", "tips",
        "feed", "polisen",
    }  # fmt: skip


@pytest.mark.parametrize("command", COORDINATOR_COMMANDS)
async def test_anonymous_admin_gets_the_hint_for_every_coordinator_command(
    without_bot_admin, command
):
    s = without_bot_admin
    before = await s.snapshot()
    for text in (f"/{command}", f"/{command}{ARGUMENTS.get(command, '')}",
                 f"/{command}@grannvakt_test_bot"):  # fmt: skip
        n = len(s.emu.sent_messages(s.group.id))
        await s.emu.send_anonymous_admin_command(s.group, text)
        answer = await s.emu.wait_for_message(s.group.id, after=n)
        assert answer.text == t("sv", "grp.anonymous_admin"), text
        assert not answer.buttons()
    assert await s.snapshot() == before


async def test_the_hint_is_in_the_groups_language(without_bot_admin):
    s = without_bot_admin
    db = s.harness.services.db
    await group_store.set_group_language(db, s.gid, "en", s.harness.services.clock.now())
    await s.emu.send_anonymous_admin_command(s.group, "/grupp")
    answer = await s.emu.wait_for_message(s.group.id)
    assert answer.text == t("en", "grp.anonymous_admin")


async def test_anonymous_reply_to_the_kommun_question_gets_the_hint(without_bot_admin):
    s = without_bot_admin
    chat = s.emu.add_group("Ny", admins=[s.cora], bot_is_member=True)
    await s.emu.send_text(s.cora, "/registrera Backen", chat=chat)
    question = await s.emu.wait_for_message(chat.id)
    n = len(s.emu.sent_messages(chat.id))
    await s.emu.send_anonymous_admin_command(chat, "Lund", reply_to=question)
    answer = await s.emu.wait_for_message(chat.id, after=n)
    assert answer.text == t("sv", "grp.anonymous_admin")
