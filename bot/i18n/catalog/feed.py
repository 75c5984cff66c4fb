"""Texts for the police's open events feed: messages to groups, the /polisen panel, status."""

SV = {
    "feed.message": (
        "🚓 <b>Från polisens händelselista</b>\n"
        "{emoji} <b>{type}</b> · {place}\n"
        "🕒 {time}\n\n"
        "{summary}\n\n"
        '<a href="{url}">Läs mer på polisen.se</a>\n'
        "<i>Hämtat automatiskt ur polisens öppna lista över händelser – inte ett utskick från en polis i Grannvakt.</i>\n"
        "Pågående brott: ring 112. Tips till polisen: 114 14."
    ),
    "feed.replay_mark": "🔁 <b>Uppspelning för demo – ingen ny händelse</b>\n",
    "feed.time_unknown": "okänd tid",
    "feed.updated": "✏️ Uppdaterad: polisen har ändrat händelsen ovan.",
    "feed.edit_fallback": "✏️ <b>Polisen har uppdaterat händelsen</b>\n",
    "feed.gone_admin": "⚠️ Polisens händelselista svarar 404 på {url}. Jag anropar inte den adressen igen; kontrollera POLICE_FEED_URL.",
    "cmd.feed": "Polisens händelselista: inställningar och status",
    "feed.not_registered": "Den här gruppen är inte registrerad än. Registrera den först, sedan kan du välja händelser från polisen.",
    "feed.no_groups": "Du har inga grupper att ställa in för polisens händelselista.",
    "feed.choose": "🚓 <b>Polisens händelselista</b> – välj grupp:",
    "feed.panel": (
        "🚓 <b>Polisens händelselista för {group}</b>\n"
        "Jag hämtar polisens händelser från polisen.se och skickar hit dem som gäller "
        "er kommun.\n\n"
        "Kategorier: {categories}\n"
        "Händelser för hela länet: {lan}\n"
        "Tysta timmar: {quiet}\n\n"
        "<i>Tryck på en kategori för att slå på eller av den. Under tysta timmar skickas "
        "händelser direkt men utan ljud.</i>"
    ),
    "feed.cat.burglary": "Inbrott och stöld",
    "feed.cat.vandalism": "Skadegörelse",
    "feed.cat.fraud": "Bedrägeri",
    "feed.cat.vehicle_found": "Stulet fordon hittat",
    "feed.cat.drugs": "Narkotika",
    "feed.cat.traffic": "Trafik",
    "feed.cat.none": "inga",
    "feed.lan.message": "som meddelanden",
    "feed.lan.summary": "bara i veckans lägesbild",
    "feed.lan.off": "inte alls",
    "feed.quiet.off": "av",
    "feed.quiet.off_button": "Inga tysta timmar",
    "feed.quiet.range": "{start}–{end}",
    "feed.btn.lan": "🗺️ Hela länet",
    "feed.btn.quiet": "🌙 Tysta timmar",
    "feed.btn.back": "⬅️ Tillbaka",
    "feed.pick.lan": "Hur ska händelser som gäller hela länet (utan kommun) komma?",
    "feed.pick.quiet": "Vilka tysta timmar ska gruppen ha?",
    "feed.saved": "Sparat.",
    "feed.not_allowed": "Bara gruppens kontaktombud kan ändra vad polisens händelselista skickar hit.",
    "feed.health": (
        "🚓 <b>Polisens händelselista – status</b>\n\n"
        "Påslagen: {enabled}\n"
        "Adress: {url}\n"
        "Senaste anrop: {last_call}\n"
        "Senaste lyckade hämtning: {last_ok}\n"
        "Anrop senaste dygnet: {calls_day}\n"
        "Nya händelser senaste dygnet: {events_day}\n"
        "Meddelanden till grupper senaste dygnet: {sent_day}\n"
        "Fel och misstänkta svar senaste dygnet: {errors}\n"
        "Nästa anrop tidigast: {next_call}\n"
        "Okända typer: {unknown}"
    ),
    "feed.yes": "ja",
    "feed.no": "nej",
    "feed.never": "aldrig",
    "feed.none": "inga",
    "feed.now": "nu",
    "feed.gone": "stoppad (404)",
    "feed.outcome.ok": "ok",
    "feed.outcome.baseline": "första hämtningen: händelserna sparades, inget skickades",
    "feed.outcome.suspect": "misstänkt svar ({why}), inget skickades",
    "feed.outcome.suspect.empty": "tomt",
    "feed.outcome.suspect.one_type": "bara en händelsetyp",
    "feed.outcome.suspect.stale_window": "mest gamla händelser",
    "feed.outcome.http_404": "404: adressen anropas inte igen",
    "feed.outcome.http_429": "för många anrop (429), väntar",
    "feed.outcome.http": "fel från servern (HTTP {status})",
    "feed.outcome.timeout": "inget svar i tid",
    "feed.outcome.network": "nätverksfel",
    "feed.outcome.bad_body": "svaret gick inte att läsa",
    "feed.outcome.pending": "pågår",
    "feed.outcome.other": "fel ({code})",
    "feed.digest.kommun": "Polisens händelselista: {items}",
    "feed.digest.lan": "Polisens händelser för hela länet (utan kommun): {count}",
}

