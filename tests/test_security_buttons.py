"""Issue #10 §1: a button can only do what its presser may do, where it was pressed.

Callback data is user input: a modified client can send any data with a press on any
message it sees. Given a police alert delivered to a group, when anyone presses data of
another screen on it, then the alert stays exactly as it was, nothing is stored, and the
press is answered "this button has expired". Data a person really holds on a button is
still judged by the stored roles.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from telegram.ext import CallbackQueryHandler, ConversationHandler

from bot.app import build_application
from bot.i18n import t_plain
from bot.services.alert_ack import AlertAck
from handlers.alerts_buttons import (
    AlertConfirm,
    AlertDetailSkip,
    AlertFigures,
    AlertGroup,
    AlertKommun,
    AlertManage,
    AlertManageCancel,
    AlertNear,
    AlertPhotoSkip,
    AlertRadius,
    AlertTarget,
    AlertType,
    DetailStep,
    ManageAction,
    Target,
)
from handlers.core import LanguageChoice
from handlers.feed import FeedAction, FeedPanel
from handlers.groups import RegisterKommun
from handlers.groups_manage_buttons import (
    CoordinatorList,
    CoordinatorToggle,
    GroupOverview,
    Unregister,
    UnregisterStep,
)
from handlers.groups_settings import GroupDigestChart, GroupLanguage
from handlers.invitations import InviteKommuner, InviteKommunRole
from handlers.lagesbild import LagesbildPress, PeriodKind, View
from handlers.my_groups import GroupMembers, MyGroupLeave, MyGroupsPage, MyGroupTips
from handlers.observations_buttons import (
    Export,
    Handled,
    InboxPage,
    ObsAction,
    ObsDetail,
    ObsFilter,
    ObsListing,
    ObsNote,
    PoliceDetail,
    ReportButton,
    ReportStep,
    TriageAction,
    Withdraw,
)
from handlers.privacy import ForgetMe
from handlers.tips_buttons import (
    LibraryAdd,
    LibraryEdit,
    LibraryPage,
    LibraryTip,
    PanelAction,
    TipFocus,
    TipSeason,
    TipsPanel,
)
from handlers.witness_buttons import WitnessContact
from storage import groups as group_store
from storage import observation_status
from storage import observations as obs_store
from storage import roles as role_store
from storage.observations import NewObservation
from tests.alerts_helpers import compose_alert, make_police, text_of
from tests.dialog_helpers import dialog_samples
from tests.emulator import BotApiEmulator
from tests.emulator.state import Chat, SentMessage, User
from tests.harness import BotHarness, fixed_clock, make_settings

EXPIRED = t_plain("sv", "core.stale_button")
NOT_ALLOWED = t_plain("sv", "core.not_allowed")
# Everything a person could change with a button; users only by their language (the
# tracker notes every update's sender).
STATE_QUERIES = [
    "SELECT * FROM groups ORDER BY 1",
    "SELECT * FROM roles ORDER BY 1",
    "SELECT * FROM memberships ORDER BY 1, 2",
    "SELECT * FROM tip_schedules ORDER BY 1",
    "SELECT * FROM tips ORDER BY 1",
    "SELECT * FROM alerts ORDER BY 1",
    "SELECT * FROM alert_acks ORDER BY 1, 2",
    "SELECT * FROM observations ORDER BY 1",
    "SELECT * FROM observation_notes ORDER BY 1",
    "SELECT * FROM observation_forwards ORDER BY 1",
    "SELECT * FROM invitations ORDER BY 1",
    "SELECT * FROM audit_log ORDER BY 1",
    "SELECT * FROM group_digest_charts ORDER BY 1",
    "SELECT * FROM outbox ORDER BY 1",
    "SELECT telegram_id, language FROM users ORDER BY 1",
]


@dataclass
class World:
    harness: BotHarness
    emu: BotApiEmulator
    group: Chat  # registered, kommun 0180
    other: Chat  # registered, kommun 1480
    rut: User  # resident of `group`
    cora: User  # coordinator and admin of `group`
    hugo: User  # coordinator and admin of `other`
    pelle: User  # police 0180, sent the alert
    per: User  # police 1480
    gid: int
    other_gid: int
    alert_id: int
    obs_id: int  # new observation in `group`
    forwarded_id: int  # observation in `group`, forwarded to the police of 0180
    alert: SentMessage  # the alert as delivered in `group`


async def _observation(harness: BotHarness, gid: int, reporter: User) -> int:
    services = harness.services
    now = services.clock.now()
    new = NewObservation(
        gid, "0180", reporter.id, False, "theft", now, "Gatan 2", None, None, False, "Cykel"
    )
    obs_id, _ = await obs_store.create_observation(services.db, new, now, 2026, now, 1000)
    return obs_id


@pytest.fixture
async def world(emu, tmp_path):
    harness = BotHarness(emu, tmp_path / "s.db", clock=fixed_clock())
    await harness.start()
    try:
        rut, cora, hugo = (emu.add_user(n, language_code="sv") for n in ("Rut", "Cora", "Hugo"))
        pelle, per = emu.add_user("Pelle"), emu.add_user("Per")
        group = emu.add_group("G", members=[rut], admins=[cora], bot_is_member=True)
        other = emu.add_group("H", admins=[hugo], bot_is_member=True)
        for person in (rut, cora, hugo, pelle, per):
            await emu.send_text(person, "/hjalp")
            await emu.wait_for_message(person.id)
        db, now = harness.services.db, harness.services.clock.now()
        ids = []
        for chat, kommun, coordinator in ((group, "0180", cora), (other, "1480", hugo)):
            record = await group_store.ensure_group(db, chat.id, chat.title, now)
            await group_store.register_group(db, record.id, f"Område {chat.title}", kommun, now)
            await role_store.grant_role(
                db, coordinator.id, "coordinator", str(record.id), None, now
            )
            ids.append(record.id)
        await group_store.add_member(db, ids[0], rut.id, "deep_link", now)
        await make_police(harness, pelle, "0180")
        await make_police(harness, per, "1480")
        confirm = await compose_alert(emu, pelle, "Inbrott på Storgatan")
        await text_of(emu, confirm, "Levererat:")
        alert = emu.last_message(group.id)
        assert alert.buttons(), "the alert has its Seen button"
        obs_id = await _observation(harness, ids[0], rut)
        forwarded_id = await _observation(harness, ids[0], rut)
        await observation_status.forward(db, forwarded_id, "0180", cora.id, now)
        alert_id = await db.fetch_value("SELECT max(id) FROM alerts")
        yield World(
            harness, emu, group, other, rut, cora, hugo, pelle, per,
            ids[0], ids[1], alert_id, obs_id, forwarded_id, alert,
        )  # fmt: skip
    finally:
        await harness.stop()


def sample_data(w: World | None) -> list[str]:
    """At least one piece of callback data for every pattern the bot registers."""
    gid = w.gid if w else 1
    other = w.other_gid if w else 2
    alert = w.alert_id if w else 1
    obs = w.obs_id if w else 1
    fwd = w.forwarded_id if w else 2
    user = w.cora.id if w else 1
    return [
        LanguageChoice("en").pack(),
        LanguageChoice("sv").pack(),
        AlertAck(alert).pack(),
        AlertManage(ManageAction.UPDATE, alert).pack(),
        AlertManage(ManageAction.WITHDRAW, alert).pack(),
        AlertManage(ManageAction.WITHDRAW_CONFIRMED, alert).pack(),
        AlertManage(ManageAction.UPDATE_CONFIRMED, alert).pack(),
        AlertManageCancel().pack(),
        AlertFigures(alert, csv=False).pack(),
        AlertFigures(alert, csv=True).pack(),
        AlertType("burglary").pack(),
        AlertTarget(Target.ALL).pack(),
        AlertKommun("0180").pack(),
        AlertGroup(gid).pack(),
        AlertPhotoSkip().pack(),
        AlertTarget(Target.PLACE).pack(),
        AlertRadius(1000).pack(),
        AlertNear(gid).pack(),
        AlertNear(None).pack(),
        AlertDetailSkip(DetailStep.LINK).pack(),
        AlertDetailSkip(DetailStep.EVENT).pack(),
        WitnessContact(fwd).pack(),
        AlertConfirm(send=True).pack(),
        AlertConfirm(send=False).pack(),
        RegisterKommun(gid, "1281").pack(),
        CoordinatorList(gid).pack(),
        GroupOverview(gid).pack(),
        GroupOverview(other).pack(),
        CoordinatorToggle(gid, user).pack(),
        GroupLanguage(gid, "en").pack(),
        GroupLanguage(gid, "xx").pack(),
        GroupDigestChart(gid, True).pack(),
        GroupDigestChart(gid, False).pack(),
        Unregister(gid, UnregisterStep.ASK).pack(),
        Unregister(gid, UnregisterStep.YES).pack(),
        Unregister(gid, UnregisterStep.NO).pack(),
        Unregister(other, UnregisterStep.YES).pack(),
        TipsPanel(PanelAction.PANEL, gid).pack(),
        TipsPanel(PanelAction.DAY, gid, "3").pack(),
        TipsPanel(PanelAction.TIME, gid, "0700").pack(),
        TipsPanel(PanelAction.FREQUENCY, gid, "o").pack(),
        TipsPanel(PanelAction.PREVIEW, gid).pack(),
        TipsPanel(PanelAction.SEND, gid).pack(),
        TipsPanel(PanelAction.FREQUENCY, other, "o").pack(),
        LibraryPage(0).pack(),
        LibraryTip(1).pack(),
        LibraryTip(1, enable=False).pack(),
        LibraryAdd().pack(),
        LibraryEdit(1, "sv").pack(),
        TipFocus("traffic").pack(),
        TipSeason("all_year").pack(),
        TipsPanel.head() + ":zz:1",
        InviteKommuner("0180").pack(),
        Export(7).pack(),
        Withdraw(obs).pack(),
        ObsNote(obs).pack(),
        ObsListing("a", "a", 30, 0).pack(),
        ObsFilter("a", "a", 30).pack(),
        MyGroupLeave(gid, False, 0).pack(),
        MyGroupLeave(gid, True, 0).pack(),
        MyGroupTips(gid).pack(),
        MyGroupsPage(0).pack(),
        GroupMembers(gid, 0).pack(),
        ObsDetail(obs).pack(),
        PoliceDetail(fwd).pack(),
        ObsAction(obs, TriageAction.CLOSED).pack(),
        ObsAction(obs, TriageAction.FORWARD).pack(),
        ObsAction(obs, TriageAction.REVIEWED).pack(),
        InboxPage(0).pack(),
        Handled(fwd).pack(),
        ReportButton(ReportStep.GROUP, gid).pack(),
        ReportButton(ReportStep.CATEGORY, "theft").pack(),
        ReportButton(ReportStep.WHEN, "now").pack(),
        ReportButton(ReportStep.PRECISION, "exact").pack(),
        ReportButton(ReportStep.PHOTOS_DONE, "done").pack(),
        ReportButton(ReportStep.IDENTITY, "yes").pack(),
        ReportButton(ReportStep.SUMMARY, "send").pack(),
        ReportButton(ReportStep.SUMMARY, "ok").pack(),
        ReportButton(ReportStep.EDIT, "place").pack(),
        FeedPanel(FeedAction.PANEL, gid).pack(),
        FeedPanel(FeedAction.CATEGORY, gid, "burglary").pack(),
        FeedPanel(FeedAction.LAN, gid).pack(),
        FeedPanel(FeedAction.LAN, gid, "m").pack(),
        FeedPanel(FeedAction.QUIET, gid, "2207").pack(),
        FeedPanel(FeedAction.QUIET, other, "off").pack(),
        ForgetMe(True).pack(),
        ForgetMe(False).pack(),
        f"{ForgetMe.prefix}0:1",  # a button of an older layout: expired
        *dialog_samples(gid),
        LagesbildPress(View.CHART, PeriodKind("w4")).pack(),
        LagesbildPress(View.MAP, PeriodKind("y")).pack(),
        LagesbildPress(View.CSV, PeriodKind("q")).pack(),
        InviteKommunRole("0180").pack(),
    ]


def _callback_patterns(handlers: list[Any]) -> list[Callable[[object], bool]]:
    found: list[Callable[[object], bool]] = []
    for handler in handlers:
        if isinstance(handler, CallbackQueryHandler) and handler.pattern is not None:
            found.append(handler.pattern)
        elif isinstance(handler, ConversationHandler):
            nested = [*handler.entry_points, *handler.fallbacks]
            for state_handlers in handler.states.values():
                nested.extend(state_handlers)
            found.extend(_callback_patterns(nested))
    return found


async def test_sample_data_covers_every_registered_callback_pattern(emu, tmp_path):
    """A new button handler without a forged sample here fails this test."""
    application = build_application(make_settings(emu, tmp_path / "x.db"))
    patterns = _callback_patterns(
        [handler for group in application.handlers.values() for handler in group]
    )
    assert len(patterns) > 20
    samples = sample_data(None)
    missing = [p for p in patterns if not any(p(d) for d in samples)]
    assert missing == []
    # Issue #11: every pattern is built from a button declaration, none is a regex.
    assert not [p for p in patterns if isinstance(p, re.Pattern)]


async def _snapshot(w: World) -> list[list[tuple]]:
    db = w.harness.services.db
    return [[tuple(row) for row in await db.fetch_all(sql)] for sql in STATE_QUERIES]


def _shown(message: SentMessage) -> tuple[str, Any, bool]:
    return (message.content, message.reply_markup, message.edited)


async def _after_everything(w: World, person: User) -> None:
    """Updates are handled in order: once this /hjalp is answered, earlier presses are done."""
    n = len(w.emu.sent_messages(person.id))
    await w.emu.send_text(person, "/hjalp")
    await w.emu.wait_for_message(person.id, after=n)


FORGERS = ("rut", "cora", "hugo", "pelle", "per")


@pytest.mark.parametrize("forger", FORGERS)
async def test_forged_data_on_a_delivered_alert_changes_nothing(world: World, forger: str):
    w, emu = world, world.emu
    person = getattr(w, forger)
    before, shown = await _snapshot(w), _shown(w.alert)
    calls = len(emu.calls)
    for data in sample_data(w):
        if data == AlertAck(w.alert_id).pack():
            continue  # the alert's own button
        cq = await emu.press_forged(person, w.alert, data)
        answer = await emu.wait_for_callback_answer(cq["id"])
        assert answer.get("text") == EXPIRED, data
    await _after_everything(w, person)
    assert _shown(w.alert) == shown
    assert await _snapshot(w) == before
    effects = [
        c.method
        for c in emu.calls[calls:]
        if c.method not in ("getUpdates", "answerCallbackQuery", "sendMessage")
        or (c.method == "sendMessage" and str(c.params.get("chat_id")) != str(person.id))
    ]
    assert effects == [], "a forged press made the bot send or edit something"


async def test_the_alerts_own_button_still_counts(world: World):
    await world.emu.press_button(world.rut, world.alert, data=AlertAck(world.alert_id).pack())
    assert "Tack" in (await world.emu.wait_for_callback_answer())["text"]


async def test_unverifiable_presses_are_refused(world: World):
    """An inaccessible message (no keyboard to check) and inline messages (the bot has no
    inline mode) cannot carry a press of ours."""
    w, emu = world, world.emu
    shown = _shown(w.alert)
    inaccessible = {"chat": w.group.to_dict(), "message_id": w.alert.message_id, "date": 0}
    presses: list[dict[str, Any]] = [
        {"message": inaccessible, "data": AlertAck(w.alert_id).pack()},
        {"message": inaccessible, "data": LanguageChoice("en").pack()},
        {"inline_message_id": "AAEAAQ", "data": LanguageChoice("en").pack()},
    ]
    for n, extra in enumerate(presses):
        cq = {"id": f"99{n}", "from": w.rut.to_dict(), "chat_instance": "1", **extra}
        emu.pending_callbacks[cq["id"]] = cq
        emu.enqueue_update("callback_query", cq)
        assert (await emu.wait_for_callback_answer(cq["id"])).get("text") == EXPIRED
    await _after_everything(w, w.rut)
    assert _shown(w.alert) == shown
    seen = await w.harness.services.db.fetch_value("SELECT count(*) FROM alert_acks")
    assert seen == 0


async def test_language_chooser_in_a_group_acts_only_for_its_person(world: World):
    w, emu = world, world.emu
    await emu.send_text(w.rut, "/sprak", chat=w.group)
    prompt = await emu.wait_for_message(w.group.id, lambda m: m.buttons())
    shown = _shown(prompt)
    await emu.press_button(w.cora, prompt, data=LanguageChoice("en").pack())
    assert (await emu.wait_for_callback_answer())["text"] == EXPIRED
    await _after_everything(w, w.cora)
    assert _shown(prompt) == shown
    db = w.harness.services.db
    assert (
        await db.fetch_value("SELECT language FROM users WHERE telegram_id = ?", (w.cora.id,))
        != "en"
    )
    await emu.press_button(w.rut, prompt, data=LanguageChoice("en").pack())
    await emu.wait_until(lambda: prompt.edited and "English" in prompt.content)


# ------------------------------------------------------------------ held buttons, wrong person


def _hold(message: SentMessage, data: str) -> None:
    """Give a message of the person's own chat a button with `data` (as if the bot had)."""
    message.reply_markup = {"inline_keyboard": [[{"text": "x", "callback_data": data}]]}


