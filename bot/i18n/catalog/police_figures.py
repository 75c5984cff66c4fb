"""Texts of what became of a police alert in the groups: the per-group figures (/larmlista →
Per grupp, and their CSV) and the sender's report of the groups it did not reach.

Apart from police.py (the police tools that make and send an alert) because these texts
only describe an alert's delivery, in the alert list and the report after sending.
"""

from bot.i18n import Plural

SV = {
    # per-group figures (/larmlista → Per grupp)
    "police.figures.button": "📊 Per grupp #{id}",
    "police.figures.csv_button": "📄 CSV",
    "police.figures.title": Plural(
        "📊 <b>Larm #{id} per grupp</b> ({count} grupp)",
        "📊 <b>Larm #{id} per grupp</b> ({count} grupper)",
    ),
    "police.figures.empty": "Larmet har inte skickats till någon grupp.",
    "police.figures.line": "• <b>{group}</b> ({kommun}): levererat {when} · {members} · {seen}",
    "police.figures.members": Plural("{count} känd medlem", "{count} kända medlemmar"),
    "police.figures.seen": Plural("{count} har läst", "{count} har läst"),
    "police.figures.failed": "• <b>{group}</b> ({kommun}): ❌ inte levererat – {reason}",
    "police.figures.pending": "• <b>{group}</b> ({kommun}): ⏳ väntar på att skickas",
    "police.figures.more": Plural("… och {count} grupp till", "… och {count} grupper till"),
    "police.figures.csv_caption": "📄 Larm #{id} per grupp",
    "police.figures.csv.group": "Grupp",
    "police.figures.csv.kommun": "Kommun",
    "police.figures.csv.status": "Status",
    "police.figures.csv.delivered": "Levererat",
    "police.figures.csv.members": "Kända medlemmar",
    "police.figures.csv.seen": "Läst",
    "police.figures.csv.reason": "Orsak",
    "police.figures.status.sent": "levererat",
    "police.figures.status.failed": "misslyckades",
    "police.figures.status.skipped": "inte skickat",
    "police.figures.status.pending": "väntar",
    "police.figures.status.sending": "skickas",
    "police.figures.reason.forbidden": "jag får inte skriva där, troligen borttagen ur gruppen ({detail})",
    "police.figures.reason.inactive": "gruppen är inaktiv (jag är borttagen ur den)",
    "police.figures.reason.withdrawn": "larmet återkallades innan det hann skickas",
    "police.figures.reason.not_found": "gruppen finns inte längre i Telegram ({detail})",
    "police.figures.reason.topic": "gruppens ämne för larm är stängt eller borttaget ({detail})",
    "police.figures.reason.other": "Telegram tog inte emot meddelandet ({detail})",
    "police.report.failed_title": "Grupper som inte nåddes:",
    "police.report.failed_group": "• {group} ({kommun}): {reason}",
}

EN = {
    # per-group figures (/alerts → Per group)
    "police.figures.button": "📊 Per group #{id}",
    "police.figures.csv_button": "📄 CSV",
    "police.figures.title": Plural(
        "📊 <b>Alert #{id} per group</b> ({count} group)",
        "📊 <b>Alert #{id} per group</b> ({count} groups)",
    ),
    "police.figures.empty": "The alert has not been sent to any group.",
    "police.figures.line": "• <b>{group}</b> ({kommun}): delivered {when} · {members} · {seen}",
    "police.figures.members": Plural("{count} known member", "{count} known members"),
    "police.figures.seen": Plural("{count} has read it", "{count} have read it"),
    "police.figures.failed": "• <b>{group}</b> ({kommun}): ❌ not delivered – {reason}",
    "police.figures.pending": "• <b>{group}</b> ({kommun}): ⏳ waiting to be sent",
    "police.figures.more": Plural("… and {count} more group", "… and {count} more groups"),
    "police.figures.csv_caption": "📄 Alert #{id} per group",
    "police.figures.csv.group": "Group",
    "police.figures.csv.kommun": "Municipality",
    "police.figures.csv.status": "Status",
    "police.figures.csv.delivered": "Delivered",
    "police.figures.csv.members": "Known members",
    "police.figures.csv.seen": "Read",
    "police.figures.csv.reason": "Reason",
    "police.figures.status.sent": "delivered",
    "police.figures.status.failed": "failed",
    "police.figures.status.skipped": "not sent",
    "police.figures.status.pending": "waiting",
    "police.figures.status.sending": "sending",
    "police.figures.reason.forbidden": "I may not post there, probably removed from the group ({detail})",
    "police.figures.reason.inactive": "the group is inactive (I was removed from it)",
    "police.figures.reason.withdrawn": "the alert was withdrawn before it was sent",
    "police.figures.reason.not_found": "the group no longer exists in Telegram ({detail})",
    "police.figures.reason.topic": "the group's topic for alerts is closed or deleted ({detail})",
    "police.figures.reason.other": "Telegram did not accept the message ({detail})",
    "police.report.failed_title": "Groups not reached:",
    "police.report.failed_group": "• {group} ({kommun}): {reason}",
}
