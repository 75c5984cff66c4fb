"""`grannvakt tips import/export` on a real database file, without a running bot."""

from __future__ import annotations

import asyncio

import pytest

from bot.cli import main
from bot.services.tip_library import load_tip_seeds, parse_tips_csv
from storage import tips as tip_store
from storage.db import Database


@pytest.fixture
def env(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("BOT_TOKEN", "123:abc")
    monkeypatch.setenv("DATABASE_PATH", str(tmp_path / "cli.db"))
    return tmp_path


def read_tips(path):
    async def go():
        db = Database(path)
        await db.open()
        try:
            return await tip_store.list_tips(db)
        finally:
            await db.close()

    return asyncio.run(go())


def test_export_then_import_round_trip(env, capsys):
    out = env / "tips.csv"
    assert main(["tips", "export", "--out", str(out), "--create"]) == 0
    assert "created a new database" in capsys.readouterr().err
    assert out.read_bytes().startswith(b"\xef\xbb\xbfkey,")  # a BOM, as observations
    exported = parse_tips_csv(out.read_text(encoding="utf-8"))
    assert {t.key for t in exported} == {t.key for t in load_tip_seeds()}

    edited = out.read_text(encoding="utf-8").replace(
        "burglary-timers-dark,", "burglary-timers-dark,", 1
    )
    edited += (
        'neighbour-cli-test,neighbour,all_year,"Hälsa på nya grannar.","Greet new neighbours."\r\n'
    )
    (env / "new.csv").write_text(edited, encoding="utf-8")
    capsys.readouterr()
    assert main(["tips", "import", str(env / "new.csv")]) == 0
    assert "1 added" in capsys.readouterr().out
    tips = read_tips(env / "cli.db")
    assert any(t.key == "neighbour-cli-test" and t.source == "import" for t in tips)

    assert main(["tips", "export"]) == 0
    printed = capsys.readouterr().out
    assert "neighbour-cli-test" in printed and printed.startswith("\ufeffkey,")


def test_import_rejects_bad_file_with_row_number(env, capsys):
    bad = env / "bad.csv"
    bad.write_text("key,focus,seasons,text_sv,text_en\nx,nope,all_year,a,b\n", encoding="utf-8")
    assert main(["tips", "import", str(bad), "--create"]) == 2
    assert "row 2" in capsys.readouterr().err
    assert main(["tips", "import", str(env / "missing.csv")]) == 2
    assert not (env / "cli.db").exists()  # the file is checked before the database
