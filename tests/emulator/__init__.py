"""Loopback emulator of the Telegram Bot API for end-to-end tests and benchmarks.

Usage::

    async with BotApiEmulator(token="123456:TEST") as emu:
        app = ApplicationBuilder().token(emu.token).base_url(emu.base_url) \\
            .base_file_url(emu.base_file_url).build()
"""

from .scenario import BotApiEmulator
from .server import ApiError
from .state import ApiCall, Chat, SentMessage, Stats, User

__all__ = ["ApiCall", "ApiError", "BotApiEmulator", "Chat", "SentMessage", "Stats", "User"]
