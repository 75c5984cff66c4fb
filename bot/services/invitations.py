"""One-time invitations that give the police role, or the kommun role (the kommun's safety
office: aggregates only), for some kommuner.

The code is `secrets.token_urlsafe(24)` (32 characters, 192 bits); only its sha256 is
stored. It is redeemed by opening `https://t.me/<bot>?start=inv_<code>`.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.services.refusals import Refused
from bot.services.roles import Actor, Role, SystemActor, actor_id, require
from storage import roles as role_store
from storage.db import Database
from storage.roles import Invitation

INVITE_PAYLOAD_PREFIX = "inv_"
DEFAULT_EXPIRY = timedelta(days=7)
MAX_EXPIRY = timedelta(days=90)
_CODE_RE = re.compile(r"^[A-Za-z0-9_-]{20,60}$")
_DURATION_RE = re.compile(r"^\s*(\d{1,4})\s*([mhdw])\s*$")
_UNITS = {"m": "minutes", "h": "hours", "d": "days", "w": "weeks"}


def hash_code(code: str) -> str:
    """The stored form of an invitation code."""
    return hashlib.sha256(code.encode()).hexdigest()


def parse_duration(text: str) -> timedelta:
    """`30m`, `12h`, `7d`, `2w` → timedelta; ValueError if malformed, zero or over 90 days."""
    match = _DURATION_RE.fullmatch(text.lower())
    if match is None:
        raise ValueError(f"invalid duration {text!r} (use e.g. 12h, 7d, 2w)")
    value = timedelta(**{_UNITS[match.group(2)]: int(match.group(1))})
    if value <= timedelta(0) or value > MAX_EXPIRY:
        raise ValueError(f"duration must be between 1 minute and {MAX_EXPIRY.days} days")
    return value


@dataclass(frozen=True)
class NewInvitation:
    id: int
    code: str
    kommun_codes: tuple[str, ...]
    expires_at: datetime

    @property
    def payload(self) -> str:
        return INVITE_PAYLOAD_PREFIX + self.code


INVITABLE_ROLES = (Role.POLICE, Role.KOMMUN)
"""Roles granted per kommun by invitation link."""


async def create_police_invitation(
    db: Database,
    now: datetime,
    kommun_codes: list[str],
    *,
    actor: Actor,
    expires_in: timedelta = DEFAULT_EXPIRY,
) -> NewInvitation:
    """Create a single-use police invitation for these kommuner; the code is returned once.

    Refused (`core.not_allowed`) unless the actor is an admin or a system actor (the CLI);
    ValueError without kommuner."""
    return await create_invitation(
        db, now, Role.POLICE, kommun_codes, actor=actor, expires_in=expires_in
    )


async def create_invitation(
    db: Database,
    now: datetime,
    role: Role,
    kommun_codes: list[str],
    *,
    actor: Actor,
    expires_in: timedelta = DEFAULT_EXPIRY,
) -> NewInvitation:
    """Create a single-use invitation to `role` (police or kommun) for these kommuner; the
    code is returned once. Refused (`core.not_allowed`) unless the actor is an admin or a
    system actor (the CLI); ValueError for another role or no kommun."""
    require(isinstance(actor, SystemActor) or actor.is_admin)
    if role not in INVITABLE_ROLES:
        raise ValueError(f"no invitations for the role {role!r}")
    created_by = actor_id(actor)
    if not kommun_codes:
        raise ValueError("an invitation needs at least one kommun")
    codes = sorted(set(kommun_codes))
    code = secrets.token_urlsafe(24)
    expires_at = now + expires_in
    invitation_id = await role_store.create_invitation(
        db, hash_code(code), role, codes, created_by, now, expires_at
    )
    return NewInvitation(invitation_id, code, tuple(codes), expires_at)


def code_from_payload(payload: str) -> str | None:
    """The invitation code in a `/start inv_<code>` payload, None if it is not one."""
    if not payload.startswith(INVITE_PAYLOAD_PREFIX):
        return None
    code = payload[len(INVITE_PAYLOAD_PREFIX) :]
    return code if _CODE_RE.fullmatch(code) else None


async def redeem(db: Database, now: datetime, code: str, user_id: int) -> Invitation:
    """Use an invitation: whoever holds the code (the person `user_id`) gets its role.

    Raises `Refused("inv.unknown")`, `Refused("inv.used")` or `Refused("inv.expired")`."""
    result = await role_store.redeem_invitation(db, hash_code(code), user_id, now)
    if isinstance(result, str):
        raise Refused(f"inv.{result}")
    return result
