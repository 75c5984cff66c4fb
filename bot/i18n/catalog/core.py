"""Texts for /start, /help, /language, /cancel, errors and the command menu."""

SV = {
    "core.start": (
        "Hej {name}! 👋\n\n"
        "Jag är <b>Grannvakt</b>, boten för grannsamverkan.\n\n"
        "🏠 <b>Boende</b> får polisens larm och förebyggande tips i sin grannsamverkansgrupp "
        "och kan rapportera iakttagelser privat till mig.\n"
        "🧭 <b>Kontaktombud</b> registrerar sin grupp, styr tipsen och går igenom "
        "de boendes iakttagelser.\n"
        "👮 <b>Poliser</b> skickar larm om inbrott och stölder till gruppernas område.\n\n"
        "Pågående brott: ring <b>112</b>. Andra tips till polisen: <b>114 14</b>.\n\n"
        "Nästa steg: {next_step}"
    ),
    "core.start.next_resident": (
        "be ert kontaktombud om gruppens länk, eller lägg till mig i er grupp "
        "om du är kontaktombud. Skriv /hjalp för att se vad du kan göra."
    ),
    "core.help.title": "<b>Det här kan du göra:</b>",
    "core.help.line": "/{command} – {description}",
    "core.help.footer": "Pågående brott: ring 112. Andra tips till polisen: 114 14.",
    "core.language.prompt": "Välj språk / Choose language:",
    "core.language.saved": "Klart! Jag skriver på svenska från och med nu.",
    "core.language.unknown": "Det språket känner jag inte till. Välj ett av alternativen.",
    "core.cancel.done": "Avbrutet. Inget sparades.",
    "core.cancel.nothing": "Det finns inget att avbryta just nu.",
    "core.error": "Oj, något gick fel hos mig. Försök igen om en stund – inget av det du sparat har försvunnit.",
    "core.stale_button": "Den här knappen har gått ut. Börja om med kommandot igen.",
    "core.not_allowed": "Det har du tyvärr inte behörighet till.",
    "core.private_only": "Det kommandot fungerar bara i en privat chatt med mig.",
    "core.start.unknown_link": (
        "Den länken känner jag inte igen (den kan ha klippts av på vägen). Be den som skickade "
        "den om en ny."
    ),
    "core.unknown_command": "Det kommandot känner jag inte igen. Skriv /hjalp för att se vad du kan göra.",
    "core.dialogue.unknown_command": (
        "Det kommandot känner jag inte igen. Du håller fortfarande på med {what} – "
        "skriv /avbryt om du vill avbryta."
    ),
    "core.list.more": "… och {count} till",
    "core.pointer": (
        "Det kan jag tyvärr inte svara på: jag förstår bara kommandon och svar på mina "
        "frågor. Skriv /hjalp för att se vad du kan göra."
    ),
    "core.pointer.report_button": "📝 Rapportera en iakttagelse",
    "core.dialogue.interrupted": (
        "{What} avbröts när jag startades om, och det du hunnit skriva sparades inte. "
        "Börja om med /{command}."
    ),
    "core.dialogue.use_buttons": (
        "För att fortsätta med {what}, tryck på en av knapparna i mitt senaste meddelande. "
        "Skriv /avbryt för att avbryta."
    ),
    "core.dialogue.send_text": (
        "För att fortsätta med {what} behöver jag ett vanligt textmeddelande. "
        "Skriv /avbryt för att avbryta."
    ),
    "core.step.use_buttons": "Svara med en av knapparna under frågan.",
    "core.step.type_it": "Jag behöver ditt svar som ett vanligt textmeddelande – skriv det, tack.",
    "core.reply.kommun_as_text": "Svara på frågan med kommunens namn, skrivet som text.",
    "core.reply.expired": (
        "Den frågan gäller inte längre (den är redan besvarad, eller så har jag startats om). "
        "Skicka /registrera igen med områdets namn och kommun."
    ),
    "core.text.too_long": "Texten är {length} tecken lång, men högst {max} får plats. Korta den och skicka den igen.",
    "core.text.empty": "Meddelandet är tomt – det innehåller bara mellanslag eller osynliga tecken. Skriv texten igen.",
    "core.input.too_long": "Det du skrev är {length} tecken långt – mer än jag kan ta emot här (högst {max}). Korta det och försök igen.",
    "core.help.dialogue_open": (
        "ℹ️ Du håller på med {what}. Svara på min senaste fråga för att fortsätta, eller "
        "skriv /avbryt för att avsluta."
    ),
    "core.dialogue.report": "din rapport",
    "core.dialogue.alert": "ditt larm",
    "core.dialogue.alert_update": "din uppdatering av larmet",
    "core.dialogue.note": "din anteckning",
    "core.dialogue.tip": "ditt tips",
    "core.dialogue.survey": "din enkät",
    "core.dialogue.presence": "ditt meddelande om polis på plats",
    "core.dialogue.presence_move": "flytten av ditt besök",
    "core.dialogue.other": "din pågående dialog",
    "cmd.start": "Börja här",
    "cmd.help": "Vad du kan göra",
    "cmd.language": "Byt språk",
    "cmd.cancel": "Avbryt pågående dialog",
    "core.dialogue.timed_out": (
        "Jag har avslutat {what} eftersom jag inte fått något svar på en stund, och det du "
        "hunnit skriva sparades inte. Börja om med /{command} när du vill."
    ),
    "grp.register.timed_out": (
        "Jag fick inget svar på vilken kommun <b>{area}</b> ligger i, så frågan har gått ut. "
        "Skicka /registrera igen med områdets namn när du vill."
    ),
}

