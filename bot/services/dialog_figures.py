"""Numbers of medborgardialog and närvaro per kommun and period, for the lägesbild and the
weekly digest: surveys, participation per poll (voters), announced presences."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from storage import presence as presence_store
from storage import surveys as survey_store
from storage.db import Database
from storage.surveys import PollParticipation


@dataclass(frozen=True)
class DialogFigures:
    """One kommun's figures for a period (created_at in [start, end)).

    surveys: surveys that reached a group of the kommun; polls: their polls sent there;
    voters: everyone who answered those polls (the sum of each poll's total voters);
    presences: presences announced to a group of the kommun; participation: per poll."""

    kommun_code: str | None
    surveys: int = 0
    voters: int = 0
    presences: int = 0
    participation: list[PollParticipation] = field(default_factory=list)

    @property
    def polls(self) -> int:
        return len(self.participation)

    @property
    def activity(self) -> int:
        return self.surveys + self.presences


async def figures_by_kommun(
    db: Database, start: datetime, end: datetime, kommun_codes: list[str] | None = None
) -> dict[str | None, DialogFigures]:
    """{kommun code: figures} for the kommuner with any survey or presence in the period
    (all kommuner, or only `kommun_codes`). Groups without a kommun are under None."""
    polls = await survey_store.participation(db, start, end, kommun_codes)
    presences = await presence_store.count_by_kommun(db, start, end, kommun_codes)
    codes = {p.kommun_code for p in polls} | set(presences)
    out: dict[str | None, DialogFigures] = {}
    for code in codes:
        mine = [p for p in polls if p.kommun_code == code]
        out[code] = DialogFigures(
            code,
            surveys=len({p.survey_id for p in mine}),
            voters=sum(p.total_voters for p in mine),
            presences=presences.get(code, 0),
            participation=mine,
        )
    return out
