"""`python -m bot` does the same as `grannvakt`; with no arguments it runs the bot."""

import sys

from bot.cli import main

sys.exit(main(sys.argv[1:] or ["run"]))
