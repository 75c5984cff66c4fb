"""A person's rights over their data: a copy of it (/minadata), erasure (/glommig), and the
access log that records who opened observations or exported them.

No Telegram types here: the handler passes a `NoticeRenderer` (for retracting delivered
notices of the reports being deleted) and turns the results into messages.
"""

from __future__ import annotations

import dataclasses
import html
import json
import secrets
from dataclasses import dataclass
from typing import Any

from bot.clock import Clock
from bot.ratelimit import PRIORITY_SCHEDULED
from bot.services import observation_notices as notices
from bot.services.people import PeopleService
from storage import groups as group_store
from storage import observation_lists
from storage import observations as observation_store
from storage import privacy as store
from storage import privacy_erasure as erasure_store
from storage import roles as role_store
from storage.db import Database
from storage.menus import MENU_RESET_KIND
from storage.outbox import OutgoingMessage, SendOp
from storage.privacy_erasure import ErasureCounts

ERASED_NAME = "—"  # what a pending message shows where the erased person's name was
FORMAT_VERSION = 1  # of the /minadata JSON document


async def my_data(db: Database, clock: Clock, user_id: int) -> dict[str, Any]:
    """Everything stored about the person, as one JSON-able document (see storage.privacy);
    `generated_at` is now (UTC, ISO 8601)."""
    data = await store.person_data(db, user_id)
    return {"format": FORMAT_VERSION, "generated_at": clock.now().isoformat(), **data}


def as_json(document: dict[str, Any]) -> bytes:
    """The document as the UTF-8 JSON file the person receives."""
    return json.dumps(document, ensure_ascii=False, indent=2).encode("utf-8")


@dataclass(frozen=True)
class Erasure:
    """What an erasure did: counts, and the references of the reports kept anonymised."""

    counts: ErasureCounts


def _names(first: str, last: str | None, username: str | None) -> list[str]:
    """The strings that identify the person in a stored message text (JSON, HTML-escaped)."""
    full = " ".join(part for part in (first, last or "") if part).strip()
    candidates = {full, html.escape(full)}
    if username:
        candidates |= {f"@{username}", username}
    if last:  # a first name alone is too common to search other people's messages for
        candidates |= {first, html.escape(first)}
    # Stored payloads are JSON; a name with quotes or backslashes appears escaped there.
    encoded = {json.dumps(c, ensure_ascii=False)[1:-1] for c in candidates}
    return sorted((c for c in candidates | encoded if len(c) >= 3), key=len, reverse=True)


def _scrubber(names: list[str]) -> Any:
    def scrub(payload: str) -> str:
        for name in names:
            payload = payload.replace(name, ERASED_NAME)
        return payload

    return scrub


async def _retractions(
    db: Database, people: PeopleService, render: notices.NoticeRenderer | None, user_id: int
) -> dict[int, list[OutgoingMessage]]:
    """Per report that erasure deletes: edits that turn its delivered coordinator notices
    into "withdrawn" (no details), so its text no longer shows in anyone's chat."""
    if render is None:
        return {}
    found: dict[int, list[OutgoingMessage]] = {}
    for item in await observation_lists.list_for_reporter(db, user_id, 10_000):
        if item.status not in erasure_store.ERASED_STATUSES or item.status == "withdrawn":
            continue  # a withdrawn report's notices were already edited
        obs = await observation_store.get_observation(db, item.id)
        if obs is None:
            continue
        edits = await notices.withdrawn_edits(db, people, render, obs)
        found[obs.id] = [dataclasses.replace(edit, ref_id=None) for edit in edits]
    return found


async def groups_only_they_coordinate(db: Database, user_id: int) -> list[str]:
    """The area names of the registered groups whose only coordinator is `user_id`:
    erasing them leaves these groups with none (their reports then reach nobody)."""
    names = []
    for grant in await role_store.roles_for_user(db, user_id):
        if grant.role != "coordinator" or not grant.scope.isdecimal():
            continue
        if await role_store.holders(db, "coordinator", grant.scope) != [user_id]:
            continue
        group = await group_store.get_group(db, int(grant.scope))
        if group is not None and group.is_registered:
            names.append(group.area_name or group.title)
    return names


async def erase(
    db: Database,
    clock: Clock,
    people: PeopleService,
    user_id: int,
    render: notices.NoticeRenderer | None = None,
    *,
    audit: bool = True,
) -> Erasure:
    """Erase the person (docs/privacy.md "Erasure"): profile pseudonymised, memberships,
    acknowledgements and roles removed, their new and withdrawn reports deleted with
    photos, other reports kept without them, messages to or about them no longer sent,
    their private chat's own command menu removed on Telegram (by the delivery worker).
    Idempotent: a second call finds nothing more to erase."""
    profile = await store.person_data(db, user_id)
    record = profile["profile"] or {}
    names = _names(record.get("first_name", ""), record.get("last_name"), record.get("username"))
    edits = await _retractions(db, people, render, user_id)
    pseudonym = -(secrets.randbelow(2**52) + 1)  # no Telegram user has a negative id
    while await erasure_store.pseudonym_taken(db, pseudonym):
        pseudonym = -(secrets.randbelow(2**52) + 1)
    counts = await erasure_store.erase_person(
        db,
        user_id,
        pseudonym,
        clock.now(),
        scrub=_scrubber(names),
        edits=edits,
        names=names,
        menu_reset=OutgoingMessage(
            PRIORITY_SCHEDULED, MENU_RESET_KIND, SendOp("reset_menu", {}), chat_id=user_id
        ),
        audit=audit,
    )
    people.forget(user_id)
    return Erasure(counts)


async def record_access(
    db: Database,
    clock: Clock,
    actor_id: int | None,
    what: str,
    subject: str,
    **details: Any,
) -> None:
    """Write one access-log entry: who (`actor_id`, None for the command line) opened what
    (`what`: "observation" or "export") of which `subject`, now. Never personal data of
    others in `details`: references, counts and periods only."""
    await store.record_access(db, clock.now(), actor_id, what, subject, details)
