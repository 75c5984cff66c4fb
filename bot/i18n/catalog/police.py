"""Texts of the police tools (issue #14): group places, targeting by place, the alert's
sender line, link and event number, sharing onward, /profil and the witness relay."""

from bot.i18n import Plural

SV = {
    # group places (/grupp plats)
    "places.bad_place": "Platsen eller radien är ogiltig.",
    "places.outside_sweden": (
        "Den platsen ligger inte i Sverige. Skriv koordinaterna som latitud, longitud "
        "(i södra Sverige ungefär 56, 14), eller dela en plats i ert område."
    ),
    "police.place.group_none": "📍 Plats: ingen (lägg till med /grupp plats)",
    "police.place.group_line": "📍 Plats: {lat}, {lon} (avrundat), radie {radius}",
    "police.place.not_understood": (
        "Jag förstod inte ”{text}” som en plats. Svara på en delad plats, eller skriv "
        "koordinaterna."
    ),
    "police.place.howto": (
        "Så anger du gruppens plats: dela en plats här i gruppen (📎 → Plats) och svara på "
        "den med <code>/grupp plats</code>, eventuellt med en radie: "
        "<code>/grupp plats 2 km</code> (annars 1 km). Du kan också skriva koordinaterna: "
        "<code>/grupp plats 56.05, 14.58</code>. <code>/grupp plats bort</code> tar bort "
        "platsen. Jag sparar den avrundad till ungefär 100 meter."
    ),
    "police.place.saved": "✅ Gruppens plats är sparad.",
    "police.place.removed": "Gruppens plats är borttagen.",
    "police.place.none": "Gruppen har ingen plats.",
    "police.place.bad_radius": (
        "Radien ska vara mellan 100 m och 20 km. Skriv den till exempel som 500 m eller 2 km."
    ),
    # target by place (/larm)
    "police.target.place": "Nära en plats",
    "alerts.confirm.target.place": "grupper nära en plats",
    "police.place.ask": (
        "Var hände det? Dela en plats (📎 → Plats) eller skriv gatan eller området och "
        "kommunen, till exempel <i>Norra Möllebacken, Sölvesborg</i>. Jag letar bland "
        "gruppernas namn och platser (ingen adressökning på nätet)."
    ),
    "police.place.expected": "Skicka en plats eller skriv gatan eller området och kommunen.",
    "police.place.shared": "den delade platsen",
    "places.kommun_unknown": "Jag hittar ingen kommun som heter ”{name}”.",
    "places.not_found": "Jag hittar ingen av dina grupper som heter så: ”{text}”.",
    "places.found_without_place": (
        "Grupperna som heter ”{text}” har ingen plats ännu. Dela en plats i stället."
    ),
    "police.place.ask_radius": "Hur långt från {where}?",
    "police.near.title": Plural(
        "<b>{count} grupp inom {radius}</b> (avstånd till gruppens mittpunkt). "
        "Tryck på en grupp för att ta bort eller lägga till den:",
        "<b>{count} grupper inom {radius}</b> (avstånd till gruppernas mittpunkt). "
        "Tryck på en grupp för att ta bort eller lägga till den:",
    ),
    "police.near.line": Plural(
        "✅ {name} · {distance} · {count} medlem", "✅ {name} · {distance} · {count} medlemmar"
    ),
    "police.near.line_off": Plural(
        "⬜ <s>{name}</s> · {distance} · {count} medlem",
        "⬜ <s>{name}</s> · {distance} · {count} medlemmar",
    ),
    "police.near.none": "Ingen av dina grupper ligger inom {radius}. Välj en större radie.",
    # link and event number
    "police.link.ask": (
        "Vill du lägga till en länk ”Läs mer” (till exempel till polisen.se)? Skicka den "
        "(måste börja med https://), eller tryck på Hoppa över."
    ),
    "police.link.bad": (
        "Det är ingen giltig länk. Skicka en hel adress som börjar med https://, "
        "eller tryck på Hoppa över."
    ),
    "police.event.ask": (
        "Vill du ange polisens händelsenummer? Skicka det, eller tryck på Hoppa över."
    ),
    "police.event.bad": (
        "Händelsenumret får bara innehålla bokstäver, siffror, - och / (högst {max} tecken)."
    ),
    "police.event.bad_length": Plural(
        "Händelsenumret är {count} tecken långt, men ska vara {min}–{max} tecken. Skriv det igen.",
        "Händelsenumret är {count} tecken långt, men ska vara {min}–{max} tecken. Skriv det igen.",
    ),
    "police.detail.skip": "Hoppa över",
    "police.detail.too_long_for_photo": (
        "Med bilden får inte länken och händelsenumret plats – jag skickar larmet utan dem."
    ),
    # the alert in the groups
    "police.alert.event": "Händelsenummer: {number}",
    "police.alert.link": '🔗 <a href="{url}">Läs mer</a>',
    "police.alert.sender": "Avsändare: <b>{title}</b>",
    "police.share.button": "📤 Dela vidare",
    "police.share.text": "🚨 Polisen informerar: {category}\n{body}",
    "police.share.event": "Händelsenummer: {number}",
    "police.preview.language": "🌐 <b>På svenska</b> (för svenskspråkiga grupper):",
    "police.preview.titles": (
        "👆 <b>Förhandsvisningar ovan</b> – grupperna har olika språk, så här ser de boende "
        "larmet på vart och ett."
    ),
    # /profil
    "police.cmd.profile": "ditt namn som avsändare (till exempel Kommunpolisen i Sölvesborg)",
    "police.profile.none": (
        "Du har inget avsändarnamn ännu. Skriv till exempel "
        "<code>/profil Kommunpolisen i Sölvesborg</code>. Det visas under dina larm och "
        "för vittnen du kontaktar."
    ),
    "police.profile.show": (
        "Ditt avsändarnamn: <b>{title}</b>. Ändra det med <code>/profil nytt namn</code>."
    ),
    "police.profile.saved": "✅ Ditt avsändarnamn är nu <b>{title}</b>.",
    "police.profile.bad": Plural(  # "tecken" is both: Plural for the English
        "Avsändarnamnet är {count} tecken långt, men ska vara {min}–{max} tecken. Skriv det igen.",
        "Avsändarnamnet är {count} tecken långt, men ska vara {min}–{max} tecken. Skriv det igen.",
    ),
    "police.profile.hint": (
        "💡 Med /profil väljer du ett avsändarnamn som visas under larmet, till exempel "
        "”Kommunpolisen i Sölvesborg”."
    ),
    "police.profile.needed": (
        "Välj först ett avsändarnamn med /profil – vittnet ska veta vem som kontaktar hen."
    ),
    "police.profile.not_police": (
        "Avsändarnamnet visas under polisens larm, så /profil är för poliser som jag "
        "har bjudit in. Är du polis? Be botens administratör om en inbjudningslänk."
    ),
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
    # updates and withdrawals notify (a reply under the alert in each group)
    "police.notice.update": "🔄 <b>Uppdatering:</b> {update}",
    "police.notice.withdrawn": "❌ <b>Återkallat:</b> {category} – larmet ovan gäller inte längre.",
    "police.update.preview.title": (
        "👀 <b>Så här blir uppdateringen av larm #{id}.</b> Varje grupp får ett svar under "
        "larmet (så att medlemmarna aviseras), och själva larmet ändras."
    ),
    "police.update.preview.language": "<b>Grupper på {language}:</b>",
    "police.language.sv": "svenska",
    "police.language.en": "engelska",
    "police.update.preview.reply": "<b>Svaret under larmet:</b>\n{notice}",
    "police.update.preview.alert": "<b>Larmet efter ändringen:</b>",
    "police.update.preview.unchanged": (
        "<b>Larmet ändras inte:</b> med uppdateringen blir det för långt för ett meddelande, "
        "så uppdateringen finns bara i svaret."
    ),
    "police.update.send": "🔄 Skicka uppdateringen",
    "police.update.expected": "Tryck på Skicka uppdateringen eller Avbryt (eller skriv /avbryt).",
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
    "places.bad_place": "The place or radius is not valid.",
    "places.outside_sweden": (
        "That place is not in Sweden. Type the coordinates as latitude, longitude "
        "(about 56, 14 in southern Sweden), or share a location in your area."
    ),
    "police.place.group_none": "📍 Place: none (add one with /group place)",
    "police.place.group_line": "📍 Place: {lat}, {lon} (rounded), radius {radius}",
    "police.place.not_understood": (
        "I did not understand “{text}” as a place. Reply to a shared location, or type "
        "the coordinates."
    ),
    "police.place.howto": (
        "To give the group its place: share a location here in the group (📎 → Location) "
        "and reply to it with <code>/group place</code>, optionally with a radius: "
        "<code>/group place 2 km</code> (else 1 km). You can also type the coordinates: "
        "<code>/group place 56.05, 14.58</code>. <code>/group place remove</code> removes "
        "it. I store it rounded to about 100 metres."
    ),
    "police.place.saved": "✅ The group's place is saved.",
    "police.place.removed": "The group's place is removed.",
    "police.place.none": "The group has no place.",
    "police.place.bad_radius": (
        "The radius must be between 100 m and 20 km. Write it e.g. as 500 m or 2 km."
    ),
    "police.target.place": "Near a place",
    "alerts.confirm.target.place": "groups near a place",
    "police.place.ask": (
        "Where did it happen? Share a location (📎 → Location) or type the street or area "
        "and the kommun, e.g. <i>Norra Möllebacken, Sölvesborg</i>. I search the groups' "
        "names and places (no online address lookup)."
    ),
    "police.place.expected": "Send a location or type the street or area and the kommun.",
    "police.place.shared": "the shared location",
    "places.kommun_unknown": "I can't find a kommun called “{name}”.",
    "places.not_found": "None of your groups is called that: “{text}”.",
    "places.found_without_place": (
        "The groups called “{text}” have no place yet. Share a location instead."
    ),
    "police.place.ask_radius": "How far from {where}?",
    "police.near.title": Plural(
        "<b>{count} group within {radius}</b> (distance to the group's centre). "
        "Tap a group to leave it out or add it back:",
        "<b>{count} groups within {radius}</b> (distance to the groups' centres). "
        "Tap a group to leave it out or add it back:",
    ),
    "police.near.line": Plural(
        "✅ {name} · {distance} · {count} member", "✅ {name} · {distance} · {count} members"
    ),
    "police.near.line_off": Plural(
        "⬜ <s>{name}</s> · {distance} · {count} member",
        "⬜ <s>{name}</s> · {distance} · {count} members",
    ),
    "police.near.none": "None of your groups is within {radius}. Choose a larger radius.",
    "police.link.ask": (
        "Would you like to add a “Read more” link (e.g. to polisen.se)? Send it (it must "
        "start with https://), or press Skip."
    ),
    "police.link.bad": (
        "That is not a valid link. Send a full address starting with https://, or press Skip."
    ),
    "police.event.ask": "Would you like to give the police event number? Send it, or press Skip.",
    "police.event.bad": (
        "The event number may only contain letters, digits, - and / (at most {max} characters)."
    ),
    "police.event.bad_length": Plural(
        "The event number is {count} character long, but must be {min}–{max}. "
        "Please type it again.",
        "The event number is {count} characters long, but must be {min}–{max}. "
        "Please type it again.",
    ),
    "police.detail.skip": "Skip",
    "police.detail.too_long_for_photo": (
        "With the photo, the link and event number don't fit – I'll send the alert without them."
    ),
    "police.alert.event": "Event number: {number}",
    "police.alert.link": '🔗 <a href="{url}">Read more</a>',
    "police.alert.sender": "From: <b>{title}</b>",
    "police.share.button": "📤 Share",
    "police.share.text": "🚨 Police alert: {category}\n{body}",
    "police.share.event": "Event number: {number}",
    "police.preview.language": "🌐 <b>In English</b> (for English-speaking groups):",
    "police.preview.titles": (
        "👆 <b>Previews above</b> – the groups speak different languages; this is what "
        "residents see in each."
    ),
    "police.cmd.profile": "your name as sender (e.g. Kommunpolisen i Sölvesborg)",
    "police.profile.none": (
        "You have no sender name yet. Write e.g. "
        "<code>/profile Kommunpolisen i Sölvesborg</code>. It is shown under your alerts "
        "and to witnesses you contact."
    ),
    "police.profile.show": (
        "Your sender name: <b>{title}</b>. Change it with <code>/profile new name</code>."
    ),
    "police.profile.saved": "✅ Your sender name is now <b>{title}</b>.",
    "police.profile.bad": Plural(
        "The sender name is {count} character long, but must be {min}–{max}. Please type it again.",
        "The sender name is {count} characters long, but must be {min}–{max}. Please type it again.",
    ),
    "police.profile.hint": (
        "💡 With /profile you choose a sender name shown under the alert, e.g. "
        "“Kommunpolisen i Sölvesborg”."
    ),
    "police.profile.needed": (
        "First choose a sender name with /profile – the witness must know who contacts them."
    ),
    "police.profile.not_police": (
        "The sender name is shown under police alerts, so /profile is for police officers "
        "I have invited. Are you police? Ask the bot's admin for an invitation link."
    ),
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
    # updates and withdrawals notify (a reply under the alert in each group)
    "police.notice.update": "🔄 <b>Update:</b> {update}",
    "police.notice.withdrawn": "❌ <b>Withdrawn:</b> {category} – the alert above no longer applies.",
    "police.update.preview.title": (
        "👀 <b>This is how the update of alert #{id} will look.</b> Each group gets a reply "
        "under the alert (so that members are notified), and the alert itself is changed."
    ),
    "police.update.preview.language": "<b>Groups in {language}:</b>",
    "police.language.sv": "Swedish",
    "police.language.en": "English",
    "police.update.preview.reply": "<b>The reply under the alert:</b>\n{notice}",
    "police.update.preview.alert": "<b>The alert after the change:</b>",
    "police.update.preview.unchanged": (
        "<b>The alert itself stays as it is:</b> with the update it would be too long for one "
        "message, so the update is only in the reply."
    ),
    "police.update.send": "🔄 Send the update",
    "police.update.expected": "Press Send the update or Cancel (or type /cancel).",
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
