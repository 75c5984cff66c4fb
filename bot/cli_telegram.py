"""The start-up question to Telegram (getMe), and one line for each way it can fail.

A rejected token, a wrong `TELEGRAM_API_URL` and an unreachable server look alike to
python-telegram-bot (a 404 becomes `InvalidToken`); this module tells them apart.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

from telegram import Bot
from telegram.error import InvalidToken, NetworkError, RetryAfter, TelegramError

from bot.cli_common import EXIT_RUNTIME, EXIT_USAGE, CliError
from config import Settings

OFFICIAL_API_URL = "https://api.telegram.org/bot"


@contextmanager
def _quiet_request_log() -> Iterator[None]:
    """PTB logs a traceback for a non-JSON answer; the operator gets one line instead."""
    logger = logging.getLogger("telegram.request")
    level = logger.level
    logger.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        logger.setLevel(level)


async def check_bot_api(bot: Bot, settings: Settings) -> None:
    """Initialise `bot` (one getMe call); CliError naming the cause if that fails.

    After success the bot stays initialised, so a later `Application.initialize()`
    does not ask again; after failure its HTTP clients are closed.
    """
    try:
        with _quiet_request_log():
            await bot.initialize()
    except TelegramError as exc:
        await bot.shutdown()
        raise explain_telegram_error(exc, settings) from None
    except BaseException:
        await bot.shutdown()
        raise


def explain_telegram_error(exc: TelegramError, settings: Settings) -> CliError:
    """The operator's line for a failed call at start-up; the token never appears in it."""
    url = settings.telegram_api_url
    if isinstance(exc, InvalidToken):
        # str(exc) quotes the token; the server's own answer is the cause.
        answer = str(exc.__cause__ or "")
        if "Unauthorized" in answer or url == OFFICIAL_API_URL:
            return CliError("BOT_TOKEN was rejected by Telegram: check it with @BotFather")
        return CliError(
            f"TELEGRAM_API_URL={url} answered 'Not Found' to getMe: it is not a Bot API "
            "server or the path is wrong (it ends in /bot, like https://api.telegram.org/bot)"
        )
    detail = _without_token(str(exc), settings)
    if isinstance(exc, NetworkError):
        if "InvalidURL" in detail or "UnsupportedProtocol" in detail:
            return CliError(f"TELEGRAM_API_URL={url} is not a usable URL ({detail})")
        return CliError(
            f"cannot reach the Bot API at TELEGRAM_API_URL={url}: {detail}", EXIT_RUNTIME
        )
    if isinstance(exc, RetryAfter):
        return CliError(f"Telegram asks to wait ({detail}); try again later", EXIT_RUNTIME)
    if "Invalid server response" in detail:
        return CliError(
            f"TELEGRAM_API_URL={url} did not answer like a Bot API server (no JSON); "
            "check the URL (it ends in /bot, like https://api.telegram.org/bot)",
            EXIT_USAGE,
        )
    return CliError(f"Telegram refused getMe: {detail}", EXIT_RUNTIME)


def _without_token(text: str, settings: Settings) -> str:
    token = settings.bot_token.get_secret_value()
    secret = token.split(":", 1)[-1]
    text = text.replace(token, "<BOT_TOKEN>")
    # The secret alone shows up glued to other text (a port number); too short a one would
    # match ordinary words.
    return text.replace(secret, "<secret>") if len(secret) >= 8 else text
