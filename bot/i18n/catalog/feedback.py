"""Texts of issue #13's feedback and clarity work: what a reporter is told when their report
changes, the observation card's action buttons and filter picker, who reads a note, the
CSV columns, /minagrupper and the members in /grupp."""

from bot.i18n import Plural

SV = {
    # ---------------------------------------------------------------- the reporter is told
    "fb.status.reviewed": (
        "👀 Ett kontaktombud har granskat din rapport <b>{reference}</b>.\n"
        "Alla dina rapporter: /minarapporter"
    ),
    "fb.status.forwarded": (
        "👮 Din rapport <b>{reference}</b> har skickats till polisen.\n"
        "Alla dina rapporter: /minarapporter"
    ),
    "fb.status.forwarded_no_police": (
        "👮 Kontaktombudet ville skicka din rapport <b>{reference}</b> till polisen, men "
        "ingen polis i kommunen använder Grannvakt ännu, så ingen polis har fått den.\n"
        "Är det brådskande: ring <b>114 14</b> och berätta (vid pågående brott: <b>112</b>)."
    ),
    "fb.status.handled": (
        "✅ Polisen har hanterat din rapport <b>{reference}</b>.\n"
        "Alla dina rapporter: /minarapporter"
    ),
    "fb.status.closed": (
        "Din rapport <b>{reference}</b> är avslutad av kontaktombuden.\n"
        "Alla dina rapporter: /minarapporter"
    ),
    "fb.forwarded.no_police": (
        "Ingen polis i kommunen använder Grannvakt ännu, så ingen polis har fått {reference}. "
        "Är det brådskande: ring 114 14. Jag har sagt samma sak till den som rapporterade."
    ),
    # ---------------------------------------------------------------- alert acknowledgement
    "fb.ack.button": "✅ Läst",
    "fb.ack.recorded": "Tack! Jag har noterat att du har läst larmet.",
    "fb.ack.already": "Du har redan markerat att du har läst larmet.",
    # ---------------------------------------------------------------- the observation card
    "fb.btn.reviewed": "✔️ Markera som granskad",
    "fb.btn.forward": "👮 Skicka till polisen",
    "fb.btn.close": "🗂 Avsluta rapporten",
    "fb.btn.note": "📝 Lägg till anteckning",
    "fb.btn.details": "🔎 Visa detaljer och foton",
    "fb.btn.handled": "✅ Markera som hanterad",
    "fb.detail.actions": "Vad vill du göra med <b>{reference}</b>?",
    # ---------------------------------------------------------------- the weekly digest
    "fb.digest.observations": "Iakttagelser: {count} – {categories}",
    "fb.digest.no_observations": "Iakttagelser: inga",
    "fb.digest.kommun.observations": "Iakttagelser i grupperna: {count} – {categories}",
    "fb.digest.group.alerts": "Larm: {count}, lästa av {seen}",
    "fb.digest.kommun.alerts": "Larm: {count} till {groups}, nådde {delivered}, lästa av {seen}",
    "fb.digest.kommun.group": "• {area}: {observations}, {alerts}",
    "fb.digest.groups": Plural("{count} grupp", "{count} grupper"),
    "fb.digest.people": Plural("{count} person", "{count} personer"),
    "fb.digest.n_observations": Plural("{count} iakttagelse", "{count} iakttagelser"),
    "fb.digest.n_alerts": Plural("{count} larm", "{count} larm"),
    "fb.digest.withdrawn": Plural(" (varav {count} återkallat)", " (varav {count} återkallade)"),
    # ---------------------------------------------------------------- notes
    "fb.note.ask": (
        "Skriv din anteckning till <b>{reference}</b> (högst {max} tecken), eller /avbryt.\n"
        "🔒 Anteckningen kan bara läsas av gruppens kontaktombud – inte av den som "
        "rapporterade och inte av polisen."
    ),
    "fb.note.saved": (
        "Anteckningen är sparad i <b>{reference}</b>. 🔒 Bara gruppens kontaktombud kan läsa den."
    ),
    "fb.d.notes": "Anteckningar (🔒 bara kontaktombuden):",
    # ---------------------------------------------------------------- CSV export
    "fb.export.filename": "iakttagelser-{date}.csv",
    "fb.export.caption": Plural(
        "{count} iakttagelse, senaste {period}.\n"
        "Kolumner: Referens (rapportens nummer) · Inkom (när rapporten kom in) · "
        "Observerad (när det hände) · Status · Kategori · Grupp-id · Område · Kommunkod · "
        "Plats (som den skrevs) · Latitud/Longitud (tomma om ingen karta) · Exakt plats "
        "(ja: exakt, nej: avrundad) · Beskrivning · Foton (antal) · Rapportör (bara om "
        "personen valde att visa sitt namn) · Till polisen (när) · Hanterad (när polisen "
        "markerade den) · Anteckningar (bara kontaktombudens egna grupper).",
        "{count} iakttagelser, senaste {period}.\n"
        "Kolumner: Referens (rapportens nummer) · Inkom (när rapporten kom in) · "
        "Observerad (när det hände) · Status · Kategori · Grupp-id · Område · Kommunkod · "
        "Plats (som den skrevs) · Latitud/Longitud (tomma om ingen karta) · Exakt plats "
        "(ja: exakt, nej: avrundad) · Beskrivning · Foton (antal) · Rapportör (bara om "
        "personen valde att visa sitt namn) · Till polisen (när) · Hanterad (när polisen "
        "markerade den) · Anteckningar (bara kontaktombudens egna grupper).",
    ),
    "fb.csv.yes": "ja",
    "fb.csv.no": "nej",
    "fb.csv.col.reference": "Referens",
    "fb.csv.col.reported_at": "Inkom",
    "fb.csv.col.observed_at": "Observerad",
    "fb.csv.col.status": "Status",
    "fb.csv.col.category": "Kategori",
    "fb.csv.col.group_id": "Grupp-id",
    "fb.csv.col.area": "Område",
    "fb.csv.col.kommun_code": "Kommunkod",
    "fb.csv.col.place": "Plats",
    "fb.csv.col.latitude": "Latitud",
    "fb.csv.col.longitude": "Longitud",
    "fb.csv.col.location_exact": "Exakt plats",
    "fb.csv.col.description": "Beskrivning",
    "fb.csv.col.photos": "Foton",
    "fb.csv.col.reporter": "Rapportör",
    "fb.csv.col.forwarded_at": "Till polisen",
    "fb.csv.col.handled_at": "Hanterad",
    "fb.csv.col.notes": "Anteckningar",
    # ---------------------------------------------------------------- the filter picker
    "fb.filter.now": "Filter: status {status} · kategori {category} · {period}",
    "fb.filter.open": "🔎 Välj filter",
    "fb.filter.reset": "↺ Återställ filtret",
    "fb.filter.show": "✅ Visa iakttagelserna",
    "fb.filter.title": (
        "<b>Välj filter</b>\nStatus: {status}\nKategori: {category}\nPeriod: {period}\n\n"
        "Knapparna är i tur och ordning status, kategori och period; ✓ visar vad som är "
        "valt. Tryck på <b>Visa iakttagelserna</b> när du är klar."
    ),
    # ---------------------------------------------------------------- /minagrupper
    "fb.cmd.mygroups": "Dina grupper: lämna en grupp eller stäng av tipsen",
    "fb.mygroups.none": (
        "Du är inte med i någon grupp hos mig. Be ert kontaktombud om gruppens länk."
    ),
    "fb.mygroups.title": "<b>Dina grupper i Grannvakt</b>",
    "fb.mygroups.page": Plural(
        "Sida {page} av {pages} – {count} grupp", "Sida {page} av {pages} – {count} grupper"
    ),
    "fb.page_gone": "Den sidan finns inte längre, så jag visar sida {page}.",
    "fb.mygroups.line": "🏘 {area} ({kommun})",
    "fb.mygroups.footer": (
        "Lämnar du en grupp här kan du inte längre rapportera till den. Gruppens länk tar "
        "dig tillbaka när du vill."
    ),
    "fb.mygroups.tips": "🔕 Tips: {area}",
    "fb.mygroups.leave": "🚪 Lämna {area}",
    "fb.mygroups.tips_how": (
        "Tipsen skickas i gruppens chatt, så jag kan inte stänga av dem bara för dig. "
        "Tryck på gruppens namn i Telegram → Stäng av ljud (eller stäng av ljudet för "
        "tipsens ämne)."
    ),
    "fb.mygroups.leave_ask": (
        "Vill du lämna <b>{area}</b> i Grannvakt? Du kan då inte rapportera till gruppen. "
        "Du är kvar i Telegram-gruppen tills du lämnar den där."
    ),
    "fb.mygroups.leave_coordinator": (
        "⚠️ Du är kontaktombud för <b>{area}</b>. Att lämna gäller bara dig som boende: "
        "gruppens rapporter når dig fortfarande som kontaktombud. Vill du sluta vara "
        "kontaktombud: skriv /grupp i gruppen → 👥 Kontaktombud."
    ),
    "fb.mygroups.leave_only_coordinator": (
        "⚠️ Du är det enda kontaktombudet för <b>{area}</b>. Att lämna gäller bara dig som "
        "boende: gruppens rapporter når fortfarande dig, och bara dig. Vill du lämna över "
        "uppdraget: lägg först till en annan administratör som kontaktombud med /grupp i "
        "gruppen → 👥 Kontaktombud, och ta sedan bort dig själv där."
    ),
    "fb.mygroups.leave_yes": "🚪 Ja, lämna",
    "fb.mygroups.leave_no": "Nej",
    "fb.mygroups.left": "Du har lämnat <b>{area}</b> i Grannvakt.",
    "fb.mygroups.not_member": "Du är inte med i den gruppen längre.",
    # ---------------------------------------------------------------- /grupp → who is connected
    "fb.members.button": Plural("📋 {count} ansluten", "📋 {count} anslutna"),
    "fb.members.title": Plural(
        "<b>Anslutna till {area}</b> ({count} person)",
        "<b>Anslutna till {area}</b> ({count} personer)",
    ),
    "fb.members.line": "• {name} – {how}",
    "fb.members.empty": "Ingen har anslutit sig ännu.",
    "fb.members.src.deep_link": "via gruppens länk",
    "fb.members.src.message": "skrev i gruppen",
    "fb.members.src.joined": "gick med i gruppen",
    "fb.members.src.chat_member": "sedd av Telegram som medlem",
    "fb.members.src.other": "annat sätt",
    "fb.members.sent": "Jag har skickat listan till dig privat.",
    "fb.members.open_private": (
        "Jag kan inte skriva till dig privat ännu. Öppna en chatt med mig och tryck igen."
    ),
}

