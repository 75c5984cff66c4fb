"""The witness relay's button, on the police card of an observation whose reporter agreed
to show their name (handlers/observations_render.py puts it there)."""

from __future__ import annotations

from bot.callbacks import CallbackData


class WitnessContact(CallbackData, prefix="wcontact"):
    """Start contacting the reporter of an observation (re-checked when pressed)."""

    observation_id: int
