"""The lägesbild charts that come with the Monday digest, and the coordinators' setting.

Who gets a chart (as a photo after the text):

* police officers and the kommun role: the chart of their kommuner (all of them in one);
* coordinators, for each group whose coordinators turned it on in /grupp (off by
  default): the group's chart (its observations and alerts, its kommun's police events).

The chart covers the four whole ISO weeks before the digest's Monday (weeks 45–48 on the
Monday of week 49) and is sent only when they hold an observation or a police event.

A round prepares every chart before anything is enqueued (:meth:`DigestCharts.prepare`):
the aggregates of all scopes with one query each, then the PNGs in worker processes
(bot/services/lagesbild_render.draw_charts), so the bot's event loop keeps answering
people meanwhile. One PNG per (scope, language) serves everyone with that scope.
"""

from __future__ import annotations

import base64
from collections.abc import Sequence
from datetime import datetime, tzinfo

from bot.i18n import t
from bot.ratelimit import PRIORITY_SCHEDULED
from bot.services import lagesbild, lagesbild_render
from bot.services.digest_content import KIND
from bot.services.lagesbild import Lagesbild, PeriodKind, Scope
from bot.services.roles import (
    Actor,
    ChatAdminCheck,
    actor_id,
    require_group_manager,
)
from storage import digest_charts as store
from storage import digests as digest_store
from storage.db import Database
from storage.digests import Recipient
from storage.outbox import OutgoingMessage, SendOp

ChartKey = tuple[Scope, str]  # (scope, language)


async def group_chart_on(db: Database, group_id: int) -> bool:
    """True when the group's coordinators get its chart with the Monday digest."""
    return group_id in await store.chart_groups(db, [group_id])


async def set_group_chart(
    db: Database,
    actor: Actor,
    is_chat_admin: ChatAdminCheck,
    group_id: int,
    on: bool,
    now: datetime,
) -> bool:
    """Turn the group's digest chart on or off (audited). Only a stored coordinator of the
    group whom Telegram calls an admin of its chat now (or a system actor) may:
    `Refused("core.not_allowed")` otherwise, whatever a button said. False when it already
    was so."""
    await require_group_manager(db, is_chat_admin, actor, group_id)
    return await store.set_chart(db, group_id, on, actor_id(actor), now)


class DigestCharts:
    """The charts of one digest round; :meth:`prepare` first, then :meth:`messages_for`."""

    def __init__(self, db: Database, digest_end: datetime, tz: tzinfo) -> None:
        self._db = db
        self._period = lagesbild.period_ending(PeriodKind.WEEKS4, digest_end, tz)
        self._payloads: dict[ChartKey, dict[str, str]] = {}
        self._chart_groups: set[int] = set()

    @staticmethod
    def kommun_scope(recipient: Recipient) -> Scope | None:
        codes = tuple(sorted(set(recipient.kommun_codes) | set(recipient.kommun_role_codes)))
        return Scope(kommun_codes=codes) if codes else None

    def _scopes(self, recipient: Recipient) -> list[Scope]:
        scopes = [Scope(group_ids=(g,)) for g in recipient.group_ids if g in self._chart_groups]
        kommun = self.kommun_scope(recipient)
        return [*scopes, kommun] if kommun else scopes

    async def prepare(self, wanted: Sequence[tuple[Recipient, str]]) -> int:
        """Collect and draw every chart these (recipient, language) pairs get; how many
        charts were drawn."""
        group_ids = sorted({g for r, _ in wanted for g in r.group_ids})
        self._chart_groups = await store.chart_groups(self._db, group_ids)
        names = {
            g.id: g.area_name
            for g in (
                await digest_store.registered_groups(self._db, sorted(self._chart_groups))
            ).values()
        }
        self._chart_groups &= set(names)  # registered groups only
        keys = sorted(
            {(scope, lang) for r, lang in wanted for scope in self._scopes(r)},
            key=lambda k: (k[0].kommun_codes, k[0].group_ids, k[1]),
        )
        pictures: dict[Scope, Lagesbild] = {}
        for of_groups in (False, True):
            scopes = sorted(
                {s for s, _ in keys if bool(s.group_ids) == of_groups},
                key=lambda s: (s.kommun_codes, s.group_ids),
            )
            collected = await lagesbild.collect_each(self._db, scopes, self._period)
            pictures.update(zip(scopes, collected, strict=True))
        drawn = [k for k in keys if pictures[k[0]].observation_total + pictures[k[0]].feed_total]

        def name(scope: Scope, lang: str) -> str:
            if scope.group_ids:
                return names[scope.group_ids[0]]
            return lagesbild_render.scope_title(lang, scope)

        jobs = [
            (
                pictures[scope],
                lang,
                lagesbild_render.title_lines(lang, scope, self._period, name(scope, lang)),
            )
            for scope, lang in drawn
        ]
        pngs = await lagesbild_render.draw_charts(jobs)
        for (scope, lang), png in zip(drawn, pngs, strict=True):
            caption = t(
                lang,
                "lagesbild.digest.caption",
                scope=name(scope, lang),
                period=lagesbild_render.period_text(lang, self._period),
            )
            self._payloads[(scope, lang)] = {
                "photo_png": base64.b64encode(png).decode(),
                "text": caption,
            }
        return len(drawn)

    def messages_for(self, recipient: Recipient, lang: str) -> list[OutgoingMessage]:
        """The chart photos for `recipient` (prepared), groups first; [] when none."""
        return [
            OutgoingMessage(
                priority=PRIORITY_SCHEDULED,
                kind=KIND,
                message=SendOp("photo_png", payload),
                chat_id=recipient.user_id,
            )
            for scope in self._scopes(recipient)
            if (payload := self._payloads.get((scope, lang))) is not None
        ]
