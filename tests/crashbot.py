"""Start the real bot from environment variables; used by the SIGKILL crash test.

    BOT_TOKEN=... TELEGRAM_API_URL=... DATABASE_PATH=... python tests/crashbot.py

Like `python -m bot run`, plus DELIVERY_CONCURRENCY to bound the sends in flight (so the
test can bound the duplicates a kill may cause).
"""

from __future__ import annotations

import asyncio
import logging
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.app import build_application, services_of
from bot.lifecycle import serve
from config import Settings


def main() -> None:
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    logging.getLogger("httpx").setLevel(logging.WARNING)
    application = build_application(settings)
    concurrency = int(os.environ.get("DELIVERY_CONCURRENCY", "0"))
    if concurrency:
        services_of(application).delivery.concurrency = concurrency
    asyncio.run(serve(application))


if __name__ == "__main__":
    main()
