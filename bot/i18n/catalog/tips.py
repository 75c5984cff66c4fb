"""Texts for prevention tips and the /tips schedule and library management."""

from bot.i18n import Plural

SV = {
    "tips.message": "💡 <b>Tips från grannsamverkan</b>\n\n{text}",
    "cmd.tips": "Tips: schema och tipsbibliotek",
    "tips.not_registered": "Den här gruppen är inte registrerad än. Registrera den först, sedan kan du styra tipsen.",
    "tips.schedule_by_coordinator": (
        "Tipsen kommer hit enligt ett schema som gruppens kontaktombud bestämmer, och bara de "
        "kan ändra det."
    ),
    "tips.no_groups": (
        "Tipsen kommer i gruppen enligt ett schema som gruppens kontaktombud bestämmer, så du "
        "behöver inte göra något. Är du kontaktombud: skriv /tips i gruppen."
    ),
    "tips.choose": "💡 <b>Tips</b> – välj vad du vill hantera:",
    "tips.library_button": "📚 Tipsbiblioteket",
    "tips.panel": (
        "💡 <b>Tips för {group}</b>\n\n"
        "Schema: {schedule}\n"
        "Nästa tips: {next_run}\n"
        "Gruppens språk: {language} (det ändrar du med /grupp)"
    ),
    "tips.sched.weekly": "varje {weekday} {time}",
    "tips.sched.biweekly": "varannan {weekday} {time}",
    "tips.sched.monthly": "första {weekday} i månaden {time}",
    "tips.sched.off": "avstängt",
    "tips.next_none": "–",
    "tips.btn.day": "📅 Dag",
    "tips.btn.time": "🕕 Tid",
    "tips.btn.frequency": "🔁 Hur ofta",
    "tips.btn.preview": "👀 Nästa tips",
    "tips.btn.send_now": "📨 Skicka ett nu",
    "tips.btn.back": "⬅️ Tillbaka",
    "tips.pick.day": "Vilken dag ska tipsen komma?",
    "tips.pick.time": "Vilken tid ska tipsen komma?",
    "tips.pick.frequency": "Hur ofta ska tipsen komma?",
    "tips.freq.weekly": "Varje vecka",
    "tips.freq.biweekly": "Varannan vecka",
    "tips.freq.monthly": "En gång i månaden",
    "tips.freq.off": "Av",
    "tips.saved": "Sparat.",
    "tips.preview": "👀 <b>Nästa tips till {group}</b> ({next_run}):\n\n{text}",
    "tips.preview_none": "Det finns inga aktiva tips att skicka just nu.",
    "tips.sent_now": "Tipset är på väg till gruppen.",
    "tips.sent_recently": "Ett tips skickades nyss. Vänta en stund innan du skickar nästa.",
    "tips.nothing_to_send": "Det finns inga aktiva tips att skicka.",
    "tips.lib.title": Plural(
        "📚 <b>Tipsbiblioteket</b> – {count} aktivt av {total}. Sida {page} av {pages}.",
        "📚 <b>Tipsbiblioteket</b> – {count} aktiva av {total}. Sida {page} av {pages}.",
    ),
    "tips.lib.add": "➕ Nytt tips",
    "tips.lib.prev": "◀️",
    "tips.lib.next": "▶️",
    "tips.lib.view": (
        "<b>{key}</b>\nFokus: {focus} · Säsong: {seasons} · {status}\n\n"
        "🇸🇪 {text_sv}\n\n🇬🇧 {text_en}"
    ),
    "tips.lib.enabled": "aktivt",
    "tips.lib.disabled": "avstängt",
    "tips.lib.disable": "🚫 Stäng av",
    "tips.lib.enable": "✅ Aktivera",
    "tips.lib.edit_sv": "✏️ Svenska",
    "tips.lib.edit_en": "✏️ Engelska",
    "tips.lib.ask_focus": "Vilket område handlar det nya tipset om?",
    "tips.lib.ask_season": "När passar tipset?",
    "tips.lib.ask_sv": "Skriv tipset på <b>svenska</b> (högst 400 tecken, lugn och praktisk ton). Skriv /avbryt för att avbryta.",
    "tips.lib.ask_en": "Skriv nu samma tips på <b>engelska</b>.",
    "tips.lib.ask_edit": "Skriv den nya texten ({language}). Skriv /avbryt för att avbryta.",
    "tips.lib.added": "✅ Tipset är sparat och kommer med i grupperna.",
    "tips.lib.edited": "✅ Texten är ändrad.",
    "tips.lib.text_empty": "Texten är tom. Skriv tipset igen.",
    "tips.lib.text_long": "Texten är {length} tecken lång, men högst {max} får plats. Korta den och skicka den igen.",
    "tips.lib.text_chars": "Tecknen &lt; &gt; och &amp; kan inte användas. Skriv om texten och skicka den igen.",
    "tips.focus.burglary": "Inbrott och skalskydd",
    "tips.focus.theft": "Stöld och ficktjuvar",
    "tips.focus.vehicle": "Fordon, cyklar och båtmotorer",
    "tips.focus.fraud": "Bedrägerier mot äldre",
    "tips.focus.youth": "Alkohol och droger bland unga",
    "tips.focus.traffic": "Trafiksäkerhet",
    "tips.focus.neighbour": "Att vara en god granne",
    "tips.season.dark": "Mörka årstiden",
    "tips.season.christmas": "Julhandeln",
    "tips.season.summer": "Sommar och midsommar",
    "tips.season.easter": "Påsk",
    "tips.season.autumn": "Höst, fritidshus och båtar",
    "tips.season.all_year": "Hela året",
    "tips.weekday.0": "måndag",
    "tips.weekday.1": "tisdag",
    "tips.weekday.2": "onsdag",
    "tips.weekday.3": "torsdag",
    "tips.weekday.4": "fredag",
    "tips.weekday.5": "lördag",
    "tips.weekday.6": "söndag",
    "tips.lang.sv": "svenska",
    "tips.lang.en": "engelska",
}