def _foreign(w: World) -> list[tuple[str, str]]:
    """(person, data) pairs acting on `group` with rights only for the other group/kommun."""
    g, obs, fwd, alert = w.gid, w.obs_id, w.forwarded_id, w.alert_id
    hugo = [
        TipsPanel(PanelAction.PANEL, g).pack(),
        TipsPanel(PanelAction.FREQUENCY, g).pack(),
        TipsPanel(PanelAction.FREQUENCY, g, "o").pack(),
        TipsPanel(PanelAction.DAY, g, "3").pack(),
        TipsPanel(PanelAction.TIME, g, "0700").pack(),
        TipsPanel(PanelAction.PREVIEW, g).pack(),
        TipsPanel(PanelAction.SEND, g).pack(),
        CoordinatorList(g).pack(),
        CoordinatorToggle(g, w.hugo.id).pack(),
        GroupLanguage(g, "en").pack(),
        GroupDigestChart(g, True).pack(),
        Unregister(g, UnregisterStep.ASK).pack(),
        Unregister(g, UnregisterStep.YES).pack(),
        ObsDetail(obs).pack(),
        ObsAction(obs, TriageAction.REVIEWED).pack(),
        ObsAction(obs, TriageAction.FORWARD).pack(),
        ObsAction(obs, TriageAction.CLOSED).pack(),
        ObsNote(obs).pack(),
        Withdraw(obs).pack(),
        AlertManage(ManageAction.UPDATE, alert).pack(),
        AlertManage(ManageAction.WITHDRAW, alert).pack(),
        AlertManage(ManageAction.WITHDRAW_CONFIRMED, alert).pack(),
    ]
    per = [
        PoliceDetail(fwd).pack(),
        Handled(fwd).pack(),
        AlertManage(ManageAction.UPDATE, alert).pack(),
        AlertManage(ManageAction.WITHDRAW, alert).pack(),
        AlertManage(ManageAction.WITHDRAW_CONFIRMED, alert).pack(),
        AlertFigures(alert, csv=False).pack(),
        AlertFigures(alert, csv=True).pack(),
        ObsAction(obs, TriageAction.CLOSED).pack(),
        TipsPanel(PanelAction.FREQUENCY, g, "o").pack(),
        Unregister(g, UnregisterStep.YES).pack(),
    ]
    return [("hugo", d) for d in hugo] + [("per", d) for d in per]


