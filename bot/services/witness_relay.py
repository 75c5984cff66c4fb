"""Contacting a witness: an officer and a resident who reported an observation under their
name write to each other through the bot (issue #14).

Neither side ever learns the other's Telegram id, username or phone: each message is
re-sent by the bot as its own text (never forwarded or copied, which could carry the
sender), the resident sees the officer's display title (/profil) and the officer the
observation's reference. Each relayed message is an audit entry (who, when, never the
text); either side ends the contact with /avsluta (/end). One open contact per person.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.services.observations import Viewer, may_view
from bot.services.refusals import Refused
from bot.services.roles import Access, access_of, require
from config import Settings
from storage import observations as observation_store
from storage import places as place_store
from storage import relay as relay_store
from storage.db import Database
from storage.relay import RelaySession

MAX_MESSAGE = 3000
"""Longest relayed text (UTF-16 code units, as Telegram counts)."""


@dataclass(frozen=True)
class Started:
    session: RelaySession
    reference: str  # the observation's reference, shown to both sides


def may_contact(access: Access, show_identity: bool, forwarded_to: str | None) -> bool:
    """Police of the kommun an observation was forwarded to, when its reporter agreed to
    show their name."""
    return show_identity and forwarded_to is not None and access.polices(forwarded_to)


async def start(db: Database, now: datetime, access: Access, observation_id: int) -> Started:
    """Open a contact between the officer and the observation's reporter, audited.

    Refused: `core.not_allowed` (not police of the kommun it was forwarded to, or the
    reporter did not agree to show their name), `police.profile.needed` (no display title
    yet: the resident must be told who contacts them), `police.relay.busy` (either side is
    in another contact)."""
    obs = await observation_store.get_observation(db, observation_id)
    require(
        obs is not None
        and may_view(access, obs, Viewer.POLICE)
        and may_contact(access, obs.show_identity, obs.forward_kommun)
    )
    assert obs is not None
    title = await place_store.display_title(db, access.user_id)
    if title is None:
        raise Refused("police.profile.needed")
    if obs.reporter_id == access.user_id:
        raise Refused("core.not_allowed")
    session = await relay_store.start_session(
        db, obs.id, access.user_id, obs.reporter_id, title, now
    )
    if session is None:
        raise Refused("police.relay.busy")
    return Started(session, obs.reference)


async def session_of(db: Database, user_id: int) -> RelaySession | None:
    """The open contact the person takes part in, if any."""
    return await relay_store.open_session_of(db, user_id)


async def reference_of(db: Database, session: RelaySession) -> str:
    obs = await observation_store.get_observation(db, session.observation_id)
    return obs.reference if obs is not None else "?"


async def still_allowed(db: Database, settings: Settings, session: RelaySession) -> bool:
    """Whether the officer may still contact this witness (roles re-read from storage:
    police of the kommun the report was forwarded to)."""
    obs = await observation_store.get_observation(db, session.observation_id)
    if obs is None:
        return False
    access = await access_of(db, settings, session.officer_id)
    return may_contact(access, obs.show_identity, obs.forward_kommun)


async def log_relayed(db: Database, now: datetime, session: RelaySession, sender_id: int) -> None:
    """Audit one relayed message (who, when). Refused unless the sender takes part."""
    require(sender_id in (session.officer_id, session.resident_id))
    await relay_store.log_relayed(db, session, sender_id, now)


async def end(db: Database, now: datetime, user_id: int) -> RelaySession | None:
    """End the person's open contact (either side may); the session, or None if they had
    none (or it was ended at the same moment by the other side)."""
    session = await relay_store.open_session_of(db, user_id)
    if session is None or not await relay_store.end_session(db, session.id, user_id, now):
        return None
    return session


async def open_participants(db: Database) -> set[int]:
    """Everyone in an open contact (their private text is relayed)."""
    return await relay_store.open_participants(db)
