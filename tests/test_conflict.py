"""Only one instance per token: when Telegram answers getUpdates with 409 Conflict
(another process polls with the same token), `grannvakt run` stops with one line naming
the cause and exit status 1, instead of fighting the other poller forever."""

from __future__ import annotations

from tests.cli_helpers import cli_env, one_line, run_cli_async

CONFLICT = (
    "Conflict: terminated by other getUpdates request; make sure that only one bot "
    "instance is running"
)


def _env(emu, tmp_path, **values):
    return cli_env(
        tmp_path,
        BOT_TOKEN=emu.token,
        TELEGRAM_API_URL=emu.base_url,
        DATABASE_PATH=str(tmp_path / "grannvakt.db"),
        POLICE_FEED_ENABLED="false",
        **values,
    )


async def test_second_poller_ends_with_one_line(emu, tmp_path):
    emu.faults.add("error", "getUpdates", code=409, description=CONFLICT, count=None)
    status, _, stderr = await run_cli_async(
        ["run"], tmp_path, _env(emu, tmp_path, LOG_LEVEL="WARNING")
    )
    one_line(status, stderr, 1, "409 Conflict", "only one grannvakt per bot token")
    assert emu.token not in stderr


async def test_conflict_at_info_level_is_still_one_line_about_it(emu, tmp_path):
    emu.faults.add("error", "getUpdates", code=409, description=CONFLICT, count=None)
    status, _, stderr = await run_cli_async(["run"], tmp_path, _env(emu, tmp_path))
    assert status == 1
    assert "Traceback" not in stderr
    about = [line for line in stderr.splitlines() if "409 Conflict" in line]
    assert len(about) == 1, stderr
    assert about[0].startswith("grannvakt: ")
    assert "grannvakt stopped; database closed" in stderr  # it shut down cleanly


async def test_a_webhook_set_by_another_instance_is_named(emu, tmp_path):
    """Another grannvakt in webhook mode re-sets its webhook: our getUpdates gets 409."""
    emu.faults.add(
        "error",
        "getUpdates",
        code=409,
        description="Conflict: can't use getUpdates method while webhook is active; "
        "use deleteWebhook to delete the webhook first",
        count=None,
    )
    env = _env(emu, tmp_path, LOG_LEVEL="WARNING")
    status, _, stderr = await run_cli_async(["run"], tmp_path, env)
    one_line(status, stderr, 1, "a webhook is set for this BOT_TOKEN", "only one per bot token")
