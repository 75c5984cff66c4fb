"""The README's two commands stay true: CI runs exactly the README's test command."""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _shell_blocks(text: str) -> list[str]:
    blocks = text.split("```sh\n")[1:]
    return [block.split("```", 1)[0].strip() for block in blocks]


def test_readme_starts_with_run_and_test_commands():
    blocks = _shell_blocks((ROOT / "README.md").read_text(encoding="utf-8"))
    run_command, test_command = blocks[0], blocks[1]
    assert "grannvakt run" in run_command and "pip install" in run_command
    assert "pytest" in test_command and "pip install" in test_command


def test_ci_runs_the_readme_test_command():
    test_command = _shell_blocks((ROOT / "README.md").read_text(encoding="utf-8"))[1]
    ci_lines = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert test_command in ci_lines
    assert any(line.startswith(".venv/bin/ruff check") for line in ci_lines)


def test_ci_checks_format_and_types_and_stops_at_the_first_failure():
    ci_lines = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert "set -euo pipefail" in ci_lines
    assert ".venv/bin/ruff format --check ." in ci_lines
    assert ".venv/bin/mypy" in ci_lines  # its settings are in pyproject.toml
