"""Texts for registering watch groups, coordinators, memberships and police invitations."""

from bot.i18n import Plural

SV = {
    "grp.cmd.register": "Registrera gruppen (administratörer)",
    "grp.cmd.group": "Visa och ändra gruppens registrering",
    "grp.cmd.unregister": "Avregistrera gruppen",
    "grp.cmd.invite": "Bjud in en polis (administratörer)",
    "grp.register.private": (
        "Registreringen görs i gruppen: lägg till mig i er grannsamverkansgrupp och skriv där "
        "<code>/registrera områdets namn, kommun</code>. Du måste vara administratör i gruppen."
    ),
    "grp.register.usage": (
        "Skriv <code>/registrera områdets namn, kommun</code>, till exempel "
        "<code>/registrera Norra Möllebacken, Sölvesborg</code>."
    ),
    "grp.register.bad_area": Plural(
        "Områdets namn är {count} tecken långt, men ska vara {min}–{max} tecken. Skriv det igen.",
        "Områdets namn är {count} tecken långt, men ska vara {min}–{max} tecken. Skriv det igen.",
    ),
    "grp.register.not_admin": (
        "Tyvärr, bara gruppens administratörer kan registrera gruppen och ändra den. "
        "Be en administratör om hjälp."
    ),
    "grp.anonymous_admin": (
        "Du skriver anonymt som administratör, så jag kan inte se vem du är. Det här kommandot "
        "är till för gruppens administratörer och kontaktombud, så stäng av ”Förbli anonym” "
        "en stund och skriv kommandot igen."
    ),
    "grp.register.ask_kommun": (
        "Vilken kommun ligger <b>{area}</b> i? Svara på det här meddelandet med kommunens namn."
    ),
    "grp.register.choose_kommun": "Vilken kommun ligger <b>{area}</b> i?",
    "grp.register.no_kommun": (
        "Jag hittar ingen kommun som heter ”{query}”. Svara på det här meddelandet med "
        "kommunens namn."
    ),
    "grp.register.done": (
        "✅ Gruppen är registrerad: <b>{area}</b> i {kommun}. {name} är kontaktombud."
    ),
    "grp.register.updated": "✅ Registreringen är uppdaterad: <b>{area}</b> i {kommun}.",
    "grp.explain": (
        "👋 Hej <b>{area}</b>! Jag är Grannvakt.\n\n"
        "Här i gruppen skickar jag polisens larm om inbrott och stölder i området och "
        "förebyggande tips då och då.\n"
        "Iakttagelser rapporterar du <b>privat</b> till mig, inte här: tryck på knappen nedan.\n\n"
        "Pågående brott: ring <b>112</b>. Andra tips till polisen: <b>114 14</b>."
    ),
    "grp.explain.button": "📣 Öppna Grannvakt privat",
    "grp.explain.report_button": "📝 Rapportera en iakttagelse",
    "grp.link.joined": (
        "✅ Välkommen! Du är nu med i <b>{area}</b>. Du kan rapportera iakttagelser till mig "
        "här. Skriv /hjalp för att se vad du kan göra."
    ),
    "grp.link.already": "Du är redan med i <b>{area}</b>. Skriv /hjalp för att se vad du kan göra.",
    "grp.link.invalid": (
        "Den länken fungerar inte (längre). Be ert kontaktombud om gruppens aktuella länk."
    ),
    "grp.start.groups": "<b>Dina grupper:</b>\n{lines}",
    "grp.start.line": "• {area} – {kommun}",
    "grp.group.not_registered": (
        "Den här gruppen är inte registrerad. En administratör kan registrera den med "
        "<code>/registrera områdets namn, kommun</code>."
    ),
    "grp.group.not_coordinator": (
        "Det kan bara gruppens kontaktombud göra, och de måste vara administratörer i gruppen."
    ),
    "grp.group.info": (
        "<b>{area}</b>\n"
        "Kommun: {kommun}\n"
        "Registrerad: {date}\n"
        "Kontaktombud: {coordinators}\n"
        "Medlemmar jag känner till: {members}\n\n"
        "Byt namn: <code>/grupp namn nytt namn</code>\n"
        "Gruppens länk: {link}"
    ),
    "grp.group.private": (
        "Skriv /grupp i gruppen du vill se eller ändra. Du är kontaktombud för:\n{lines}"
    ),
    "grp.group.private_none": "Du är inte kontaktombud för någon grupp.",
    "grp.unregister.private": (
        "Skriv /avregistrera i gruppen du vill avregistrera. Du är kontaktombud för:\n{lines}"
    ),
    "grp.group.button.coordinators": "👥 Kontaktombud",
    "grp.group.button.unregister": "🗑 Avregistrera",
    "grp.group.button.back": "⬅️ Tillbaka till gruppen",
    "grp.rename.done": "✅ Området heter nu <b>{area}</b>.",
    "grp.coord.title": (
        "<b>Kontaktombud för {area}</b>\n"
        "Tryck på en administratör för att lägga till eller ta bort som kontaktombud."
    ),
    "grp.coord.on": "✅ {name}",
    "grp.coord.off": "➕ {name}",
    "grp.coord.added": "{name} är nu kontaktombud.",
    "grp.coord.removed": "{name} är inte längre kontaktombud.",
    "grp.coord.last": "Gruppen måste ha minst ett kontaktombud.",
    "grp.coord.not_admin": "Bara gruppens administratörer kan bli kontaktombud.",
    "grp.unregister.confirm": (
        "Vill du avregistrera <b>{area}</b>? Jag slutar då skicka larm och tips till gruppen."
    ),
    "grp.unregister.yes": "Ja, avregistrera",
    "grp.unregister.no": "Nej, behåll",
    "grp.unregister.done": (
        "Gruppen är avregistrerad. Jag skickar inget mer hit. Den kan registreras igen med "
        "/registrera."
    ),
    "grp.unregister.kept": "Inget ändrades, gruppen är fortfarande registrerad.",
    "grp.topic.registered_here": (
        "Larm och tips lägger jag i det här ämnet. Vill ni ha dem i ett annat ämne: skriv "
        "/registrera där."
    ),
    "grp.topic.set": "✅ Från och med nu lägger jag larm och tips här, i det här ämnet.",
    "grp.topic.set_general": "✅ Från och med nu lägger jag larm och tips i ämnet General.",
    "grp.topic.info_general": (
        "Larm och tips: i ämnet General. Skriv /registrera i ett annat ämne för att flytta dem dit."
    ),
    "grp.topic.info_here": "Larm och tips: här, i det här ämnet.",
    "grp.topic.info_elsewhere": (
        "Larm och tips: i ämnet där gruppen registrerades, inte här. Skriv /registrera i det "
        "ämne där de ska hamna."
    ),
    "grp.topic.info_failing": "⚠️ Senast gick det inte att skriva där (ämnet är stängt eller borttaget).",
    "grp.topic.closed_general": (
        "⚠️ Jag kan inte skriva i gruppen <b>{area}</b>: ämnet General är stängt. Larm och "
        "tips kommer inte fram förrän det öppnas igen.\n\n"
        "Öppna General igen, eller skriv /registrera i det ämne där larm och tips ska hamna."
    ),
    "grp.topic.closed": (
        "⚠️ Jag kan inte skriva i gruppen <b>{area}</b>: ämnet där jag lägger larm och tips "
        "är stängt. De kommer inte fram förrän ämnet öppnas igen.\n\n"
        "Öppna ämnet igen, eller skriv /registrera i det ämne där larm och tips ska hamna."
    ),
    "grp.topic.gone": (
        "⚠️ Jag kan inte skriva i gruppen <b>{area}</b>: ämnet där jag lägger larm och tips "
        "finns inte längre. Larm och tips kommer inte fram.\n\n"
        "Skriv /registrera i det ämne där de ska hamna."
    ),
    "inv.usage": Plural(
        "Skriv <code>/bjudin kommun</code> (flera med komma emellan), till exempel "
        "<code>/bjudin Sölvesborg, Karlshamn</code>. Länken gäller i {count} dag och "
        "fungerar en gång.",
        "Skriv <code>/bjudin kommun</code> (flera med komma emellan), till exempel "
        "<code>/bjudin Sölvesborg, Karlshamn</code>. Länken gäller i {count} dagar och "
        "fungerar en gång.",
    ),
    "inv.choose": "Vilken kommun menar du med ”{query}”?",
    "inv.ambiguous_many": "Flera namn passar mer än en kommun ({names}). Skriv dem mer exakt, t.ex. Karlskrona i stället för Karl.",
    "inv.no_match": "Jag hittar ingen kommun som heter ”{query}”.",
    "inv.created": (
        "🔗 Inbjudan för polis i {kommuner}, giltig till {expires}:\n\n{link}\n\n"
        "Skicka länken privat till polisen. Den fungerar en gång."
    ),
    "inv.redeemed": "👮 Välkommen! Du har nu behörighet som polis för {kommuner}.",
    "inv.used": "Den här inbjudan är redan använd. Be om en ny.",
    "inv.expired": "Den här inbjudan har gått ut. Be om en ny.",
    "inv.unknown": "Den här inbjudan känner jag inte igen. Be om en ny.",
}

