"""/id (/whoami) tells a person their Telegram user id (and a group's chat id) in their
language; the version is in `grannvakt --version`, the start-up log and the User-Agent."""

from __future__ import annotations

from bot.version import app_version
from tests.cli_helpers import cli_env, run_cli


async def test_id_in_private_in_swedish_and_english(bot):
    emu = bot.emu
    anna = emu.add_user("Anna", language_code="sv")
    await emu.send_text(anna, "/id")
    answer = await emu.wait_for_message(anna.id, after=0)
    assert f"<code>{anna.id}</code>" in answer.html
    assert "användar-id" in answer.text and "ADMIN_USER_IDS" in answer.text
    bob = emu.add_user("Bob", language_code="en")
    await emu.send_text(bob, "/whoami")
    answer = await emu.wait_for_message(bob.id, after=0)
    assert f"Your Telegram user id is {bob.id}" in answer.text


async def test_id_in_a_group_gives_the_user_and_the_chat(bot):
    emu = bot.emu
    anna = emu.add_user("Anna", language_code="sv")
    group = emu.add_group("Ekvägen", bot_is_member=True)
    await emu.send_text(anna, "/id@grannvakt_test_bot", chat=group)
    answer = await emu.wait_for_message(group.id, after=0)
    assert str(anna.id) in answer.text
    assert str(group.id) in answer.text


async def test_user_agent_names_grannvakt_and_its_version(bot):
    agent = bot.emu.last_user_agent
    assert agent.startswith(f"grannvakt/{app_version()} ")
    assert "python-telegram-bot" in agent


def test_version_option(tmp_path):
    result = run_cli(["--version"], tmp_path, cli_env(tmp_path))
    assert result.returncode == 0
    assert result.stdout.strip() == f"grannvakt {app_version()}"


async def test_start_up_log_line_has_the_version(emu, tmp_path):
    from tests.cli_helpers import run_cli_async

    emu.faults.add("error", "getUpdates", code=409, description="Conflict: x", count=None)
    env = cli_env(
        tmp_path,
        BOT_TOKEN=emu.token,
        TELEGRAM_API_URL=emu.base_url,
        DATABASE_PATH=str(tmp_path / "g.db"),
        POLICE_FEED_ENABLED="false",
    )
    _, _, stderr = await run_cli_async(["run"], tmp_path, env)
    assert (
        f"INFO bot.app: grannvakt {app_version()} started as @grannvakt_test_bot (long polling)"
        in stderr
    )