EN = {
    "fb.status.reviewed": (
        "👀 A coordinator has reviewed your report <b>{reference}</b>.\n"
        "All your reports: /myreports"
    ),
    "fb.status.forwarded": (
        "👮 Your report <b>{reference}</b> has been sent to the police.\nAll your reports: /myreports"
    ),
    "fb.status.forwarded_no_police": (
        "👮 The coordinator wanted to send your report <b>{reference}</b> to the police, "
        "but no police officer in the municipality uses Grannvakt yet, so no officer has "
        "received it.\nIf it is urgent: call <b>114 14</b> and tell them (crime in progress: "
        "<b>112</b>)."
    ),
    "fb.status.handled": (
        "✅ The police have handled your report <b>{reference}</b>.\nAll your reports: /myreports"
    ),
    "fb.status.closed": (
        "Your report <b>{reference}</b> has been closed by the coordinators.\n"
        "All your reports: /myreports"
    ),
    "fb.forwarded.no_police": (
        "No police officer in the municipality uses Grannvakt yet, so no officer has received "
        "{reference}. If it is urgent: call 114 14. I have told the person who reported it "
        "the same."
    ),
    "fb.ack.button": "✅ I have read this",
    "fb.ack.recorded": "Thank you! I have noted that you have read the alert.",
    "fb.ack.already": "You have already marked that you have read this alert.",
    "fb.btn.reviewed": "✔️ Mark as reviewed",
    "fb.btn.forward": "👮 Send to the police",
    "fb.btn.close": "🗂 Close the report",
    "fb.btn.note": "📝 Add a note",
    "fb.btn.details": "🔎 Show details and photos",
    "fb.btn.handled": "✅ Mark as handled",
    "fb.detail.actions": "What would you like to do with <b>{reference}</b>?",
    "fb.digest.observations": "Observations: {count} – {categories}",
    "fb.digest.no_observations": "Observations: none",
    "fb.digest.kommun.observations": "Observations in the groups: {count} – {categories}",
    "fb.digest.group.alerts": "Alerts: {count}, read by {seen}",
    "fb.digest.kommun.alerts": "Alerts: {count} to {groups}, reached {delivered}, read by {seen}",
    "fb.digest.kommun.group": "• {area}: {observations}, {alerts}",
    "fb.digest.groups": Plural("{count} group", "{count} groups"),
    "fb.digest.people": Plural("{count} person", "{count} people"),
    "fb.digest.n_observations": Plural("{count} observation", "{count} observations"),
    "fb.digest.n_alerts": Plural("{count} alert", "{count} alerts"),
    "fb.digest.withdrawn": Plural(" ({count} of them withdrawn)", " ({count} of them withdrawn)"),
    "fb.note.ask": (
        "Write your note for <b>{reference}</b> (at most {max} characters), or /cancel.\n"
        "🔒 Only the group's coordinators can read the note – not the person who "
        "reported it, and not the police."
    ),
    "fb.note.saved": (
        "The note is saved in <b>{reference}</b>. 🔒 Only the group's coordinators can read it."
    ),
    "fb.d.notes": "Notes (🔒 coordinators only):",
    "fb.export.filename": "observations-{date}.csv",
    "fb.export.caption": Plural(
        "{count} observation, last {period}.\n"
        "Columns: Reference (the report's number) · Reported (when the report came in) · "
        "Observed (when it happened) · Status · Category · Group id · Area · Kommun code · "
        "Place (as written) · Latitude/Longitude (empty without a map) · Exact location "
        "(yes: exact, no: rounded) · Description · Photos (how many) · Reporter (only if "
        "they chose to show their name) · To the police (when) · Handled (when the police "
        "marked it) · Notes (only your own groups' coordinators' notes).",
        "{count} observations, last {period}.\n"
        "Columns: Reference (the report's number) · Reported (when the report came in) · "
        "Observed (when it happened) · Status · Category · Group id · Area · Kommun code · "
        "Place (as written) · Latitude/Longitude (empty without a map) · Exact location "
        "(yes: exact, no: rounded) · Description · Photos (how many) · Reporter (only if "
        "they chose to show their name) · To the police (when) · Handled (when the police "
        "marked it) · Notes (only your own groups' coordinators' notes).",
    ),
    "fb.csv.yes": "yes",
    "fb.csv.no": "no",
    "fb.csv.col.reference": "Reference",
    "fb.csv.col.reported_at": "Reported",
    "fb.csv.col.observed_at": "Observed",
    "fb.csv.col.status": "Status",
    "fb.csv.col.category": "Category",
    "fb.csv.col.group_id": "Group id",
    "fb.csv.col.area": "Area",
    "fb.csv.col.kommun_code": "Kommun code",
    "fb.csv.col.place": "Place",
    "fb.csv.col.latitude": "Latitude",
    "fb.csv.col.longitude": "Longitude",
    "fb.csv.col.location_exact": "Exact location",
    "fb.csv.col.description": "Description",
    "fb.csv.col.photos": "Photos",
    "fb.csv.col.reporter": "Reporter",
    "fb.csv.col.forwarded_at": "To the police",
    "fb.csv.col.handled_at": "Handled",
    "fb.csv.col.notes": "Notes",
    "fb.filter.now": "Filter: status {status} · category {category} · {period}",
    "fb.filter.open": "🔎 Choose a filter",
    "fb.filter.reset": "↺ Reset the filter",
    "fb.filter.show": "✅ Show the observations",
    "fb.filter.title": (
        "<b>Choose a filter</b>\nStatus: {status}\nCategory: {category}\nPeriod: {period}\n\n"
        "The buttons are, in order, status, category and period; ✓ shows what is chosen. "
        "Press <b>Show the observations</b> when you are done."
    ),
    "fb.cmd.mygroups": "Your groups: leave one or mute the tips",
    "fb.mygroups.none": "You are not in any group with me. Ask your coordinator for the group's link.",
    "fb.mygroups.title": "<b>Your groups in Grannvakt</b>",
    "fb.mygroups.page": Plural(
        "Page {page} of {pages} – {count} group", "Page {page} of {pages} – {count} groups"
    ),
    "fb.page_gone": "That page no longer exists, so I am showing page {page}.",
    "fb.mygroups.line": "🏘 {area} ({kommun})",
    "fb.mygroups.footer": (
        "If you leave a group here you can no longer report to it. The group's link brings "
        "you back whenever you like."
    ),
    "fb.mygroups.tips": "🔕 Tips: {area}",
    "fb.mygroups.leave": "🚪 Leave {area}",
    "fb.mygroups.tips_how": (
        "Tips are posted in the group's chat, so I cannot turn them off just for you. Tap "
        "the group's name in Telegram → Mute (or mute the tips topic)."
    ),
    "fb.mygroups.leave_ask": (
        "Do you want to leave <b>{area}</b> in Grannvakt? You can then no longer report to "
        "the group. You stay in the Telegram group until you leave it there."
    ),
    "fb.mygroups.leave_coordinator": (
        "⚠️ You are a coordinator of <b>{area}</b>. Leaving applies to you as a resident "
        "only: the group's reports still reach you as its coordinator. To stop being a "
        "coordinator: send /group in the group → 👥 Coordinators."
    ),
    "fb.mygroups.leave_only_coordinator": (
        "⚠️ You are the only coordinator of <b>{area}</b>. Leaving applies to you as a "
        "resident only: the group's reports still reach you, and only you. To hand the task "
        "over: first add another admin as coordinator with /group in the group → "
        "👥 Coordinators, then remove yourself there."
    ),
    "fb.mygroups.leave_yes": "🚪 Yes, leave",
    "fb.mygroups.leave_no": "No",
    "fb.mygroups.left": "You have left <b>{area}</b> in Grannvakt.",
    "fb.mygroups.not_member": "You are no longer in that group.",
    "fb.members.button": Plural("📋 {count} connected", "📋 {count} connected"),
    "fb.members.title": Plural(
        "<b>Connected to {area}</b> ({count} person)", "<b>Connected to {area}</b> ({count} people)"
    ),
    "fb.members.line": "• {name} – {how}",
    "fb.members.empty": "Nobody has connected yet.",
    "fb.members.src.deep_link": "through the group's link",
    "fb.members.src.message": "wrote in the group",
    "fb.members.src.joined": "joined the group",
    "fb.members.src.chat_member": "seen by Telegram as a member",
    "fb.members.src.other": "another way",
    "fb.members.sent": "I have sent you the list privately.",
    "fb.members.open_private": "I cannot write to you privately yet. Open a chat with me and press again.",
}