EN = {
    "grp.cmd.register": "Register the group (admins)",
    "grp.cmd.group": "Show and change the group's registration",
    "grp.cmd.unregister": "Unregister the group",
    "grp.cmd.invite": "Invite a police officer (admins)",
    "grp.register.private": (
        "Registration happens in the group: add me to your neighbourhood watch group and send "
        "<code>/register area name, kommun</code> there. You must be an admin of the group."
    ),
    "grp.register.usage": (
        "Send <code>/register area name, kommun</code>, for example "
        "<code>/register Norra Möllebacken, Sölvesborg</code>."
    ),
    "grp.register.bad_area": Plural(
        "The area name is {count} character long, but must be {min}–{max}. Please type it again.",
        "The area name is {count} characters long, but must be {min}–{max}. Please type it again.",
    ),
    "grp.register.not_admin": (
        "Sorry, only the group's admins can register the group and change it. Please ask an admin."
    ),
    "grp.anonymous_admin": (
        "You are posting as an anonymous admin, so I cannot tell who you are. This command is "
        "for the group's admins and coordinators: please turn off “Remain anonymous” for a "
        "moment and send the command again."
    ),
    "grp.register.ask_kommun": (
        "Which kommun (municipality) is <b>{area}</b> in? Reply to this message with its name."
    ),
    "grp.register.choose_kommun": "Which kommun is <b>{area}</b> in?",
    "grp.register.no_kommun": (
        "I can't find a kommun called “{query}”. Reply to this message with the kommun's name."
    ),
    "grp.register.done": (
        "✅ The group is registered: <b>{area}</b> in {kommun}. {name} is its coordinator."
    ),
    "grp.register.updated": "✅ Registration updated: <b>{area}</b> in {kommun}.",
    "grp.explain": (
        "👋 Hello <b>{area}</b>! I am Grannvakt.\n\n"
        "In this group I will post police alerts about burglaries and thefts in the area, "
        "and a prevention tip now and then.\n"
        "Report what you observe to me <b>privately</b>, not here: press the button below.\n\n"
        "Crime in progress: call <b>112</b>. Other tips to the police: <b>114 14</b>."
    ),
    "grp.explain.button": "📣 Open Grannvakt privately",
    "grp.explain.report_button": "📝 Report an observation",
    "grp.link.joined": (
        "✅ Welcome! You are now part of <b>{area}</b>. You can report observations to me "
        "here. Send /help to see what you can do."
    ),
    "grp.link.already": "You are already part of <b>{area}</b>. Send /help to see what you can do.",
    "grp.link.invalid": (
        "That link does not work (any more). Ask your coordinator for the group's current link."
    ),
    "grp.start.groups": "<b>Your groups:</b>\n{lines}",
    "grp.start.line": "• {area} – {kommun}",
    "grp.group.not_registered": (
        "This group is not registered. An admin can register it with "
        "<code>/register area name, kommun</code>."
    ),
    "grp.group.not_coordinator": (
        "Only the group's coordinators can do that, and they must be admins of the group."
    ),
    "grp.group.info": (
        "<b>{area}</b>\n"
        "Kommun: {kommun}\n"
        "Registered: {date}\n"
        "Coordinators: {coordinators}\n"
        "Members I know of: {members}\n\n"
        "Rename: <code>/group name new name</code>\n"
        "The group's link: {link}"
    ),
    "grp.group.private": (
        "Send /group in the group you want to see or change. You coordinate:\n{lines}"
    ),
    "grp.group.private_none": "You are not the coordinator of any group.",
    "grp.unregister.private": (
        "Send /unregister in the group you want to unregister. You coordinate:\n{lines}"
    ),
    "grp.group.button.coordinators": "👥 Coordinators",
    "grp.group.button.unregister": "🗑 Unregister",
    "grp.group.button.back": "⬅️ Back to the group",
    "grp.rename.done": "✅ The area is now called <b>{area}</b>.",
    "grp.coord.title": (
        "<b>Coordinators of {area}</b>\nPress an admin to add or remove them as a coordinator."
    ),
    "grp.coord.on": "✅ {name}",
    "grp.coord.off": "➕ {name}",
    "grp.coord.added": "{name} is now a coordinator.",
    "grp.coord.removed": "{name} is no longer a coordinator.",
    "grp.coord.last": "The group needs at least one coordinator.",
    "grp.coord.not_admin": "Only the group's admins can become coordinators.",
    "grp.unregister.confirm": (
        "Do you want to unregister <b>{area}</b>? I will stop sending alerts and tips to the group."
    ),
    "grp.unregister.yes": "Yes, unregister",
    "grp.unregister.no": "No, keep it",
    "grp.unregister.done": (
        "The group is unregistered. I will not send anything more here. It can be registered "
        "again with /register."
    ),
    "grp.unregister.kept": "Nothing changed; the group is still registered.",
    "grp.topic.registered_here": (
        "I post alerts and tips in this topic. To have them in another topic, send /register there."
    ),
    "grp.topic.set": "✅ From now on I post alerts and tips here, in this topic.",
    "grp.topic.set_general": "✅ From now on I post alerts and tips in the General topic.",
    "grp.topic.info_general": (
        "Alerts and tips: in the General topic. Send /register in another topic to move them there."
    ),
    "grp.topic.info_here": "Alerts and tips: here, in this topic.",
    "grp.topic.info_elsewhere": (
        "Alerts and tips: in the topic where the group was registered, not here. Send /register "
        "in the topic where they belong."
    ),
    "grp.topic.info_failing": "⚠️ The last attempt to post there failed (the topic is closed or deleted).",
    "grp.topic.closed_general": (
        "⚠️ I cannot post in the group <b>{area}</b>: the General topic is closed. Alerts and "
        "tips will not reach the group until it is reopened.\n\n"
        "Reopen General, or send /register in the topic where alerts and tips belong."
    ),
    "grp.topic.closed": (
        "⚠️ I cannot post in the group <b>{area}</b>: the topic where I post alerts and tips "
        "is closed. They will not reach the group until it is reopened.\n\n"
        "Reopen the topic, or send /register in the topic where alerts and tips belong."
    ),
    "grp.topic.gone": (
        "⚠️ I cannot post in the group <b>{area}</b>: the topic where I post alerts and tips "
        "no longer exists. Alerts and tips do not reach the group.\n\n"
        "Send /register in the topic where they belong."
    ),
    "inv.usage": Plural(
        "Send <code>/invite kommun</code> (several separated by commas), for example "
        "<code>/invite Sölvesborg, Karlshamn</code>. The link is valid for {count} day and "
        "works once.",
        "Send <code>/invite kommun</code> (several separated by commas), for example "
        "<code>/invite Sölvesborg, Karlshamn</code>. The link is valid for {count} days and "
        "works once.",
    ),
    "inv.choose": "Which kommun do you mean by “{query}”?",
    "inv.ambiguous_many": "Several names fit more than one kommun ({names}). Please write them more precisely, e.g. Karlskrona instead of Karl.",
    "inv.no_match": "I can't find a kommun called “{query}”.",
    "inv.created": (
        "🔗 Police invitation for {kommuner}, valid until {expires}:\n\n{link}\n\n"
        "Send the link privately to the officer. It works once."
    ),
    "inv.redeemed": "👮 Welcome! You now have police access for {kommuner}.",
    "inv.used": "This invitation has already been used. Please ask for a new one.",
    "inv.expired": "This invitation has expired. Please ask for a new one.",
    "inv.unknown": "I don't recognise this invitation. Please ask for a new one.",
}