EN = {
    "core.start": (
        "Hi {name}! 👋\n\n"
        "I am <b>Grannvakt</b>, the neighbourhood watch bot.\n\n"
        "🏠 <b>Residents</b> get police alerts and prevention tips in their neighbourhood "
        "watch group and can report what they observe to me, privately.\n"
        "🧭 <b>Coordinators</b> register their group, tune the tips and review "
        "residents' observations.\n"
        "👮 <b>Police officers</b> send burglary and theft alerts to the groups of their area.\n\n"
        "Crime in progress: call <b>112</b>. Other tips to the police: <b>114 14</b>.\n\n"
        "Next step: {next_step}"
    ),
    "core.start.next_resident": (
        "ask your coordinator for your group's link, or add me to your group if you are "
        "its coordinator. Send /help to see what you can do."
    ),
    "core.help.title": "<b>What you can do:</b>",
    "core.help.line": "/{command} – {description}",
    "core.help.footer": "Crime in progress: call 112. Other tips to the police: 114 14.",
    "core.language.prompt": "Välj språk / Choose language:",
    "core.language.saved": "Done! I will write in English from now on.",
    "core.language.unknown": "I don't know that language. Please pick one of the options.",
    "core.cancel.done": "Cancelled. Nothing was saved.",
    "core.cancel.nothing": "There is nothing to cancel right now.",
    "core.error": "Sorry, something went wrong on my side. Please try again in a moment – nothing you saved is lost.",
    "core.stale_button": "This button has expired. Please start again with the command.",
    "core.not_allowed": "Sorry, you are not allowed to do that.",
    "core.private_only": "That command only works in a private chat with me.",
    "core.start.unknown_link": (
        "I do not recognise that link (it may have been cut short on the way). Ask whoever "
        "sent it for a new one."
    ),
    "core.unknown_command": "I don't know that command. Send /help to see what you can do.",
    "core.dialogue.unknown_command": (
        "I don't know that command. You are still working on {what} – send /cancel to stop."
    ),
    "core.list.more": "… and {count} more",
    "core.pointer": (
        "Sorry, I can't answer that: I only understand commands and answers to my "
        "questions. Send /help to see what you can do."
    ),
    "core.pointer.report_button": "📝 Report an observation",
    "core.dialogue.interrupted": (
        "{What} was interrupted when I restarted, and what you had typed was not saved. "
        "Please start again with /{command}."
    ),
    "core.dialogue.use_buttons": (
        "To go on with {what}, please press one of the buttons in my last message. "
        "Send /cancel to stop."
    ),
    "core.dialogue.send_text": (
        "To go on with {what}, I need an ordinary text message. Send /cancel to stop."
    ),
    "core.step.use_buttons": "Please answer with one of the buttons under the question.",
    "core.step.type_it": "I need your answer as an ordinary text message – please type it.",
    "core.reply.kommun_as_text": "Please answer the question with the kommun's name, as text.",
    "core.reply.expired": (
        "That question has expired (it was answered already, or I have restarted). "
        "Please send /register again with the area's name and kommun."
    ),
    "core.text.too_long": "The text is {length} characters long, but at most {max} fit. Please shorten it and send it again.",
    "core.text.empty": "That message is empty – only spaces or invisible characters. Please type the text again.",
    "core.input.too_long": "What you sent is {length} characters long – more than I can take here (at most {max}). Please shorten it and try again.",
    "core.help.dialogue_open": (
        "ℹ️ You are in the middle of {what}. Answer my last question to go on, or send "
        "/cancel to end it."
    ),
    "core.dialogue.report": "your report",
    "core.dialogue.alert": "your alert",
    "core.dialogue.alert_update": "your update of the alert",
    "core.dialogue.note": "your note",
    "core.dialogue.tip": "your tip",
    "core.dialogue.survey": "your survey",
    "core.dialogue.presence": "your police-on-site announcement",
    "core.dialogue.presence_move": "moving your visit",
    "core.dialogue.other": "your dialogue",
    "cmd.start": "Start here",
    "cmd.help": "What you can do",
    "cmd.language": "Change language",
    "cmd.cancel": "Cancel the current dialogue",
    "core.dialogue.timed_out": (
        "I have ended {what} because I had no answer for a while, and what you had written "
        "was not saved. Start again with /{command} whenever you like."
    ),
    "grp.register.timed_out": (
        "I had no answer about which kommun <b>{area}</b> is in, so the question has expired. "
        "Send /register again with the area's name whenever you like."
    ),
}