async def test_held_buttons_for_another_group_or_kommun_are_refused_by_roles(world: World):
    """Coordinator of another group, police of another kommun: storage says no."""
    w, emu = world, world.emu
    before = await _snapshot(w)
    for role, data in _foreign(w):
        person = getattr(w, role)
        anchor = emu.last_message(person.id)
        _hold(anchor, data)
        cq = await emu.press_button(person, anchor, data=data)
        answer = await emu.wait_for_callback_answer(cq["id"])
        assert answer.get("text") in (NOT_ALLOWED, EXPIRED), (role, data, answer)
    await _after_everything(w, w.hugo)
    assert await _snapshot(w) == before


async def test_a_panel_button_of_another_group_does_nothing_in_this_group(world: World):
    """Hugo coordinates H (and administers it); a tips button for H on a message in G is
    not H's panel, so it must not act on H nor turn G's message into H's panel."""
    w, emu = world, world.emu
    await emu.send_text(w.cora, "/tips", chat=w.group)
    panel = await emu.wait_for_message(w.group.id, lambda m: m.buttons())
    _hold(panel, TipsPanel(PanelAction.FREQUENCY, w.other_gid, "o").pack())
    shown, before = _shown(panel), await _snapshot(w)
    cq = await emu.press_button(
        w.hugo, panel, data=TipsPanel(PanelAction.FREQUENCY, w.other_gid, "o").pack()
    )
    assert (await emu.wait_for_callback_answer(cq["id"])).get("text") == EXPIRED
    await _after_everything(w, w.hugo)
    assert _shown(panel) == shown
    assert await _snapshot(w) == before
