"""Settings of data protection: safe defaults, environment names, one-line errors."""

from __future__ import annotations

import pytest

from config import ConfigError, load_settings

NAMES = (
    "DATA_CONTROLLER",
    "OBSERVATION_RETENTION_DAYS",
    "WITHDRAWN_RETENTION_DAYS",
    "AUDIT_RETENTION_DAYS",
    "INACTIVE_PERSON_DAYS",
)


@pytest.fixture(autouse=True)
def clean_env(monkeypatch, tmp_path):
    for name in NAMES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)  # no stray .env


def test_defaults():
    settings = load_settings(require_token=False)
    assert settings.data_controller is None
    assert settings.observation_retention_days == 365
    assert settings.withdrawn_retention_days == 30
    assert settings.audit_retention_days == 730
    assert settings.inactive_person_days == 730


def test_environment_names(monkeypatch):
    monkeypatch.setenv("DATA_CONTROLLER", "  Ale kommun,\n dataskydd@ale.se ")
    monkeypatch.setenv("OBSERVATION_RETENTION_DAYS", "180")
    monkeypatch.setenv("AUDIT_RETENTION_DAYS", "365")
    settings = load_settings(require_token=False)
    assert settings.data_controller == "Ale kommun, dataskydd@ale.se"
    assert (settings.observation_retention_days, settings.audit_retention_days) == (180, 365)


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("OBSERVATION_RETENTION_DAYS", "0"),
        ("WITHDRAWN_RETENTION_DAYS", "many"),
        ("AUDIT_RETENTION_DAYS", "7"),
        ("INACTIVE_PERSON_DAYS", "99999"),
        ("DATA_CONTROLLER", "x" * 301),
    ],
)
def test_invalid_value_names_the_variable(monkeypatch, name, value):
    monkeypatch.setenv(name, value)
    with pytest.raises(ConfigError) as caught:
        load_settings(require_token=False)
    assert str(caught.value).startswith(f"{name} is invalid")
