"""Texts of the privacy notice, /minadata and /glommig (handlers/privacy.py)."""

from bot.i18n import Plural

SV = {
    "privacy.days": Plural("{count} dag", "{count} dagar"),
    "privacy.cmd.privacy": "Vad jag sparar om dig och varför",
    "privacy.cmd.mydata": "Få en kopia av allt jag sparar om dig",
    "privacy.cmd.forgetme": "Radera dina uppgifter",
    "privacy.link": "🔒 Vad jag sparar om dig och varför: /integritet",
    "privacy.notice": (
        "🔒 <b>Så hanterar jag dina uppgifter</b>\n\n"
        "<b>Vad jag sparar:</b> ditt Telegram-id, namn, användarnamn och språk; vilka "
        "grannsamverkansgrupper du är med i och eventuella roller; dina rapporter "
        "(vad, var, när, foton som Telegram-id:n) och vilka larm du markerat som lästa.\n"
        "<b>Varför:</b> för att skicka larm och tips till din grupp och för att dina "
        "iakttagelser ska nå gruppens kontaktombud och vid behov polisen.\n\n"
        "<b>Vem ser vad:</b> som boende ser du bara dina egna rapporter. Kontaktombuden ser "
        "sin grupps rapporter. Polisen ser bara det som kontaktombuden skickat vidare. Ditt "
        "namn visas bara om du har sagt ja till det.\n\n"
        "<b>Hur länge:</b> avslutade och hanterade rapporter raderas efter {observation_days}, "
        "tillbakadragna efter {withdrawn_days}, loggen efter {audit_days}. "
        "Är du inte med i någon grupp och har inte använt mig på två år avidentifieras du.\n\n"
        "<b>Dina rättigheter:</b> /minadata ger dig en kopia av allt jag sparar om dig. "
        "/glommig raderar dina uppgifter.\n\n"
        "<b>Personuppgiftsansvarig:</b> {controller}"
    ),
    "privacy.controller_unset": (
        "inte angiven ännu – fråga ert kontaktombud vem som driver den här boten"
    ),
    "privacy.mydata.caption": "Allt jag sparar om dig (JSON).",
    "privacy.mydata.summary": (
        "📄 <b>Det här sparar jag om dig</b>\n"
        "Profil: {profile}\n"
        "Grupper: {groups}\n"
        "Roller: {roles}\n"
        "Rapporter: {reports}\n"
        "Lästa larm: {acks}\n"
        "Loggposter om dig: {audit}\n\n"
        "Hela innehållet finns i filen ovan. Vill du att jag raderar det: /glommig"
    ),
    "privacy.mydata.no_profile": "ingen",
    "privacy.role.coordinator": "kontaktombud för",
    "privacy.role.police": "polis i",
    "privacy.role.kommun": "kommunens trygghetssamordnare i",
    "privacy.mydata.none": "inga",
    "privacy.forget.ask": (
        "⚠️ <b>Vill du att jag raderar dina uppgifter?</b>\n\n"
        "Jag tar bort ditt namn och användarnamn, dina gruppmedlemskap, roller och "
        "markeringar av larm. Rapporter som fortfarande är nya raderas med sina foton. "
        "Rapporter som kontaktombuden redan har hanterat eller skickat till polisen "
        "behålls, men utan koppling till dig.\n\n"
        "Det går inte att ångra."
    ),
    "privacy.forget.last_coordinator": Plural(
        "⚠️ Du är det enda kontaktombudet i {groups}. Efter raderingen har gruppen inget "
        "kontaktombud, och nya rapporter når ingen. En administratör i gruppen blir "
        "kontaktombud genom att registrera den igen med /registrera.",
        "⚠️ Du är det enda kontaktombudet i {count} grupper: {groups}. Efter raderingen har de "
        "inget kontaktombud, och nya rapporter når ingen. En administratör i en grupp blir "
        "kontaktombud genom att registrera den igen med /registrera.",
    ),
    "privacy.forget.yes": "Ja, radera",
    "privacy.forget.no": "Nej, avbryt",
    "privacy.forget.cancelled": "Okej, jag raderade ingenting.",
    "privacy.forget.done": (
        "✅ <b>Klart, jag har raderat dina uppgifter.</b>\n\n"
        "<b>Raderat:</b>\n"
        "• ditt namn, användarnamn och din språkinställning från Telegram\n"
        "• {memberships}\n"
        "• {roles}\n"
        "• {acks}\n"
        "• {reports_deleted} ({photos})\n"
        "• meddelanden till dig eller om dig som ännu inte skickats\n\n"
        "<b>Behållet:</b> {kept}\n\n"
        "Skriver du till mig igen börjar jag om från noll."
    ),
    "privacy.forget.kept_none": "ingenting.",
    "privacy.forget.kept": Plural(
        "{references} – den hade redan hanterats av kontaktombuden eller skickats till "
        "polisen, som kan behöva den. Innehållet finns kvar men ingen kan längre se att "
        "det var du som rapporterade.",
        "{references} – de hade redan hanterats av kontaktombuden eller skickats till "
        "polisen, som kan behöva dem. Innehållet finns kvar men ingen kan längre se att "
        "det var du som rapporterade.",
    ),
    "privacy.forget.memberships": Plural("{count} gruppmedlemskap", "{count} gruppmedlemskap"),
    "privacy.forget.roles": Plural("{count} roll", "{count} roller"),
    "privacy.forget.acks": Plural("{count} markering av larm", "{count} markeringar av larm"),
    "privacy.forget.reports": Plural("{count} ny rapport", "{count} nya rapporter"),
    "privacy.forget.photos": Plural("{count} foto", "{count} foton"),
    "privacy.forget.expired": "Den här frågan gäller inte längre. Skriv /glommig igen.",
}

