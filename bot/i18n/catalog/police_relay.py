"""Texts of the witness relay (Kontakta): an officer and a resident who reported an
observation write to each other through the bot, without seeing each other's account.

Apart from police.py because the relay is a conversation of its own (handlers/witness_relay.py),
with its own start, messages and ending.
"""

SV = {
    # the witness relay
    "police.relay.button": "💬 Kontakta",
    "police.relay.busy": "Du eller vittnet har redan en pågående kontakt. Avsluta den med /avsluta.",
    "police.relay.unreachable": (
        "Jag når inte personen som rapporterade {reference} (hen har inte startat mig "
        "eller har blockerat mig). Kontakten avslutades."
    ),
    "police.relay.to_officer.start": (
        "💬 Kontakt med vittnet till {reference} är öppnad. Det du skriver här skickar jag "
        "vidare, och svaren kommer hit. Ingen av er ser den andras Telegram-konto. "
        "Avsluta med /avsluta."
    ),
    "police.relay.to_resident.start": (
        "👮 <b>{title}</b> vill kontakta dig om din rapport {reference}. Det du skriver här "
        "skickar jag vidare, och svaren kommer hit. Polisen ser inte ditt Telegram-konto "
        "eller telefonnummer. Avsluta när du vill med /avsluta."
    ),
    "police.relay.from_officer": "👮 <b>{title}</b>:\n{text}",
    "police.relay.from_resident": "💬 <b>Vittnet ({reference})</b>:\n{text}",
    "police.relay.sent": "✓ Skickat.",
    "police.relay.text_only": "Jag skickar bara vidare text. Skriv ditt meddelande.",
    "police.relay.none": "Du har ingen pågående kontakt.",
    "police.relay.gone": "Den andra parten går inte att nå längre. Kontakten avslutades.",
    "police.relay.revoked": (
        "Kontakten kan inte fortsätta (behörigheten har ändrats), så den avslutades. "
        "Meddelandet skickades inte."
    ),
    "police.relay.ended_by_you": "Kontakten är avslutad.",
    "police.relay.ended_by_officer": "<b>{title}</b> har avslutat kontakten. Tack för din hjälp!",
    "police.relay.ended_by_resident": "Vittnet har avslutat kontakten.",
}

EN = {
    "police.relay.button": "💬 Contact",
    "police.relay.busy": "You or the witness already have an open contact. End it with /end.",
    "police.relay.unreachable": (
        "I can't reach the person who reported {reference} (they haven't started me or have "
        "blocked me). The contact was ended."
    ),
    "police.relay.to_officer.start": (
        "💬 Contact with the witness of {reference} is open. What you write here I pass on, "
        "and the answers come here. Neither of you sees the other's Telegram account. "
        "End it with /end."
    ),
    "police.relay.to_resident.start": (
        "👮 <b>{title}</b> would like to contact you about your report {reference}. What you "
        "write here I pass on, and the answers come here. The police don't see your "
        "Telegram account or phone number. End it whenever you like with /end."
    ),
    "police.relay.from_officer": "👮 <b>{title}</b>:\n{text}",
    "police.relay.from_resident": "💬 <b>The witness ({reference})</b>:\n{text}",
    "police.relay.sent": "✓ Sent.",
    "police.relay.text_only": "I only pass on text. Please write your message.",
    "police.relay.none": "You have no open contact.",
    "police.relay.gone": "The other side can no longer be reached. The contact was ended.",
    "police.relay.revoked": (
        "The contact cannot go on (permissions have changed), so it was ended. "
        "The message was not sent."
    ),
    "police.relay.ended_by_you": "The contact is ended.",
    "police.relay.ended_by_officer": "<b>{title}</b> has ended the contact. Thank you for your help!",
    "police.relay.ended_by_resident": "The witness has ended the contact.",
}
