"""Texts of the police tools (issue #14): group places, targeting by place, the alert's
sender line, link and event number, sharing onward, updates and withdrawals, /profil. The
witness relay's texts are in police_relay.py, an alert's per-group figures in
police_figures.py."""

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
}