EN = {
    "privacy.days": Plural("{count} day", "{count} days"),
    "privacy.cmd.privacy": "What I store about you and why",
    "privacy.cmd.mydata": "Get a copy of everything I store about you",
    "privacy.cmd.forgetme": "Erase your data",
    "privacy.link": "🔒 What I store about you and why: /privacy",
    "privacy.notice": (
        "🔒 <b>How I handle your data</b>\n\n"
        "<b>What I store:</b> your Telegram id, name, username and language; which "
        "neighbourhood watch groups you are in and any roles; your reports (what, where, "
        "when, photos as Telegram ids) and which alerts you marked as read.\n"
        "<b>Why:</b> to send alerts and tips to your group, and so that your observations "
        "reach your group's coordinators and, when needed, the police.\n\n"
        "<b>Who sees what:</b> as a resident you see only your own reports. Coordinators "
        "see their group's reports. The police see only what coordinators forwarded. Your "
        "name is shown only if you agreed to it.\n\n"
        "<b>How long:</b> closed and handled reports are deleted after {observation_days}, "
        "withdrawn ones after {withdrawn_days}, the log after {audit_days}. "
        "If you are in no group and have not used me for two years, you are pseudonymised.\n\n"
        "<b>Your rights:</b> /mydata gives you a copy of everything I store about you. "
        "/forgetme erases your data.\n\n"
        "<b>Responsible (data controller):</b> {controller}"
    ),
    "privacy.controller_unset": ("not named yet – ask your coordinator who runs this bot"),
    "privacy.mydata.caption": "Everything I store about you (JSON).",
    "privacy.mydata.summary": (
        "📄 <b>What I store about you</b>\n"
        "Profile: {profile}\n"
        "Groups: {groups}\n"
        "Roles: {roles}\n"
        "Reports: {reports}\n"
        "Alerts marked read: {acks}\n"
        "Log entries about you: {audit}\n\n"
        "The file above holds all of it. To have me erase it: /forgetme"
    ),
    "privacy.mydata.no_profile": "none",
    "privacy.role.coordinator": "coordinator of",
    "privacy.role.police": "police in",
    "privacy.role.kommun": "the kommun's safety office in",
    "privacy.mydata.none": "none",
    "privacy.forget.ask": (
        "⚠️ <b>Do you want me to erase your data?</b>\n\n"
        "I remove your name and username, your group memberships, roles and alert "
        "acknowledgements. Reports that are still new are deleted with their photos. "
        "Reports the coordinators already handled or forwarded to the police are kept, "
        "but no longer linked to you.\n\n"
        "This cannot be undone."
    ),
    "privacy.forget.last_coordinator": Plural(
        "⚠️ You are the only coordinator of {groups}. After the erasure the group has no "
        "coordinator, and new reports reach nobody. An admin of the group becomes its "
        "coordinator by registering it again with /register.",
        "⚠️ You are the only coordinator of {count} groups: {groups}. After the erasure they "
        "have no coordinator, and new reports reach nobody. An admin of a group becomes its "
        "coordinator by registering it again with /register.",
    ),
    "privacy.forget.yes": "Yes, erase",
    "privacy.forget.no": "No, cancel",
    "privacy.forget.cancelled": "All right, I erased nothing.",
    "privacy.forget.done": (
        "✅ <b>Done, I have erased your data.</b>\n\n"
        "<b>Erased:</b>\n"
        "• your name, username and language setting from Telegram\n"
        "• {memberships}\n"
        "• {roles}\n"
        "• {acks}\n"
        "• {reports_deleted} ({photos})\n"
        "• messages to you or about you not sent yet\n\n"
        "<b>Kept:</b> {kept}\n\n"
        "If you write to me again, I start from scratch."
    ),
    "privacy.forget.kept_none": "nothing.",
    "privacy.forget.kept": Plural(
        "{references} – it had already been handled by the coordinators or forwarded to "
        "the police, who may need it. Its content stays, but nobody can see any more "
        "that you reported it.",
        "{references} – they had already been handled by the coordinators or forwarded to "
        "the police, who may need them. Their content stays, but nobody can see any more "
        "that you reported them.",
    ),
    "privacy.forget.memberships": Plural("{count} group membership", "{count} group memberships"),
    "privacy.forget.roles": Plural("{count} role", "{count} roles"),
    "privacy.forget.acks": Plural(
        "{count} alert acknowledgement", "{count} alert acknowledgements"
    ),
    "privacy.forget.reports": Plural("{count} new report", "{count} new reports"),
    "privacy.forget.photos": Plural("{count} photo", "{count} photos"),
    "privacy.forget.expired": "This question no longer applies. Send /forgetme again.",
}