EN = {
    "tips.message": "💡 <b>Neighbourhood watch tip</b>\n\n{text}",
    "cmd.tips": "Tips: schedule and tip library",
    "tips.not_registered": "This group is not registered yet. Register it first, then you can manage its tips.",
    "tips.schedule_by_coordinator": (
        "Tips arrive here on a schedule that the group's coordinators decide, and only they "
        "can change it."
    ),
    "tips.no_groups": (
        "Tips arrive in the group on a schedule that the group's coordinators decide, so there "
        "is nothing you need to do. If you are a coordinator: send /tips in the group."
    ),
    "tips.choose": "💡 <b>Tips</b> – choose what to manage:",
    "tips.library_button": "📚 Tip library",
    "tips.panel": (
        "💡 <b>Tips for {group}</b>\n\n"
        "Schedule: {schedule}\n"
        "Next tip: {next_run}\n"
        "Group language: {language} (change it with /group)"
    ),
    "tips.sched.weekly": "every {weekday} at {time}",
    "tips.sched.biweekly": "every other {weekday} at {time}",
    "tips.sched.monthly": "the first {weekday} of the month at {time}",
    "tips.sched.off": "off",
    "tips.next_none": "–",
    "tips.btn.day": "📅 Day",
    "tips.btn.time": "🕕 Time",
    "tips.btn.frequency": "🔁 How often",
    "tips.btn.preview": "👀 Next tip",
    "tips.btn.send_now": "📨 Send one now",
    "tips.btn.back": "⬅️ Back",
    "tips.pick.day": "On which day should tips arrive?",
    "tips.pick.time": "At what time should tips arrive?",
    "tips.pick.frequency": "How often should tips arrive?",
    "tips.freq.weekly": "Every week",
    "tips.freq.biweekly": "Every other week",
    "tips.freq.monthly": "Once a month",
    "tips.freq.off": "Off",
    "tips.saved": "Saved.",
    "tips.preview": "👀 <b>Next tip for {group}</b> ({next_run}):\n\n{text}",
    "tips.preview_none": "There are no active tips to send right now.",
    "tips.sent_now": "The tip is on its way to the group.",
    "tips.sent_recently": "A tip was sent a moment ago. Please wait a while before sending another.",
    "tips.nothing_to_send": "There are no active tips to send.",
    "tips.lib.title": Plural(
        "📚 <b>Tip library</b> – {count} active of {total}. Page {page} of {pages}.",
        "📚 <b>Tip library</b> – {count} active of {total}. Page {page} of {pages}.",
    ),
    "tips.lib.add": "➕ New tip",
    "tips.lib.prev": "◀️",
    "tips.lib.next": "▶️",
    "tips.lib.view": (
        "<b>{key}</b>\nFocus: {focus} · Season: {seasons} · {status}\n\n"
        "🇸🇪 {text_sv}\n\n🇬🇧 {text_en}"
    ),
    "tips.lib.enabled": "active",
    "tips.lib.disabled": "disabled",
    "tips.lib.disable": "🚫 Disable",
    "tips.lib.enable": "✅ Enable",
    "tips.lib.edit_sv": "✏️ Swedish",
    "tips.lib.edit_en": "✏️ English",
    "tips.lib.ask_focus": "What is the new tip about?",
    "tips.lib.ask_season": "When does the tip fit?",
    "tips.lib.ask_sv": "Write the tip in <b>Swedish</b> (at most 400 characters, calm and practical). Send /cancel to stop.",
    "tips.lib.ask_en": "Now write the same tip in <b>English</b>.",
    "tips.lib.ask_edit": "Write the new text ({language}). Send /cancel to stop.",
    "tips.lib.added": "✅ The tip is saved and will reach the groups.",
    "tips.lib.edited": "✅ The text has been changed.",
    "tips.lib.text_empty": "The text is empty. Please write the tip again.",
    "tips.lib.text_long": "The text is {length} characters long, but at most {max} fit. Please shorten it and send it again.",
    "tips.lib.text_chars": "The characters &lt; &gt; and &amp; cannot be used. Please rephrase it and send it again.",
    "tips.focus.burglary": "Burglary and home security",
    "tips.focus.theft": "Theft and pickpocketing",
    "tips.focus.vehicle": "Vehicles, bicycles and boat engines",
    "tips.focus.fraud": "Fraud against the elderly",
    "tips.focus.youth": "Alcohol and drugs among the young",
    "tips.focus.traffic": "Traffic safety",
    "tips.focus.neighbour": "Being a good neighbour",
    "tips.season.dark": "Dark season",
    "tips.season.christmas": "Christmas shopping",
    "tips.season.summer": "Summer and midsommar",
    "tips.season.easter": "Easter",
    "tips.season.autumn": "Autumn, holiday homes and boats",
    "tips.season.all_year": "All year",
    "tips.weekday.0": "Monday",
    "tips.weekday.1": "Tuesday",
    "tips.weekday.2": "Wednesday",
    "tips.weekday.3": "Thursday",
    "tips.weekday.4": "Friday",
    "tips.weekday.5": "Saturday",
    "tips.weekday.6": "Sunday",
    "tips.lang.sv": "Swedish",
    "tips.lang.en": "English",
}
