"""Texts for the weekly lägesbild digest to coordinators and police (bot/services/digests.py)."""

from bot.i18n import Plural

SV = {
    "digest.title": "📋 <b>Veckans lägesbild</b>\n{start} – {end}",
    "digest.coordinator.heading": "<b>Dina grupper</b>",
    "digest.police.heading": "<b>Dina kommuner (polis)</b>",
    "digest.group.title": "🏘 <b>{area}</b>",
    "digest.group.observations": "Iakttagelser: {count} – {categories}",
    "digest.group.no_observations": "Iakttagelser: inga",
    "digest.group.statuses": "Status: {statuses}",
    "digest.group.unreviewed": "⚠️ Väntar på granskning: {count}",
    "digest.group.alerts": "Larm: {count}, markerade som lästa: {seen}",
    "digest.kommun.title": "🚓 <b>{kommun}</b>",
    "digest.kommun.forwards": "Skickade till polisen: {count} (hanterade {handled}, väntar {waiting})",
    "digest.kommun.observations": "Iakttagelser i grupperna: {count} – {categories}",
    "digest.kommun.alerts": Plural(
        "Larm: {alerts} till {count} grupp, levererade {delivered}, markerade som lästa: {seen}",
        "Larm: {alerts} till {count} grupper, levererade {delivered}, markerade som lästa: {seen}",
    ),
    "digest.item": "{label} {count}",
    "digest.more": "…och {count} till",
    "digest.quiet": Plural(
        "Inget nytt i {count} grupp till.", "Inget nytt i {count} grupper till."
    ),
    "digest.quiet_kommuner": Plural(
        "Inget nytt i {count} kommun till.", "Inget nytt i {count} kommuner till."
    ),
    "digest.coordinator.footer": "Mer: /observationer",
    "digest.police.footer": "Mer: /inkorg",
}

EN = {
    "digest.title": "📋 <b>Weekly situation report</b>\n{start} – {end}",
    "digest.coordinator.heading": "<b>Your groups</b>",
    "digest.police.heading": "<b>Your kommuner (police)</b>",
    "digest.group.title": "🏘 <b>{area}</b>",
    "digest.group.observations": "Observations: {count} – {categories}",
    "digest.group.no_observations": "Observations: none",
    "digest.group.statuses": "Status: {statuses}",
    "digest.group.unreviewed": "⚠️ Waiting for review: {count}",
    "digest.group.alerts": "Alerts: {count}, marked as read: {seen}",
    "digest.kommun.title": "🚓 <b>{kommun}</b>",
    "digest.kommun.forwards": "Forwarded to the police: {count} (handled {handled}, waiting {waiting})",
    "digest.kommun.observations": "Observations in the groups: {count} – {categories}",
    "digest.kommun.alerts": Plural(
        "Alerts: {alerts} to {count} group, delivered {delivered}, marked as read: {seen}",
        "Alerts: {alerts} to {count} groups, delivered {delivered}, marked as read: {seen}",
    ),
    "digest.item": "{label} {count}",
    "digest.more": "…and {count} more",
    "digest.quiet": Plural(
        "Nothing new in {count} more group.", "Nothing new in {count} more groups."
    ),
    "digest.quiet_kommuner": Plural(
        "Nothing new in {count} more kommun.", "Nothing new in {count} more kommuner."
    ),
    "digest.coordinator.footer": "More: /observations",
    "digest.police.footer": "More: /inbox",
}
