"""Texts for residents' observations: the report dialogue, triage, police inbox, export."""

from bot.i18n import Plural

SV = {
    "obs.cmd.report": "Rapportera en iakttagelse till kontaktombuden",
    "obs.cmd.myreports": "Dina rapporter och deras status",
    "obs.cmd.observations": "Gå igenom gruppernas iakttagelser",
    "obs.cmd.inbox": "Iakttagelser som skickats till polisen",
    "obs.cmd.export": "Hämta iakttagelser som CSV-fil",
    "obs.intro": (
        "🚨 Pågående brott: ring <b>112</b>. Andra tips till polisen: <b>114 14</b>.\n"
        "Din rapport går till gruppens kontaktombud, inte direkt till polisen."
    ),
    "obs.no_group": (
        "Du är inte med i någon registrerad grannsamverkansgrupp hos mig ännu. "
        "Be ert kontaktombud om gruppens länk och öppna den – då vet jag att du hör till "
        "gruppen och kan ta emot din rapport."
    ),
    "obs.not_member": (
        "Du är inte längre med i den gruppen, så rapporten kunde inte sparas. Här är din "
        "beskrivning, så att du kan kopiera den:\n\n<blockquote>{description}</blockquote>\n\n"
        "Tips till polisen lämnar du på <b>114 14</b> (vid pågående brott: ring <b>112</b>)."
    ),
    "obs.group_gone": (
        "Gruppen är inte längre registrerad hos mig, så rapporten kunde inte sparas. Här är "
        "din beskrivning, så att du kan kopiera den:\n\n<blockquote>{description}</blockquote>\n\n"
        "Tips till polisen lämnar du på <b>114 14</b> (vid pågående brott: ring <b>112</b>)."
    ),
    "obs.rate_limited": Plural(
        "Du har redan skickat {count} rapport den senaste timmen. Försök igen lite senare. "
        "Är det bråttom: ring 112 (pågående brott) eller 114 14.",
        "Du har redan skickat {count} rapporter den senaste timmen. Försök igen lite senare. "
        "Är det bråttom: ring 112 (pågående brott) eller 114 14.",
    ),
    "obs.ask.group": "Vilken grupp gäller det?",
    "obs.ask.category": "Vad gäller det?",
    "obs.ask.when": "När såg du det?",
    "obs.link.join_group_first": (
        "{advice}\n\nDin rapport kan du skriva här nedanför redan nu: den når kontaktombuden ändå."
    ),
    "obs.ask.when_today": "Vilken tid i dag? Skriv till exempel <code>14:30</code> eller <code>kl 9</code>.",
    "obs.ask.when_day": "Vilken dag och tid? Skriv till exempel <code>igår 22:00</code>, <code>i förrgår kl 21</code>, <code>24/11 18:30</code> eller <code>2026-11-24 18:30</code>.",
    "obs.ask.where": (
        "Var? Dela en plats (📎 → Plats) eller skriv platsen eller adressen (högst {max} tecken)."
    ),
    "obs.ask.precision": "Platsen sparas avrundad till ungefär 100 meter. Vill du spara den exakt i stället?",
    "obs.ask.description": (
        "Beskriv vad du såg (högst {max} tecken).\n"
        "<i>Beskriv beteende och utseende, inte etnicitet.</i>"
    ),
    "obs.ask.photos": "Vill du bifoga foton? Skicka upp till {max} foton och tryck sedan på Klar.",
    "obs.ask.identity": (
        "Får kontaktombuden (och polisen, om iakttagelsen skickas vidare) se att det var du "
        "som rapporterade?"
    ),
    "obs.ask.edit": "Vad vill du ändra?",
    "obs.summary": "<b>Kontrollera din rapport</b>\n\n{details}\n\nSkicka den till kontaktombuden?",
    "obs.saved": (
        "✅ Tack! Din rapport är sparad med referensen <b>{reference}</b> och har gått till "
        "kontaktombuden. Du ser statusen med /minarapporter."
    ),
    "obs.saved_waiting": (
        "✅ Tack! Din rapport är sparad med referensen <b>{reference}</b>. Den når "
        "kontaktombuden så fort de har öppnat en privat chatt med mig – än så länge har ingen "
        "av dem gjort det. Är det bråttom, ring polisen på <b>114 14</b> "
        "(vid pågående brott <b>112</b>). Du ser statusen med /minarapporter."
    ),
    "obs.saved_no_coordinator": (
        "✅ Din rapport är sparad med referensen <b>{reference}</b>, men gruppen har just nu "
        "inget kontaktombud som kan ta emot den. Den väntar i gruppens lista tills det finns "
        "ett. Är det bråttom, ring polisen på <b>114 14</b> (vid pågående brott <b>112</b>). "
        "Du ser statusen med /minarapporter."
    ),
    "obs.unreached.later": (
        "ℹ️ Din rapport <b>{reference}</b> är sparad, men jag har inte nått något av "
        "kontaktombuden ännu. De får den så fort de skriver till mig. Är det bråttom, ring "
        "polisen på <b>114 14</b> (vid pågående brott <b>112</b>)."
    ),
    "obs.waited.summary": Plural(
        "📬 <b>{count} iakttagelse väntade på dig</b> medan jag inte kunde skriva till dig:\n"
        "{lines}\n\nGå igenom den med /observationer (polisen: /inkorg).",
        "📬 <b>{count} iakttagelser väntade på dig</b> medan jag inte kunde skriva till dig:\n"
        "{lines}\n\nGå igenom dem med /observationer (polisen: /inkorg).",
    ),
    "obs.waited.line": "• {reference} – {area}",
    "obs.done.forwarded_held": Plural(
        "Skickad till polisen. {count} av poliserna har inte öppnat en privat chatt med mig "
        "än och får den så fort det är gjort – den ligger redan i polisens inkorg.",
        "Skickad till polisen. {count} av poliserna har inte öppnat en privat chatt med mig "
        "än och får den så fort det är gjort – den ligger redan i polisens inkorg.",
    ),
    "obs.staff.open_chat": (
        "👤 {name}, som kontaktombud: öppna en privat chatt med mig och tryck <b>Starta</b> – "
        "det är där du får de boendes rapporter. Telegram låter mig inte skriva till dig först."
    ),
    "obs.staff.open_chat.button": "💬 Öppna privat chatt",
    "obs.btn.when.now": "Just nu",
    "obs.btn.when.today": "Tidigare i dag",
    "obs.btn.when.day": "Annan dag",
    "obs.btn.precision.round": "Avrunda (rekommenderas)",
    "obs.btn.precision.exact": "Exakt plats",
    "obs.btn.photos.done": "Klar",
    "obs.btn.photos.skip": "Inga foton",
    "obs.btn.identity.yes": "Ja, visa mitt namn",
    "obs.btn.identity.no": "Nej, anonymt",
    "obs.btn.confirm": "✅ Skicka",
    "obs.btn.edit": "✏️ Ändra",
    "obs.btn.cancel": "✖️ Avbryt",
    "obs.field.category": "Kategori",
    "obs.field.when": "Tid",
    "obs.field.where": "Plats",
    "obs.field.description": "Beskrivning",
    "obs.field.photos": "Foton",
    "obs.field.identity": "Namn synligt",
    "obs.err.when.format": "Det förstod jag inte. Skriv tiden som i exemplet.",
    "obs.err.when.future": "Den tiden har inte kommit än. Ange en tid som redan har varit.",
    "obs.err.when.no_time": "Vilken tid ungefär? Skriv dagen och en tid, till exempel <code>igår 22:00</code>.",
    "obs.when.gap": "ℹ️ {typed} finns inte den dagen (klockan ställdes fram till sommartid); jag använder {used}.",
    "obs.when.repeated_later": "ℹ️ {typed} fanns två gånger den natten (klockan ställdes tillbaka); jag använder den senare, efter omställningen.",
    "obs.when.repeated_earlier": "ℹ️ {typed} fanns två gånger den natten (klockan ställdes tillbaka); jag använder den första, före omställningen.",
    "obs.err.when.too_old": "Det är över ett år sedan. Ange en senare tidpunkt.",
    "obs.err.place_too_long": "Det blev för långt – högst {max} tecken får plats. Skriv det kortare.",
    "obs.err.description_too_long": "Texten har {length} tecken, men högst {max} får plats. Korta den och skicka den igen.",
    "obs.err.empty": "Skriv gärna några ord.",
    "obs.err.outside_sweden": "Den platsen ligger långt utanför Sverige. Dela en plats i ert område eller skriv adressen.",
    "obs.err.photo_too_large": "Fotot är för stort (högst {max_mb} MB). Skicka ett mindre foto eller tryck på Klar.",
    "obs.err.too_many_photos": "Du kan bifoga högst {max} foton. Tryck på Klar för att gå vidare.",
    "obs.err.unsupported": "Den sortens meddelande kan jag inte ta emot här.",
    "obs.err.photo_as_file": "Skicka bilden som foto (inte som fil), eller tryck på {button}.",
    "obs.err.photo_step_text": (
        "Nu väntar jag på foton. Har du inga (fler), tryck på {button}. Beskrivningen kan du "
        "ändra under Ändra innan du skickar."
    ),
    "obs.photo.received": "📷 Foto {count} av högst {max} har kommit fram. Skicka fler eller tryck på Klar.",
    "obs.cat.suspicious_person": "Misstänkt person",
    "obs.cat.suspicious_vehicle": "Misstänkt fordon",
    "obs.cat.burglary": "Inbrott eller försök",
    "obs.cat.theft": "Stöld",
    "obs.cat.vehicle_crime": "Fordonsbrott",
    "obs.cat.vandalism": "Skadegörelse",
    "obs.cat.drugs": "Narkotika",
    "obs.cat.traffic": "Trafikfara",
    "obs.cat.other": "Annat",
    "obs.status.new": "ny",
    "obs.status.reviewed": "granskad",
    "obs.status.forwarded": "skickad till polisen",
    "obs.status.closed": "avslutad",
    "obs.status.withdrawn": "tillbakadragen",
    "obs.d.head": "<b>{reference}</b> · {category}",
    "obs.d.status": "Status: {status}",
    "obs.d.group": "Grupp: {area}",
    "obs.d.when": "När: {when}",
    "obs.d.place": "Plats: {place}",
    "obs.d.location": "Plats: {link} {precision}",
    "obs.d.map": "karta (openstreetmap.org)",
    "obs.d.approx": "(ungefärlig, ~100 m)",
    "obs.d.exact": "(exakt)",
    "obs.d.description": "Beskrivning:\n{text}",
    "obs.d.photos": "Foton: {count}",
    "obs.d.reporter": "Rapporterad av: {name}",
    "obs.d.anonymous": "Den som rapporterade vill inte visa sitt namn.",
    "obs.d.identity_yes": "Ditt namn visas för kontaktombuden.",
    "obs.d.identity_no": "Ditt namn visas inte.",
    "obs.d.reported_at": "Inkom: {at}",
    "obs.d.forwarded": "Skickad till polisen: {at}",
    "obs.d.handled": "Hanterad av polisen: {at}",
    "obs.d.notes": "Anteckningar:",
    "obs.d.note": "• {at} {name}: {text}",
    "obs.notify.coordinator": "🆕 <b>Ny iakttagelse</b> i {area}",
    "obs.notify.police": "👮 <b>Iakttagelse från grannsamverkan</b> i {area}",
    "obs.btn.reviewed": "Granskad",
    "obs.btn.forward": "Till polisen",
    "obs.btn.close": "Avsluta",
    "obs.btn.note": "Anteckning",
    "obs.btn.details": "Detaljer och foton",
    "obs.btn.handled": "Hanterad",
    "obs.btn.prev": "◀ Föregående",
    "obs.btn.next": "Nästa ▶",
    "obs.btn.withdraw": "Dra tillbaka {reference}",
    "obs.done.reviewed": "Markerad som granskad.",
    "obs.done.closed": "Avslutad.",
    "obs.done.forwarded": Plural(
        "Skickad till polisen ({count} mottagare).", "Skickad till polisen ({count} mottagare)."
    ),
    "obs.done.forwarded_waiting": "Skickad till polisen. Ingen polis i kommunen använder Grannvakt ännu; rapporten väntar i polisens inkorg.",
    "obs.done.handled": "Markerad som hanterad.",
    "obs.done.stale": "Det går inte längre – statusen har redan ändrats.",
    "obs.done.stale_now": "Någon hann före: rapporten är redan {status}.",
    "obs.done.stale_by": "{name} hann före: rapporten är redan {status}.",
    "obs.done.no_kommun": "Gruppen har ingen kommun registrerad, så den kan inte skickas till polisen.",
    "obs.note.ask": "Skriv din anteckning till <b>{reference}</b> (högst {max} tecken), eller /avbryt.",
    "obs.note.saved": "Anteckningen är sparad i <b>{reference}</b>.",
    "obs.note.too_long": "Anteckningen får vara högst {max} tecken. Skriv den kortare.",
    "obs.note.unsupported": "Skriv anteckningen som text, eller /avbryt.",
    "obs.list.title": "<b>Iakttagelser</b> (sida {page})",
    "obs.list.empty": "Inga iakttagelser med de här filtren.",
    "obs.list.line": "{reference} · {category} · {status} · {area} · {date}",
    "obs.list.status": "Status: {value}",
    "obs.list.category": "Kategori: {value}",
    "obs.list.period": "Period: {value}",
    "obs.list.all": "alla",
    "obs.period.7": "7 dagar",
    "obs.period.30": "30 dagar",
    "obs.period.365": "ett år",
    "obs.period.0": "allt",
    "obs.list.not_coordinator": "Det här är för kontaktombud. Du är inte kontaktombud för någon grupp.",
    "obs.inbox.title": "<b>Polisens inkorg</b> (sida {page})",
    "obs.inbox.empty": "Inget har skickats till dig ännu.",
    "obs.inbox.line": "{mark} {reference} · {category} · {area} · {date}",
    "obs.inbox.not_police": "Inkorgen är för poliser.",
    "obs.mine.title": "<b>Dina rapporter</b>",
    "obs.mine.empty": "Du har inte rapporterat något ännu. Starta med /rapportera.",
    "obs.mine.line": "{reference} · {category} · {status} · {date}",
    "obs.mine.withdrawn": "Du har dragit tillbaka rapporten {reference}.",
    "obs.withdrawn.pressed": "Den som skrev rapporten har dragit tillbaka den.",
    "obs.withdrawn.notice": (
        "↩️ Den som skrev rapporten <b>{reference}</b> har dragit tillbaka den. "
        "Du behöver inte göra något mer med den."
    ),
    "obs.export.ask": "Vilken period vill du exportera?",
    "obs.export.not_allowed": "Export är för kontaktombud och poliser.",
    "obs.export.caption": Plural(
        "{count} iakttagelse, senaste {period}. Kolumnerna beskrivs i dokumentationen.",
        "{count} iakttagelser, senaste {period}. Kolumnerna beskrivs i dokumentationen.",
    ),
}

