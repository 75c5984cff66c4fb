"""Settings: names, defaults, and one-line errors for operators."""

import subprocess
import sys

import pytest

from config import ConfigError, load_settings


@pytest.fixture(autouse=True)
def clean_env(monkeypatch, tmp_path):
    for name in (
        "BOT_TOKEN",
        "TELEGRAM_API_URL",
        "TELEGRAM_FILE_URL",
        "DATABASE_PATH",
        "TIMEZONE",
        "DEFAULT_LANGUAGE",
        "ADMIN_USER_IDS",
        "LOG_LEVEL",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)  # no stray .env


def test_defaults_and_environment_names(monkeypatch):
    monkeypatch.setenv("BOT_TOKEN", "123:abc")
    monkeypatch.setenv("ADMIN_USER_IDS", "11, 22,33")
    settings = load_settings()
    assert settings.bot_token.get_secret_value() == "123:abc"
    assert settings.telegram_api_url == "https://api.telegram.org/bot"
    assert settings.database_path == "grannvakt.db"
    assert settings.timezone == "Europe/Stockholm"
    assert settings.default_language == "sv"
    assert settings.admin_user_ids == frozenset({11, 22, 33})
    assert "123:abc" not in repr(settings)  # the token is never printed


def test_dotenv_file_is_read(tmp_path):
    (tmp_path / ".env").write_text("BOT_TOKEN=9:xyz\nDEFAULT_LANGUAGE=en\n")
    settings = load_settings()
    assert settings.bot_token.get_secret_value() == "9:xyz"
    assert settings.default_language == "en"


def test_file_url_follows_api_url(monkeypatch):
    monkeypatch.setenv("BOT_TOKEN", "1:a")
    monkeypatch.setenv("TELEGRAM_API_URL", "http://127.0.0.1:8081/bot")
    assert load_settings().file_url == "http://127.0.0.1:8081/file/bot"


@pytest.mark.parametrize(
    ("name", "value", "expected"),
    [
        ("TIMEZONE", "Mars/Olympus", "TIMEZONE is invalid"),
        ("DEFAULT_LANGUAGE", "de", "DEFAULT_LANGUAGE is invalid"),
        ("ADMIN_USER_IDS", "12,abc", "ADMIN_USER_IDS is invalid"),
        ("LOG_LEVEL", "LOUD", "LOG_LEVEL is invalid"),
        ("TELEGRAM_API_URL", "ftp://x", "TELEGRAM_API_URL is invalid"),
        ("TELEGRAM_API_URL", "http://127.0.0.1:8081", "TELEGRAM_API_URL is invalid: must end"),
        ("TELEGRAM_API_URL", "https://api.telegram.org/", "TELEGRAM_API_URL is invalid"),
        ("TELEGRAM_API_URL", "https://api.telegram.org/bot?x=1", "TELEGRAM_API_URL is invalid"),
        ("TELEGRAM_API_URL", "http://127.0.0.1:99999/bot", "TELEGRAM_API_URL is invalid"),
        ("TELEGRAM_API_URL", "http:///bot", "TELEGRAM_API_URL is invalid"),
        ("TELEGRAM_FILE_URL", "http://127.0.0.1:8081/file", "TELEGRAM_FILE_URL is invalid"),
        ("DATABASE_PATH", " ", "DATABASE_PATH is invalid"),
        ("BOT_TOKEN", "not-a-token", "BOT_TOKEN is invalid"),
        ("BOT_TOKEN", "123456:ABC def", "BOT_TOKEN is invalid"),  # pasted with more words
        ("BOT_TOKEN", "123456:'ABCdef'", "BOT_TOKEN is invalid"),
        ("ADMIN_USER_IDS", "12,-1001234567890", "ADMIN_USER_IDS is invalid: -1001234567890"),
        ("ADMIN_USER_IDS", "0", "ADMIN_USER_IDS is invalid"),
        ("WEBHOOK_URL", "https://bot.example.se:99999/tg", "WEBHOOK_URL is invalid"),
        ("WEBHOOK_URL", "https://bot.example.se:https/tg", "WEBHOOK_URL is invalid"),
    ],
)
def test_invalid_setting_names_the_variable(monkeypatch, name, value, expected):
    monkeypatch.setenv("BOT_TOKEN", "1:a")
    monkeypatch.setenv("WEBHOOK_SECRET", "s3cret")
    monkeypatch.setenv(name, value)
    with pytest.raises(ConfigError) as info:
        load_settings()
    assert str(info.value).startswith(expected)
    assert "\n" not in str(info.value)


