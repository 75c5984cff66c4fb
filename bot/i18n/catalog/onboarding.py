"""Texts for onboarding (issue 13): the bot added to a group, registration questions, the
welcome post, new-member pointers, the two kinds of link, role-aware /start and /help."""

from bot.i18n import Plural

SV = {
    # the bot added to a group, /start in a group
    "onb.added": (
        "👋 Hej! Jag är Grannvakt, boten för grannsamverkan.\n\n"
        "<b>Till gruppens administratörer:</b> registrera gruppen genom att skriva\n"
        "<code>/registrera områdets namn, kommun</code>\n"
        "till exempel <code>/registrera Norra Möllebacken, Sölvesborg</code>. "
        "Den som registrerar blir gruppens kontaktombud."
    ),
    "onb.added.by_member": (
        "{name}, tack för att du lade till mig! Be en administratör i gruppen att "
        "registrera den, så kan jag börja skicka polisens larm hit."
    ),
    "onb.group_start.registered": (
        "Den här gruppen är registrerad som <b>{area}</b>. Larm och tips kommer här i gruppen; "
        "iakttagelser rapporterar du privat till mig. Tryck på knappen för att öppna "
        "Grannvakt privat."
    ),
    # registration questions
    "onb.register.ask_kommun": (
        "Vilken kommun ligger <b>{area}</b> i? Svara med kommunens namn, till exempel "
        "<i>Sölvesborg</i>."
    ),
    "onb.register.no_kommun": (
        "Jag hittar ingen kommun som heter ”{query}”. Svara med kommunens namn, till exempel "
        "<i>Sölvesborg</i>."
    ),
    "onb.register.did_you_mean": (
        "Jag hittar ingen kommun som heter ”{query}”. Menade du någon av de här för "
        "<b>{area}</b>? Tryck på rätt kommun, eller svara med kommunens namn."
    ),
    "onb.register.placeholder": "Kommunens namn",
    # the welcome post and the two kinds of link
    "onb.welcome": (
        "👋 Hej <b>{area}</b>! Jag är Grannvakt.\n\n"
        "📣 <b>Här i gruppen</b> skickar jag polisens larm om inbrott och stölder i området "
        "och förebyggande tips då och då. Stanna i gruppen för att få dem.\n"
        "🔗 <b>Knappen nedan</b> öppnar en privat chatt med mig och kopplar dig till gruppen "
        "i Grannvakt. Där rapporterar du iakttagelser till kontaktombuden, inte här.\n\n"
        "Pågående brott: ring <b>112</b>. Andra tips till polisen: <b>114 14</b>."
    ),
    "onb.welcome.language": (
        "🌐 Jag skriver här på {language}. Kontaktombuden kan byta språk med /grupp."
    ),
    "onb.pointer": Plural(
        "👋 Välkommen {names}! Larm och tips kommer här i gruppen. Vill du rapportera "
        "något du sett gör du det privat till mig: tryck på knappen.",
        "👋 Välkomna {names}! Larm och tips kommer här i gruppen. Vill ni rapportera "
        "något ni sett gör ni det privat till mig: tryck på knappen.",
    ),
    "onb.link.joined": (
        "✅ Välkommen! Du är nu kopplad till <b>{area}</b> i Grannvakt: här kan du "
        "rapportera iakttagelser till kontaktombuden.\n"
        "📣 Polisens larm kommer i Telegram-gruppen, så stanna med där."
    ),
    "onb.link.not_in_group": (
        "⚠️ Du är inte med i Telegram-gruppen för <b>{area}</b>. Polisens larm och tipsen "
        "kommer bara där, så gå med i gruppen också."
    ),
    "onb.link.join_how": "Be ert kontaktombud om en inbjudan till gruppen.",
    "onb.link.join_button": "👥 Gå med i gruppen",
    "onb.invite.usage": (
        "Skicka gruppens inbjudningslänk så här: <code>/grupp inbjudan https://t.me/+…</code> "
        "(Telegram: gruppen → Lägg till medlemmar → Bjud in via länk). "
        "<code>/grupp inbjudan bort</code> tar bort den."
    ),
    "onb.invite.bad": (
        "Det där ser inte ut som en hel inbjudningslänk till en Telegram-grupp. Kopiera hela "
        "länken i Telegram (gruppens info → Inbjudningslänkar); den börjar med "
        "<code>https://t.me/+</code> eller <code>https://t.me/joinchat/</code> och följs av "
        "minst tio tecken."
    ),
    "onb.invite.saved": (
        "✅ Sparat. Den som öppnar Grannvakts länk utan att vara med i gruppen får den här "
        "inbjudan: {link}"
    ),
    "onb.invite.removed": "Inbjudningslänken är borttagen.",
    "onb.group.invite_line": "Inbjudan till Telegram-gruppen: {link}",
    "onb.group.invite_none": (
        "Ingen inbjudan till Telegram-gruppen sparad: <code>/grupp inbjudan länk</code>"
    ),
    "onb.group.language_line": "Gruppens språk (larm, tips och mina inlägg här): {language}",
    "onb.group.button.language": "🌐 Språk: {language}",
    "onb.group.language_saved": "Gruppens språk är nu {language}.",
    "onb.coord.registrant": (
        "{name} registrerade gruppen och kan bara ta bort sig själv som kontaktombud."
    ),
    # /start, /help
    "onb.start.known": "Hej {name}! 👋",
    "onb.start.waiting_observations": Plural(
        "🔔 {count} ny iakttagelse väntar: /observationer",
        "🔔 {count} nya iakttagelser väntar: /observationer",
    ),
    "onb.start.waiting_inbox": Plural(
        "🔔 {count} i inkorgen: /inkorg",
        "🔔 {count} i inkorgen: /inkorg",
    ),
    "onb.start.police": Plural(
        "👮 Du är polis för {kommuner}. /larm når {count} grupp.",
        "👮 Du är polis för {kommuner}. /larm når {count} grupper.",
    ),
    "onb.start.coordinator": Plural(
        "🧭 Du är kontaktombud för {count} grupp.",
        "🧭 Du är kontaktombud för {count} grupper.",
    ),
    "onb.start.admin": "🛠 Du är administratör för boten: /bjudin bjuder in en polis.",
    "onb.start.next_resident": (
        "Nästa steg: har du sett något? /rapportera. Dina rapporter: /minarapporter."
    ),
    "onb.start.next_coordinator": (
        "Nästa steg: gå igenom de boendes iakttagelser med /observationer."
    ),
    "onb.start.next_police": "Nästa steg: skicka ett larm med /larm, se vidarebefordrat i /inkorg.",
    "onb.start.footer": "Alla kommandon: /hjalp. Pågående brott: ring <b>112</b>.",
    "onb.redeemed.next": Plural(
        "Nästa steg: /larm skickar ett larm till {count} grupp i dina kommuner, och /inkorg "
        "visar vad kontaktombuden vidarebefordrat till dig.",
        "Nästa steg: /larm skickar ett larm till {count} grupper i dina kommuner, och /inkorg "
        "visar vad kontaktombuden vidarebefordrat till dig.",
    ),
    "onb.help.general": "<b>För alla</b>",
    "onb.help.resident": "<b>🏠 Som boende</b>",
    "onb.help.group_resident": (
        "• 📝 Det du sett rapporterar du privat till mig, inte här: tryck på knappen nedan.\n"
        "• /minadata – se eller radera det jag sparat om dig (skriv det till mig privat).\n"
        "• /minagrupper – dina grupper i Grannvakt (också privat)."
    ),
    "onb.help.group_alerts": "• 📣 Polisens larm och förebyggande tips skickar jag här i gruppen.",
    "onb.help.group_alerts_later": (
        "• 📣 Polisens larm och tips kommer här i gruppen när ett kontaktombud har "
        "registrerat den med /registrera."
    ),
    "onb.help.group_report": "📝 Rapportera privat",
    "onb.help.group_open_chat": "💬 Öppna privat chatt med mig",
    "onb.help.coordinator": "<b>🧭 Som kontaktombud</b>",
    "onb.help.police": "<b>👮 Som polis</b>",
    "onb.help.kommun": "<b>🏛 För kommunen</b>",
    "onb.start.kommun": "🏛 Du ser lägesbilden för {kommuner}, i siffror (aldrig namn eller texter).",
    "onb.start.next_kommun": "Nästa steg: /lagesbild för diagram och siffror, /karta för kartan.",
    "onb.help.admin": "<b>🛠 Som administratör</b>",
    # a private-chat command sent in a group
    "onb.private_pointer": (
        "/{command} fungerar i en privat chatt med mig, så att det du skriver inte syns för "
        "hela gruppen. Tryck på knappen för att fortsätta där."
    ),
    "onb.private_pointer.send": (
        "/{command} fungerar i en privat chatt med mig, så att det du skriver inte syns för "
        "hela gruppen. Tryck på knappen och skriv /{command} där."
    ),
    "onb.private_pointer.button": "💬 Öppna Grannvakt privat",
    # /larm by someone who is not police
    "onb.alert.not_police": (
        "Larm skickas av poliser som jag har bjudit in, till grupperna i deras kommuner. "
        "Är du polis? Be botens administratör om en inbjudningslänk; när du öppnat den kan "
        "du använda /larm.\n"
        "Har du själv sett något? Rapportera det med /rapportera, eller ring 114 14 "
        "(pågående brott: 112)."
    ),
    "onb.inbox.not_police": (
        "Inkorgen visar vad kontaktombuden har skickat vidare till polisen i ens kommuner, så "
        "den är för poliser som jag har bjudit in. Är du polis? Be botens administratör "
        "om en inbjudningslänk. Har du själv sett något? /rapportera"
    ),
    # /narvaro, /narvarolista by someone who is not police
    "onb.presence.not_police": (
        "Polisens besök meddelas av poliser som jag har bjudit in, till grupperna i "
        "deras kommuner. Är du polis? Be botens administratör om en inbjudningslänk; när du "
        "öppnat den kan du använda /narvaro."
    ),
    # /enkat, /enkater by someone who may not ask the groups
    "onb.survey.not_staff": (
        "Enkäter skickas till grupperna av poliser och kommunen (via en inbjudningslänk från "
        "botens administratör) och av kontaktombud (registrera gruppen med /registrera i "
        "gruppen). Du som är med i en grupp svarar på enkäterna direkt i gruppen."
    ),
}