EN = {
    "feed.message": (
        "🚓 <b>From the police's event list</b>\n"
        "{emoji} <b>{type}</b> · {place}\n"
        "🕒 {time}\n\n"
        "{summary}\n\n"
        '<a href="{url}">Read more on polisen.se</a>\n'
        "<i>Taken automatically from the police's public list of events – not sent by a police officer in Grannvakt.</i>\n"
        "Crime in progress: call 112. Tips to the police: 114 14."
    ),
    "feed.replay_mark": "🔁 <b>Replay for a demo – not a new event</b>\n",
    "feed.time_unknown": "time unknown",
    "feed.updated": "✏️ Updated: the police changed the event above.",
    "feed.edit_fallback": "✏️ <b>The police updated this event</b>\n",
    "feed.gone_admin": "⚠️ The police's event list answers 404 at {url}. I will not call that address again; check POLICE_FEED_URL.",
    "cmd.feed": "The police's event list: settings and status",
    "feed.not_registered": "This group is not registered yet. Register it first, then you can choose events from the police.",
    "feed.no_groups": "You have no groups to set up for the police's event list.",
    "feed.choose": "🚓 <b>The police's event list</b> – choose a group:",
    "feed.panel": (
        "🚓 <b>The police's event list for {group}</b>\n"
        "I fetch the police's events from polisen.se and send the ones about "
        "your kommun here.\n\n"
        "Categories: {categories}\n"
        "Events for the whole county: {lan}\n"
        "Quiet hours: {quiet}\n\n"
        "<i>Tap a category to switch it on or off. During quiet hours events are sent at "
        "once but without sound.</i>"
    ),
    "feed.cat.burglary": "Burglary and theft",
    "feed.cat.vandalism": "Vandalism",
    "feed.cat.fraud": "Fraud",
    "feed.cat.vehicle_found": "Stolen vehicle found",
    "feed.cat.drugs": "Drugs",
    "feed.cat.traffic": "Traffic",
    "feed.cat.none": "none",
    "feed.lan.message": "as messages",
    "feed.lan.summary": "only in the weekly situation report",
    "feed.lan.off": "not at all",
    "feed.quiet.off": "off",
    "feed.quiet.off_button": "No quiet hours",
    "feed.quiet.range": "{start}–{end}",
    "feed.btn.lan": "🗺️ Whole county",
    "feed.btn.quiet": "🌙 Quiet hours",
    "feed.btn.back": "⬅️ Back",
    "feed.pick.lan": "How should events for the whole county (no kommun) arrive?",
    "feed.pick.quiet": "Which quiet hours should the group have?",
    "feed.saved": "Saved.",
    "feed.not_allowed": "Only the group's coordinators can change what the police's event list sends here.",
    "feed.health": (
        "🚓 <b>The police's event list – status</b>\n\n"
        "Enabled: {enabled}\n"
        "Address: {url}\n"
        "Last call: {last_call}\n"
        "Last successful fetch: {last_ok}\n"
        "Calls in the last day: {calls_day}\n"
        "New events in the last day: {events_day}\n"
        "Messages to groups in the last day: {sent_day}\n"
        "Errors and suspect answers in the last day: {errors}\n"
        "Next call at the earliest: {next_call}\n"
        "Unknown types: {unknown}"
    ),
    "feed.yes": "yes",
    "feed.no": "no",
    "feed.never": "never",
    "feed.none": "none",
    "feed.now": "now",
    "feed.gone": "stopped (404)",
    "feed.outcome.ok": "ok",
    "feed.outcome.baseline": "first fetch: the events were saved, nothing was sent",
    "feed.outcome.suspect": "suspect answer ({why}), nothing was sent",
    "feed.outcome.suspect.empty": "empty",
    "feed.outcome.suspect.one_type": "only one event type",
    "feed.outcome.suspect.stale_window": "mostly old events",
    "feed.outcome.http_404": "404: this address will not be called again",
    "feed.outcome.http_429": "too many calls (429), waiting",
    "feed.outcome.http": "server error (HTTP {status})",
    "feed.outcome.timeout": "no answer in time",
    "feed.outcome.network": "network error",
    "feed.outcome.bad_body": "the answer could not be read",
    "feed.outcome.pending": "in progress",
    "feed.outcome.other": "error ({code})",
    "feed.digest.kommun": "The police's event list: {items}",
    "feed.digest.lan": "Police events for the whole county (no kommun): {count}",
}