EN = {
    "obs.cmd.report": "Report an observation to the coordinators",
    "obs.cmd.myreports": "Your reports and their status",
    "obs.cmd.observations": "Review your groups' observations",
    "obs.cmd.inbox": "Observations forwarded to the police",
    "obs.cmd.export": "Download observations as a CSV file",
    "obs.intro": (
        "🚨 Crime in progress: call <b>112</b>. Other tips to the police: <b>114 14</b>.\n"
        "Your report goes to your group's coordinators, not directly to the police."
    ),
    "obs.no_group": (
        "You are not in any registered neighbourhood watch group with me yet. "
        "Ask your coordinator for the group's link and open it – then I know you belong to "
        "the group and can take your report."
    ),
    "obs.not_member": (
        "You are no longer in that group, so the report could not be saved. Here is your "
        "description, so that you can copy it:\n\n<blockquote>{description}</blockquote>\n\n"
        "Tips for the police: call <b>114 14</b> (for a crime in progress: <b>112</b>)."
    ),
    "obs.group_gone": (
        "The group is no longer registered with me, so the report could not be saved. Here "
        "is your description, so that you can copy it:\n\n<blockquote>{description}</blockquote>"
        "\n\nTips for the police: call <b>114 14</b> (for a crime in progress: <b>112</b>)."
    ),
    "obs.rate_limited": Plural(
        "You have already sent {count} report in the last hour. Please try again a little "
        "later. If it is urgent: call 112 (crime in progress) or 114 14.",
        "You have already sent {count} reports in the last hour. Please try again a little "
        "later. If it is urgent: call 112 (crime in progress) or 114 14.",
    ),
    "obs.ask.group": "Which group is it about?",
    "obs.ask.category": "What is it about?",
    "obs.ask.when": "When did you see it?",
    "obs.link.join_group_first": (
        "{advice}\n\nYou can write your report below right away: it reaches the coordinators "
        "either way."
    ),
    "obs.ask.when_today": "What time today? Type for example <code>14:30</code> or <code>kl 9</code>.",
    "obs.ask.when_day": "Which day and time? Type for example <code>yesterday 22:00</code>, <code>day before yesterday 21:00</code>, <code>24/11 18:30</code> or <code>2026-11-24 18:30</code>.",
    "obs.ask.where": (
        "Where? Share a location (📎 → Location) or type the place or address "
        "(at most {max} characters)."
    ),
    "obs.ask.precision": "The location is stored rounded to about 100 metres. Do you want to store it exactly instead?",
    "obs.ask.description": (
        "Describe what you saw (at most {max} characters).\n"
        "<i>Describe behaviour and appearance, not ethnicity.</i>"
    ),
    "obs.ask.photos": "Do you want to attach photos? Send up to {max} photos, then press Done.",
    "obs.ask.identity": (
        "May the coordinators (and the police, if the observation is forwarded) see that it "
        "was you who reported it?"
    ),
    "obs.ask.edit": "What do you want to change?",
    "obs.summary": "<b>Check your report</b>\n\n{details}\n\nSend it to the coordinators?",
    "obs.saved": (
        "✅ Thank you! Your report is saved with reference <b>{reference}</b> and has gone to "
        "the coordinators. See its status with /myreports."
    ),
    "obs.saved_waiting": (
        "✅ Thank you! Your report is saved with reference <b>{reference}</b>. The "
        "coordinators get it as soon as they have opened a private chat with me – so far none "
        "of them has. If it is urgent, call the police on "
        "<b>114 14</b> (crime in progress: <b>112</b>). See its status with /myreports."
    ),
    "obs.saved_no_coordinator": (
        "✅ Your report is saved with reference <b>{reference}</b>, but right now your group "
        "has no coordinator who can receive it. It waits in the group's list until there is "
        "one. If it is urgent, call the police on <b>114 14</b> (crime in progress: "
        "<b>112</b>). See its status with /myreports."
    ),
    "obs.unreached.later": (
        "ℹ️ Your report <b>{reference}</b> is saved, but I have not reached any of the "
        "coordinators yet. They will get it as soon as they write to me. If it is urgent, "
        "call the police on <b>114 14</b> (crime in progress: <b>112</b>)."
    ),
    "obs.waited.summary": Plural(
        "📬 <b>{count} observation waited for you</b> while I could not write to you:\n"
        "{lines}\n\nGo through it with /observations (police: /inbox).",
        "📬 <b>{count} observations waited for you</b> while I could not write to you:\n"
        "{lines}\n\nGo through them with /observations (police: /inbox).",
    ),
    "obs.waited.line": "• {reference} – {area}",
    "obs.done.forwarded_held": Plural(
        "Forwarded to the police. {count} of the officers has not opened a private chat "
        "with me yet; they will get it as soon as they do, and it is already in their inbox.",
        "Forwarded to the police. {count} of the officers have not opened a private chat "
        "with me yet; they will get it as soon as they do, and it is already in their inbox.",
    ),
    "obs.staff.open_chat": (
        "👤 {name}, as a coordinator: please open a private chat with me and press "
        "<b>Start</b> – that is where residents' reports reach you. Telegram does not let me "
        "write to you first."
    ),
    "obs.staff.open_chat.button": "💬 Open the private chat",
    "obs.btn.when.now": "Right now",
    "obs.btn.when.today": "Earlier today",
    "obs.btn.when.day": "Another day",
    "obs.btn.precision.round": "Round it (recommended)",
    "obs.btn.precision.exact": "Exact location",
    "obs.btn.photos.done": "Done",
    "obs.btn.photos.skip": "No photos",
    "obs.btn.identity.yes": "Yes, show my name",
    "obs.btn.identity.no": "No, anonymous",
    "obs.btn.confirm": "✅ Send",
    "obs.btn.edit": "✏️ Edit",
    "obs.btn.cancel": "✖️ Cancel",
    "obs.field.category": "Category",
    "obs.field.when": "Time",
    "obs.field.where": "Place",
    "obs.field.description": "Description",
    "obs.field.photos": "Photos",
    "obs.field.identity": "Name shown",
    "obs.err.when.format": "I did not understand that. Please type the time as in the example.",
    "obs.err.when.future": "That time has not come yet. Please give a moment in the past.",
    "obs.err.when.no_time": "At about what time? Type the day and a time, for example <code>yesterday 22:00</code>.",
    "obs.when.gap": "ℹ️ {typed} does not exist that day (the clocks went forward to summer time); I use {used}.",
    "obs.when.repeated_later": "ℹ️ {typed} happened twice that night (the clocks went back); I use the later one, after the change.",
    "obs.when.repeated_earlier": "ℹ️ {typed} happened twice that night (the clocks went back); I use the first one, before the change.",
    "obs.err.when.too_old": "That is more than a year ago. Please give a later moment.",
    "obs.err.place_too_long": "That is too long – at most {max} characters. Please shorten it.",
    "obs.err.description_too_long": "The text has {length} characters, but at most {max} are allowed. Please shorten it and send it again.",
    "obs.err.empty": "Please write a few words.",
    "obs.err.outside_sweden": "That location is far outside Sweden. Please share a location in your area or type the address.",
    "obs.err.photo_too_large": "The photo is too large (at most {max_mb} MB). Send a smaller one or press Done.",
    "obs.err.too_many_photos": "You can attach at most {max} photos. Press Done to continue.",
    "obs.err.unsupported": "I can't take that kind of message here.",
    "obs.err.photo_as_file": (
        "Please send the picture as a photo (not as a file), or press {button}."
    ),
    "obs.err.photo_step_text": (
        "I'm waiting for photos now. If you have none (or no more), press {button}. You can "
        "change the description under Edit before you send."
    ),
    "obs.photo.received": "📷 Photo {count} of at most {max} received. Send more or press Done.",
    "obs.cat.suspicious_person": "Suspicious person",
    "obs.cat.suspicious_vehicle": "Suspicious vehicle",
    "obs.cat.burglary": "Burglary or attempt",
    "obs.cat.theft": "Theft",
    "obs.cat.vehicle_crime": "Vehicle crime",
    "obs.cat.vandalism": "Vandalism",
    "obs.cat.drugs": "Drugs",
    "obs.cat.traffic": "Traffic danger",
    "obs.cat.other": "Other",
    "obs.status.new": "new",
    "obs.status.reviewed": "reviewed",
    "obs.status.forwarded": "forwarded to the police",
    "obs.status.closed": "closed",
    "obs.status.withdrawn": "withdrawn",
    "obs.d.head": "<b>{reference}</b> · {category}",
    "obs.d.status": "Status: {status}",
    "obs.d.group": "Group: {area}",
    "obs.d.when": "When: {when}",
    "obs.d.place": "Place: {place}",
    "obs.d.location": "Place: {link} {precision}",
    "obs.d.map": "map (openstreetmap.org)",
    "obs.d.approx": "(approximate, ~100 m)",
    "obs.d.exact": "(exact)",
    "obs.d.description": "Description:\n{text}",
    "obs.d.photos": "Photos: {count}",
    "obs.d.reporter": "Reported by: {name}",
    "obs.d.anonymous": "The reporter chose not to show their name.",
    "obs.d.identity_yes": "Your name is shown to the coordinators.",
    "obs.d.identity_no": "Your name is not shown.",
    "obs.d.reported_at": "Received: {at}",
    "obs.d.forwarded": "Forwarded to the police: {at}",
    "obs.d.handled": "Handled by the police: {at}",
    "obs.d.notes": "Notes:",
    "obs.d.note": "• {at} {name}: {text}",
    "obs.notify.coordinator": "🆕 <b>New observation</b> in {area}",
    "obs.notify.police": "👮 <b>Observation from neighbourhood watch</b> in {area}",
    "obs.btn.reviewed": "Reviewed",
    "obs.btn.forward": "To the police",
    "obs.btn.close": "Close",
    "obs.btn.note": "Note",
    "obs.btn.details": "Details and photos",
    "obs.btn.handled": "Handled",
    "obs.btn.prev": "◀ Previous",
    "obs.btn.next": "Next ▶",
    "obs.btn.withdraw": "Withdraw {reference}",
    "obs.done.reviewed": "Marked as reviewed.",
    "obs.done.closed": "Closed.",
    "obs.done.forwarded": Plural(
        "Forwarded to the police ({count} recipient).",
        "Forwarded to the police ({count} recipients).",
    ),
    "obs.done.forwarded_waiting": "Forwarded to the police. No police officer in the kommun uses Grannvakt yet; the report waits in the police inbox.",
    "obs.done.handled": "Marked as handled.",
    "obs.done.stale": "Not possible any more – the status has already changed.",
    "obs.done.stale_now": "Someone got there first: the report is already {status}.",
    "obs.done.stale_by": "{name} got there first: the report is already {status}.",
    "obs.done.no_kommun": "The group has no kommun registered, so it cannot be forwarded to the police.",
    "obs.note.ask": "Type your note on <b>{reference}</b> (at most {max} characters), or /cancel.",
    "obs.note.saved": "The note is saved in <b>{reference}</b>.",
    "obs.note.too_long": "A note may have at most {max} characters. Please shorten it.",
    "obs.note.unsupported": "Please type the note as text, or /cancel.",
    "obs.list.title": "<b>Observations</b> (page {page})",
    "obs.list.empty": "No observations with these filters.",
    "obs.list.line": "{reference} · {category} · {status} · {area} · {date}",
    "obs.list.status": "Status: {value}",
    "obs.list.category": "Category: {value}",
    "obs.list.period": "Period: {value}",
    "obs.list.all": "all",
    "obs.period.7": "7 days",
    "obs.period.30": "30 days",
    "obs.period.365": "one year",
    "obs.period.0": "everything",
    "obs.list.not_coordinator": "This is for coordinators. You are not the coordinator of any group.",
    "obs.inbox.title": "<b>Police inbox</b> (page {page})",
    "obs.inbox.empty": "Nothing has been forwarded to you yet.",
    "obs.inbox.line": "{mark} {reference} · {category} · {area} · {date}",
    "obs.inbox.not_police": "The inbox is for police officers.",
    "obs.mine.title": "<b>Your reports</b>",
    "obs.mine.empty": "You have not reported anything yet. Start with /report.",
    "obs.mine.line": "{reference} · {category} · {status} · {date}",
    "obs.mine.withdrawn": "You have withdrawn report {reference}.",
    "obs.withdrawn.pressed": "The person who wrote the report has withdrawn it.",
    "obs.withdrawn.notice": (
        "↩️ The person who wrote report <b>{reference}</b> has withdrawn it. "
        "There is nothing more for you to do with it."
    ),
    "obs.export.ask": "Which period do you want to export?",
    "obs.export.not_allowed": "Export is for coordinators and police officers.",
    "obs.export.caption": Plural(
        "{count} observation, last {period}. The columns are described in the documentation.",
        "{count} observations, last {period}. The columns are described in the documentation.",
    ),
}