def test_missing_token_is_one_line_and_exit_status_2(tmp_path):
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "-m", "bot", "run"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "BOT_TOKEN" in lines[0] and "@BotFather" in lines[0]
    assert "Traceback" not in result.stderr


def test_api_url_trailing_slash_is_forgiven(monkeypatch):
    monkeypatch.setenv("TELEGRAM_API_URL", " http://127.0.0.1:8081/bot/ ")
    settings = load_settings(require_token=False)
    assert settings.telegram_api_url == "http://127.0.0.1:8081/bot"


def test_token_is_needed_only_when_asked_for():
    settings = load_settings(require_token=False)
    assert settings.bot_token.get_secret_value() == ""
    with pytest.raises(ConfigError, match=r"^BOT_TOKEN is not set"):
        settings.require_token()
    with pytest.raises(ConfigError, match=r"^BOT_TOKEN is not set"):
        load_settings()


def test_malformed_token_is_an_error_even_when_not_needed(monkeypatch):
    monkeypatch.setenv("BOT_TOKEN", "not-a-token")
    with pytest.raises(ConfigError, match=r"^BOT_TOKEN is invalid"):
        load_settings(require_token=False)


def test_database_commands_need_no_bot_token(tmp_path):
    """roles, audit, export and tips work on the database file alone."""
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "DATABASE_PATH": "g.db"}
    commands = [
        ["roles", "list", "--create"],
        ["roles", "revoke", "5"],
        ["audit", "list"],
        ["export", "observations", "--since", "2026-01-01"],
        ["tips", "export"],
        ["invite", "police", "--kommun", "Lund", "--bot-username", "grannvakt_bot"],
    ]
    for command in commands:
        result = subprocess.run(
            [sys.executable, "-m", "bot", *command],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert "BOT_TOKEN" not in result.stderr, (command, result.stderr)
        assert "Traceback" not in result.stderr, (command, result.stderr)
        # `roles revoke` of nobody ends 1 ("revoked 0 role(s)"), the others 0.
        assert result.returncode == (1 if command[1] == "revoke" else 0), result.stderr


def test_dotenv_that_is_not_utf8_is_one_line(tmp_path):
    (tmp_path / ".env").write_bytes("BOT_TOKEN=1:abc\nDATABASE_PATH=lås.db\n".encode("latin-1"))
    with pytest.raises(ConfigError, match=r"^\.env is not UTF-8"):
        load_settings()


def test_database_path_home_is_expanded(monkeypatch, tmp_path):
    monkeypatch.setenv("HOME", str(tmp_path))
    (tmp_path / ".env").write_text("DATABASE_PATH=~/data/grannvakt.db\n", encoding="utf-8")
    assert load_settings(require_token=False).database_path == str(tmp_path / "data/grannvakt.db")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('BOT_TOKEN=1:abc\nREPORTS_PER_HOUR="5\n', ".env line 2 (REPORTS_PER_HOUR) cannot be read"),
        ("BOT_TOKEN=1:abc\nthe token 123456:pasted-token\n", ".env line 2 cannot be read"),
    ],
    ids=["quote not closed", "no name"],
)
def test_a_dotenv_line_that_cannot_be_read_is_one_line(tmp_path, capfd, text, expected):
    """python-dotenv only warned ("could not parse statement") and went on without the
    setting; the line is named, its value (perhaps the token) is not."""
    (tmp_path / ".env").write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_settings()
    assert str(info.value).startswith(expected)
    assert "pasted-token" not in str(info.value) and '"5' not in str(info.value)
    assert capfd.readouterr().err == ""
