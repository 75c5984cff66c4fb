"""End-to-end: the access log. A coordinator's or officer's detail view (with photos) and
every CSV export (chat and CLI) is written to the audit log; `grannvakt audit list --kind
access` shows exactly those entries. Also: photos are kept as Telegram file ids only (the
bot never downloads them), and the start-up warns when DATA_CONTROLLER is unset."""

from __future__ import annotations

import logging

import pytest

from handlers.observations_buttons import Export, ObsAction, ObsDetail, PoliceDetail, TriageAction
from storage import observations as obs_store
from storage import privacy as privacy_store
from tests.cli_helpers import cli_env, run_cli_async
from tests.harness import BotHarness, fixed_clock
from tests.privacy_helpers import settled
from tests.test_observations_support import World, build_world, file_report, press


@pytest.fixture
async def world(emu, tmp_path):
    harness = BotHarness(emu, tmp_path / "grannvakt.db", clock=fixed_clock())
    w = await build_world(harness)
    yield w
    await harness.stop()


async def _access(w: World) -> list[tuple[int | None, str, str, dict]]:
    entries = await privacy_store.audit_entries_of_kind(w.harness.services.db, "access", 50)
    return [(e.actor_id, e.action, e.subject, e.details) for e in reversed(entries)]


async def test_detail_views_and_exports_are_logged(world: World, tmp_path):
    w, emu = world, world.emu
    db = w.harness.services.db
    await file_report(w, w.anna, "Någon bar ut en tv", photos=1)
    notice = await emu.wait_for_message(w.carl.id, lambda m: "O-2026-0001" in m.content)
    assert await _access(w) == []  # a notice is not an access to the details

    await emu.press_button(w.carl, notice, data=ObsDetail(1).pack())
    await emu.wait_for_message(w.carl.id, lambda m: m.kind == "photo")
    # The resident may not open the coordinator's view: refused, and nothing is logged.
    await emu.press_button(w.anna, notice, data=ObsDetail(1).pack())
    await press(w, w.carl, notice, ObsAction(1, TriageAction.FORWARD).pack())
    police = await emu.wait_for_message(w.pia.id, lambda m: "O-2026-0001" in m.content)
    await emu.press_button(w.pia, police, data=PoliceDetail(1).pack())
    await emu.wait_for_message(w.pia.id, lambda m: m.kind == "photo")
    await emu.send_text(w.carl, "/export")
    ask = await emu.wait_for_message(w.carl.id, lambda m: Export(30).pack() in str(m.buttons()))
    await emu.press_button(w.carl, ask, data=Export(30).pack())
    await emu.wait_for_message(w.carl.id, lambda m: m.kind == "document")
    await settled(emu, db)
    assert await _access(w) == [
        (w.carl.id, "access.observation", "O-2026-0001", {"viewer": "coordinator", "photos": 1}),
        (w.pia.id, "access.observation", "O-2026-0001", {"viewer": "police", "photos": 1}),
        (w.carl.id, "access.export", "observations", {"days": 30, "rows": 1}),
    ]

    # Photos: only Telegram's file id is stored; the bot never asked for the file.
    obs = await obs_store.get_observation(db, 1)
    assert obs is not None and obs.photos[0].file_id.startswith("AgAC")
    assert not [c for c in emu.calls if c.method.lower() == "getfile"]

    # The command line's export is logged too, and `audit list --kind access` shows them.
    await w.harness.stop()
    env = cli_env(tmp_path, DATABASE_PATH=str(tmp_path / "grannvakt.db"))
    out_file = tmp_path / "obs.csv"
    export = ["export", "observations", "--since", "2026-01-01", "--out", str(out_file)]
    status, _, _ = await run_cli_async(export, tmp_path, env)
    assert status == 0
    status, out, _ = await run_cli_async(["audit", "list", "--kind", "access"], tmp_path, env)
    lines = out.strip().splitlines()
    assert status == 0 and len(lines) == 4 and all("\taccess." in line for line in lines)
    assert lines[0].split("\t")[1:3] == ["cli", "access.export"]
    assert f"\t{w.carl.id}\taccess.observation\tO-2026-0001" in lines[-1]
    status, out, _ = await run_cli_async(["audit", "list"], tmp_path, env)
    assert status == 0 and "role.grant" in out  # without --kind: everything


async def test_start_up_warns_when_data_controller_is_unset(emu, tmp_path, caplog):
    caplog.set_level(logging.WARNING, logger="handlers.privacy")
    harness = BotHarness(emu, tmp_path / "a.db")
    await harness.start()
    await harness.stop()
    assert any("DATA_CONTROLLER is not set" in r.message for r in caplog.records)
    caplog.clear()
    harness = BotHarness(emu, tmp_path / "b.db", data_controller="Ale kommun, dso@ale.se")
    await harness.start()
    await harness.stop()
    assert not any("DATA_CONTROLLER" in r.message for r in caplog.records)