EN = {
    "onb.added": (
        "👋 Hello! I am Grannvakt, the neighbourhood watch bot.\n\n"
        "<b>To the group's admins:</b> register the group by sending\n"
        "<code>/register area name, kommun</code>\n"
        "for example <code>/register Norra Möllebacken, Sölvesborg</code>. "
        "Whoever registers becomes the group's coordinator."
    ),
    "onb.added.by_member": (
        "{name}, thank you for adding me! Ask an admin of the group to register it, "
        "so I can start posting police alerts here."
    ),
    "onb.group_start.registered": (
        "This group is registered as <b>{area}</b>. Alerts and tips come here in the group; "
        "observations are reported to me privately. Press the button to open Grannvakt "
        "privately."
    ),
    "onb.register.ask_kommun": (
        "Which kommun is <b>{area}</b> in? Answer with the kommun's name, for example "
        "<i>Sölvesborg</i>."
    ),
    "onb.register.no_kommun": (
        "I can't find a kommun called “{query}”. Answer with the kommun's name, for example "
        "<i>Sölvesborg</i>."
    ),
    "onb.register.did_you_mean": (
        "I can't find a kommun called “{query}”. Did you mean one of these for "
        "<b>{area}</b>? Press the right kommun, or answer with the kommun's name."
    ),
    "onb.register.placeholder": "The kommun's name",
    "onb.welcome": (
        "👋 Hello <b>{area}</b>! I am Grannvakt.\n\n"
        "📣 <b>Here in the group</b> I post police alerts about burglaries and thefts in the "
        "area, and a prevention tip now and then. Stay in the group to get them.\n"
        "🔗 <b>The button below</b> opens a private chat with me and connects you to the "
        "group in Grannvakt. That is where you report what you observe to the coordinators, "
        "not here.\n\n"
        "Crime in progress: call <b>112</b>. Other tips to the police: <b>114 14</b>."
    ),
    "onb.welcome.language": (
        "🌐 I write here in {language}. The coordinators can change the language with /group."
    ),
    "onb.pointer": Plural(
        "👋 Welcome {names}! Alerts and tips come here in the group. To report something "
        "you saw, tell me privately: press the button.",
        "👋 Welcome {names}! Alerts and tips come here in the group. To report something "
        "you saw, tell me privately: press the button.",
    ),
    "onb.link.joined": (
        "✅ Welcome! You are now connected to <b>{area}</b> in Grannvakt: here you can "
        "report observations to the coordinators.\n"
        "📣 Police alerts come in the Telegram group, so stay in it too."
    ),
    "onb.link.not_in_group": (
        "⚠️ You are not in the Telegram group of <b>{area}</b>. Police alerts and tips are "
        "posted only there, so join the group too."
    ),
    "onb.link.join_how": "Ask your coordinator for an invitation to the group.",
    "onb.link.join_button": "👥 Join the group",
    "onb.invite.usage": (
        "Send the group's invite link like this: <code>/group invite https://t.me/+…</code> "
        "(Telegram: the group → Add members → Invite via link). "
        "<code>/group invite remove</code> removes it."
    ),
    "onb.invite.bad": (
        "That does not look like a whole invite link to a Telegram group. Copy the full link "
        "in Telegram (the group's info → Invite links); it starts with "
        "<code>https://t.me/+</code> or <code>https://t.me/joinchat/</code> followed by at "
        "least ten characters."
    ),
    "onb.invite.saved": (
        "✅ Saved. Whoever opens Grannvakt's link without being in the group gets this "
        "invitation: {link}"
    ),
    "onb.invite.removed": "The invite link is removed.",
    "onb.group.invite_line": "Invitation to the Telegram group: {link}",
    "onb.group.invite_none": (
        "No invitation to the Telegram group saved: <code>/group invite link</code>"
    ),
    "onb.group.language_line": "The group's language (alerts, tips and my posts here): {language}",
    "onb.group.button.language": "🌐 Language: {language}",
    "onb.group.language_saved": "The group's language is now {language}.",
    "onb.coord.registrant": (
        "{name} registered the group; only they can remove themselves as coordinator."
    ),
    "onb.start.known": "Hello {name}! 👋",
    "onb.start.waiting_observations": Plural(
        "🔔 {count} new observation is waiting: /observations",
        "🔔 {count} new observations are waiting: /observations",
    ),
    "onb.start.waiting_inbox": Plural(
        "🔔 {count} in your inbox: /inbox",
        "🔔 {count} in your inbox: /inbox",
    ),
    "onb.start.police": Plural(
        "👮 You are police for {kommuner}. /alert reaches {count} group.",
        "👮 You are police for {kommuner}. /alert reaches {count} groups.",
    ),
    "onb.start.coordinator": Plural(
        "🧭 You coordinate {count} group.",
        "🧭 You coordinate {count} groups.",
    ),
    "onb.start.admin": "🛠 You are an admin of the bot: /invite invites a police officer.",
    "onb.start.next_resident": ("Next step: seen something? /report. Your reports: /myreports."),
    "onb.start.next_coordinator": "Next step: review the residents' observations with /observations.",
    "onb.start.next_police": "Next step: send an alert with /alert, see what was forwarded in /inbox.",
    "onb.start.footer": "All commands: /help. Crime in progress: call <b>112</b>.",
    "onb.redeemed.next": Plural(
        "Next step: /alert sends an alert to {count} group in your kommuner, and /inbox "
        "shows what coordinators forwarded to you.",
        "Next step: /alert sends an alert to {count} groups in your kommuner, and /inbox "
        "shows what coordinators forwarded to you.",
    ),
    "onb.help.general": "<b>For everyone</b>",
    "onb.help.resident": "<b>🏠 As a resident</b>",
    "onb.help.group_resident": (
        "• 📝 Report what you have seen privately to me, not here: tap the button below.\n"
        "• /mydata – see or erase what I keep about you (write it to me privately).\n"
        "• /mygroups – your groups in Grannvakt (privately too)."
    ),
    "onb.help.group_alerts": "• 📣 I post police alerts and prevention tips here in the group.",
    "onb.help.group_alerts_later": (
        "• 📣 Police alerts and tips come here once a coordinator has registered the group "
        "with /register."
    ),
    "onb.help.group_report": "📝 Report privately",
    "onb.help.group_open_chat": "💬 Open a private chat with me",
    "onb.help.coordinator": "<b>🧭 As a coordinator</b>",
    "onb.help.police": "<b>👮 As police</b>",
    "onb.help.kommun": "<b>🏛 For the kommun</b>",
    "onb.start.kommun": "🏛 You see the situation picture for {kommuner}, in figures (never names or texts).",
    "onb.start.next_kommun": "Next step: /lagesbild for charts and figures, /map for the map.",
    "onb.help.admin": "<b>🛠 As an admin</b>",
    "onb.private_pointer": (
        "/{command} works in a private chat with me, so what you write is not shown to the "
        "whole group. Press the button to continue there."
    ),
    "onb.private_pointer.send": (
        "/{command} works in a private chat with me, so what you write is not shown to the "
        "whole group. Press the button, then send /{command} there."
    ),
    "onb.private_pointer.button": "💬 Open Grannvakt privately",
    "onb.alert.not_police": (
        "Alerts are sent by police officers I have invited, to the groups in their "
        "kommuner. Are you police? Ask the bot's admin for an invitation link; once you have "
        "opened it you can use /alert.\n"
        "Seen something yourself? Report it with /report, or call 114 14 "
        "(crime in progress: 112)."
    ),
    "onb.inbox.not_police": (
        "The inbox shows what coordinators forwarded to the police of one's kommuner, so it "
        "is for police officers I have invited. Are you police? Ask the bot's admin "
        "for an invitation link. Seen something yourself? /report"
    ),
    "onb.presence.not_police": (
        "Police visits are announced by police officers I have invited, to the groups "
        "in their kommuner. Are you police? Ask the bot's admin for an invitation link; once "
        "you have opened it you can use /presence."
    ),
    "onb.survey.not_staff": (
        "Surveys are sent to the groups by police officers and the kommun (with an invitation "
        "link from the bot's admin) and by coordinators (register the group with /register in "
        "the group). If you are in a group, you answer its surveys right there in the group."
    ),
}
