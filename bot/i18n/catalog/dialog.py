"""Texts for medborgardialog (surveys as anonymous polls) and announced police presence."""

from bot.i18n import Plural

SV = {
    "dialog.cmd.survey": "Skicka en enkät till grupperna",
    "dialog.cmd.surveys": "Dina enkäter: resultat, stäng",
    "dialog.cmd.presence": "Meddela att polisen finns på plats",
    "dialog.cmd.presences": "Dina besök: ställ in eller flytta",
    # choosing groups (surveys and presence)
    "dialog.target.all": Plural("Alla mina grupper ({count})", "Alla mina grupper ({count})"),
    "dialog.target.kommun": "En kommun",
    "dialog.target.groups": "Välj grupper",
    "dialog.target.ask_kommun": "Vilken kommun? (antal aktiva grupper inom parentes)",
    "dialog.target.kommun_button": "{name} ({count})",
    "dialog.target.ask_groups": "Tryck på grupperna och sedan på Klar. Valda: {count}.",
    "dialog.target.done": "Klar ({count})",
    "dialog.target.none_chosen": "Välj minst en grupp först.",
    "dialog.target.count": Plural("{count} grupp", "{count} grupper"),
    "dialog.send": "✅ Skicka",
    "dialog.cancel": "✖️ Avbryt",
    "dialog.cancelled": "Avbrutet. Inget skickades.",
    # surveys
    "dialog.survey.ask_question": (
        "📊 <b>Ny enkät</b>\n\nSkriv frågan på första raden och ett svarsalternativ per rad"
        " under den (2–10 svar). Svaren är anonyma: ingen kan se vem som svarade vad."
        " (/avbryt för att avbryta)"
    ),
    "dialog.survey.bad_format": (
        "Jag behöver en fråga på första raden och {min}–{max} olika svar, ett per rad."
    ),
    "dialog.survey.too_long": (
        "Frågan är {length} tecken lång, men högst {max} får plats. Korta den och skicka "
        "frågan och svaren igen."
    ),
    "dialog.survey.answer_too_long": (
        "Svar {number} är {length} tecken långt, men högst {max} får plats. Korta det och "
        "skicka frågan och svaren igen."
    ),
    "dialog.survey.ask_closing": (
        "När ska enkäten stängas? Välj nedan eller skriv dag och tid, t.ex. {day} 18:00"
        " eller {short_day} 18:00."
    ),
    "dialog.survey.closing.1": "Om ett dygn",
    "dialog.survey.closing.3": "Om tre dygn",
    "dialog.survey.closing.7": "Om en vecka",
    "dialog.survey.bad_closing": (
        "Stängningstiden ska vara mellan tio minuter och 30 dagar framåt, t.ex. {day} 18:00."
    ),
    "dialog.survey.bad_closing_form": (
        "Det förstod jag inte. Skriv dag och tid som {day} 18:00 eller {short_day} 18:00,"
        " eller välj en av knapparna."
    ),
    "dialog.survey.ask_target": "Vilka grupper ska få enkäten?",
    "dialog.survey.preview": (
        "📊 <b>{question}</b>\n{options}\n\nStängs {when}. Går till {groups}.\nSkicka?"
    ),
    "dialog.survey.preview_option": "• {option}",
    "dialog.survey.sent": Plural(
        "📊 Enkäten skickas till {count} grupp. Följ resultatet med /enkater.",
        "📊 Enkäten skickas till {count} grupper. Följ resultatet med /enkater.",
    ),
    "dialog.survey.result_head": "📊 <b>{question}</b>",
    "dialog.survey.status_open": "Pågår, stängs {when}.",
    "dialog.survey.status_closed": "Stängd {when}.",
    "dialog.survey.voters": Plural(
        "{count} har svarat. Grupper: {groups}.", "{count} har svarat. Grupper: {groups}."
    ),
    "dialog.survey.option_line": "{option}: <b>{count}</b> ({pct} %)",
    "dialog.survey.per_group": "<b>Per grupp</b> (svar per alternativ):",
    "dialog.survey.group_line": Plural(
        "{group}: {count} svar ({counts})", "{group}: {count} svar ({counts})"
    ),
    "dialog.survey.group_unsent": "{group}: inte skickad än",
    "dialog.survey.chart_votes": "Antal svar",
    "dialog.survey.closed_notice": (
        "📊 Enkäten <b>{question}</b> är nu stängd. Se resultatet med /enkater."
    ),
    "dialog.survey.closed_notice_revoked": (
        "📊 Enkäten <b>{question}</b> är nu stängd. Du har inte längre behörighet att "
        "skicka enkäter, så resultatet kan du inte se här. Fråga en administratör om du "
        "behöver det."
    ),
    "dialog.survey.unknown": "Den enkäten finns inte.",
    "dialog.survey.list_head": "📊 <b>Dina enkäter</b> – tryck på en för att se resultatet.",
    "dialog.survey.none": "Du har inte skickat några enkäter än. Skapa en med /enkat.",
    "dialog.survey.list_button": "{mark} {question}",
    "dialog.survey.close_button": "⏹ Stäng nu",
    "dialog.survey.close_ask": (
        "Vill du stänga enkäten nu? Ingen kan svara efter det. Bekräfta med knappen."
    ),
    "dialog.survey.close_yes": "✅ Ja, stäng den",
    "dialog.survey.close_no": "↩️ Nej, låt den vara öppen",
    "dialog.survey.refresh_button": "🔄 Uppdatera",
    "dialog.survey.closing_now": "Jag stänger enkäten i alla grupper.",
    "dialog.survey.already_closed": "Enkäten är redan stängd.",
    # announced presence
    "dialog.presence.ask_what": (
        "🚓 <b>Polisen på plats</b>\n\nVad gäller det? T.ex. ”Vi pratar om inbrottsskydd”."
        " (/avbryt för att avbryta)"
    ),
    "dialog.presence.ask_place": (
        "Var? Skriv platsen, t.ex. ”ICA Sölvesborg”. Vill du visa den på kartan kan du först"
        " dela en plats (📎 → Plats)."
    ),
    "dialog.presence.got_location": "Tack, platsen visas på kartan. Skriv nu platsens namn.",
    "dialog.presence.ask_when": (
        "När? Skriv dag och tid, t.ex. {day} 14:00-16:00 eller {short_day} 14:00-16:00."
    ),
    "dialog.presence.bad_period": (
        "Det förstod jag inte. Skriv dag och tid som {day} 14:00-16:00 eller"
        " {short_day} 14:00-16:00 (högst ett dygn)."
    ),
    "dialog.presence.past": "Starttiden har redan varit. Skriv en tid framåt.",
    "dialog.presence.no_such_time": (
        "Klockan {time} finns inte den natten: sommartiden börjar och klockan ställs fram en"
        " timme. Skriv en annan tid."
    ),
    "dialog.presence.ask_target": "Vilka grupper ska få veta?",
    "dialog.presence.preview": "{body}\n\nGår till {groups}. Skicka?",
    "dialog.presence.sent": Plural(
        "🚓 Meddelandet skickas till {count} grupp. Ställ in eller flytta med /narvarolista.",
        "🚓 Meddelandet skickas till {count} grupper. Ställ in eller flytta med /narvarolista.",
    ),
    "dialog.presence.msg": ("🚓 <b>Polisen på plats</b>\n\n{what}\n\n📍 {place}\n🕑 {when}"),
    "dialog.presence.remind_hint": "<i>Tryck på 🔔 så påminner jag dig privat en timme innan.</i>",
    "dialog.presence.remind_button": "🔔 Påminn mig",
    "dialog.presence.ics_summary": "Polisen på plats: {place}",
    "dialog.presence.ics_caption": "📅 Lägg till i kalendern: öppna filen.",
    "dialog.presence.reminder": "🔔 <b>Påminnelse – om en timme:</b>\n\n{body}",
    "dialog.presence.cancelled": "❌ <b>Inställt:</b> polisen kommer inte enligt meddelandet.",
    "dialog.presence.moved": "🔄 <b>Ny tid:</b> {new} (i stället för {old}).",
    "dialog.presence.unknown": "Det besöket finns inte.",
    "dialog.presence.already_cancelled": "Besöket är redan inställt.",
    "dialog.presence.over": "Besöket är redan över, så det går inte att ställa in eller flytta.",
    "dialog.presence.remind_set": "🔔 Jag påminner dig privat {time}. Tryck igen för att ångra.",
    "dialog.presence.remind_removed": "Påminnelsen är borttagen.",
    "dialog.presence.remind_not_started": (
        "Jag kan inte skriva till dig förrän du öppnat chatten med mig. Öppna {link},"
        " tryck på Starta och tryck sedan på 🔔 igen."
    ),
    "dialog.presence.remind_unknown": "Besöket är inställt eller redan över.",
    "dialog.presence.list_head": "🚓 <b>Dina besök</b>",
    "dialog.presence.list_line": "{mark} {when}: {place}",
    "dialog.presence.none": "Du har inte meddelat några besök än. Gör det med /narvaro.",
    "dialog.presence.cancel_button": "❌ Ställ in {when}",
    "dialog.presence.move_button": "🔄 Flytta {when}",
    "dialog.presence.cancel_ask": (
        "Vill du ställa in besöket? Grupperna och de som bett om en påminnelse får veta det. "
        "Bekräfta med knappen."
    ),
    "dialog.presence.cancel_yes": "✅ Ja, ställ in {when}",
    "dialog.presence.cancel_no": "↩️ Nej, behåll",
    "dialog.presence.ask_move": (
        "Vilken ny tid? T.ex. {day} 14:00-16:00 eller {short_day} 14:00-16:00. (/avbryt)"
    ),
    "dialog.presence.cancelled_done": Plural(
        "Inställt. Jag svarar på meddelandet i {count} grupp och meddelar dem som bett om påminnelse.",
        "Inställt. Jag svarar på meddelandet i {count} grupper och meddelar dem som bett om påminnelse.",
    ),
    "dialog.presence.moved_done": Plural(
        "Flyttat. Jag svarar på meddelandet i {count} grupp och meddelar dem som bett om påminnelse.",
        "Flyttat. Jag svarar på meddelandet i {count} grupper och meddelar dem som bett om påminnelse.",
    ),
    # lägesbild digest lines
    "dialog.digest.line": "Medborgardialog – enkäter: {surveys}, svar: {voters}. Närvaro – besök: {presences}.",
}

EN = {
    "dialog.cmd.survey": "Send a survey to the groups",
    "dialog.cmd.surveys": "Your surveys: results, close",
    "dialog.cmd.presence": "Announce that police will be on site",
    "dialog.cmd.presences": "Your visits: cancel or move",
    "dialog.target.all": Plural("All my groups ({count})", "All my groups ({count})"),
    "dialog.target.kommun": "One kommun",
    "dialog.target.groups": "Choose groups",
    "dialog.target.ask_kommun": "Which kommun? (active groups in brackets)",
    "dialog.target.kommun_button": "{name} ({count})",
    "dialog.target.ask_groups": "Tap the groups, then Done. Chosen: {count}.",
    "dialog.target.done": "Done ({count})",
    "dialog.target.none_chosen": "Choose at least one group first.",
    "dialog.target.count": Plural("{count} group", "{count} groups"),
    "dialog.send": "✅ Send",
    "dialog.cancel": "✖️ Cancel",
    "dialog.cancelled": "Cancelled. Nothing was sent.",
    "dialog.survey.ask_question": (
        "📊 <b>New survey</b>\n\nWrite the question on the first line and one answer per line"
        " below it (2–10 answers). Answers are anonymous: nobody can see who answered what."
        " (/cancel to stop)"
    ),
    "dialog.survey.bad_format": (
        "I need a question on the first line and {min}–{max} different answers, one per line."
    ),
    "dialog.survey.too_long": (
        "The question is {length} characters long, but at most {max} fit. Please shorten it "
        "and send the question and answers again."
    ),
    "dialog.survey.answer_too_long": (
        "Answer {number} is {length} characters long, but at most {max} fit. Please shorten "
        "it and send the question and answers again."
    ),
    "dialog.survey.ask_closing": (
        "When should the survey close? Choose below or write the day and time, e.g."
        " {day} 18:00 or {short_day} 18:00."
    ),
    "dialog.survey.closing.1": "In one day",
    "dialog.survey.closing.3": "In three days",
    "dialog.survey.closing.7": "In one week",
    "dialog.survey.bad_closing": (
        "The closing time must be between ten minutes and 30 days ahead, e.g. {day} 18:00."
    ),
    "dialog.survey.bad_closing_form": (
        "I did not understand that. Write the day and time as {day} 18:00 or {short_day} 18:00,"
        " or choose one of the buttons."
    ),
    "dialog.survey.ask_target": "Which groups should get the survey?",
    "dialog.survey.preview": (
        "📊 <b>{question}</b>\n{options}\n\nCloses {when}. Goes to {groups}.\nSend it?"
    ),
    "dialog.survey.preview_option": "• {option}",
    "dialog.survey.sent": Plural(
        "📊 The survey is being sent to {count} group. Follow the result with /surveys.",
        "📊 The survey is being sent to {count} groups. Follow the result with /surveys.",
    ),
    "dialog.survey.result_head": "📊 <b>{question}</b>",
    "dialog.survey.status_open": "Running, closes {when}.",
    "dialog.survey.status_closed": "Closed {when}.",
    "dialog.survey.voters": Plural(
        "{count} person answered. Groups: {groups}.", "{count} people answered. Groups: {groups}."
    ),
    "dialog.survey.option_line": "{option}: <b>{count}</b> ({pct} %)",
    "dialog.survey.per_group": "<b>Per group</b> (answers per option):",
    "dialog.survey.group_line": Plural(
        "{group}: {count} answer ({counts})", "{group}: {count} answers ({counts})"
    ),
    "dialog.survey.group_unsent": "{group}: not sent yet",
    "dialog.survey.chart_votes": "Answers",
    "dialog.survey.closed_notice": (
        "📊 The survey <b>{question}</b> is now closed. See the result with /surveys."
    ),
    "dialog.survey.closed_notice_revoked": (
        "📊 The survey <b>{question}</b> is now closed. You are no longer allowed to run "
        "surveys, so you cannot see its result here. Ask an administrator if you need it."
    ),
    "dialog.survey.unknown": "That survey does not exist.",
    "dialog.survey.list_head": "📊 <b>Your surveys</b> – tap one to see its result.",
    "dialog.survey.none": "You have not sent any surveys yet. Create one with /survey.",
    "dialog.survey.list_button": "{mark} {question}",
    "dialog.survey.close_button": "⏹ Close now",
    "dialog.survey.close_ask": (
        "Close the survey now? Nobody can answer after that. Confirm with the button."
    ),
    "dialog.survey.close_yes": "✅ Yes, close it",
    "dialog.survey.close_no": "↩️ No, keep it open",
    "dialog.survey.refresh_button": "🔄 Refresh",
    "dialog.survey.closing_now": "I am closing the survey in every group.",
    "dialog.survey.already_closed": "The survey is already closed.",
    "dialog.presence.ask_what": (
        "🚓 <b>Police on site</b>\n\nWhat is it about? E.g. “We talk about burglary"
        " protection”. (/cancel to stop)"
    ),
    "dialog.presence.ask_place": (
        "Where? Write the place, e.g. “ICA Sölvesborg”. To show it on the map, share a"
        " location first (📎 → Location)."
    ),
    "dialog.presence.got_location": "Thanks, the place will be shown on the map. Now write its name.",
    "dialog.presence.ask_when": (
        "When? Write the day and time, e.g. {day} 14:00-16:00 or {short_day} 14:00-16:00."
    ),
    "dialog.presence.bad_period": (
        "I did not understand that. Write the day and time as {day} 14:00-16:00 or"
        " {short_day} 14:00-16:00 (at most one day)."
    ),
    "dialog.presence.past": "That start time has passed. Please give a time ahead.",
    "dialog.presence.no_such_time": (
        "{time} does not exist that night: summer time begins and the clocks go forward an"
        " hour. Please write another time."
    ),
    "dialog.presence.ask_target": "Which groups should be told?",
    "dialog.presence.preview": "{body}\n\nGoes to {groups}. Send it?",
    "dialog.presence.sent": Plural(
        "🚓 The announcement is being sent to {count} group. Cancel or move it with /presences.",
        "🚓 The announcement is being sent to {count} groups. Cancel or move it with /presences.",
    ),
    "dialog.presence.msg": ("🚓 <b>Police on site</b>\n\n{what}\n\n📍 {place}\n🕑 {when}"),
    "dialog.presence.remind_hint": "<i>Tap 🔔 and I will remind you privately an hour before.</i>",
    "dialog.presence.remind_button": "🔔 Remind me",
    "dialog.presence.ics_summary": "Police on site: {place}",
    "dialog.presence.ics_caption": "📅 Add to your calendar: open the file.",
    "dialog.presence.reminder": "🔔 <b>Reminder – in one hour:</b>\n\n{body}",
    "dialog.presence.cancelled": "❌ <b>Cancelled:</b> the police will not come as announced.",
    "dialog.presence.moved": "🔄 <b>New time:</b> {new} (instead of {old}).",
    "dialog.presence.unknown": "That visit does not exist.",
    "dialog.presence.already_cancelled": "The visit is already cancelled.",
    "dialog.presence.over": "The visit is already over, so it cannot be cancelled or moved.",
    "dialog.presence.remind_set": "🔔 I will remind you privately {time}. Tap again to undo.",
    "dialog.presence.remind_removed": "The reminder is removed.",
    "dialog.presence.remind_not_started": (
        "I cannot write to you until you have opened the chat with me. Open {link},"
        " tap Start, then tap 🔔 again."
    ),
    "dialog.presence.remind_unknown": "The visit is cancelled or already over.",
    "dialog.presence.list_head": "🚓 <b>Your visits</b>",
    "dialog.presence.list_line": "{mark} {when}: {place}",
    "dialog.presence.none": "You have not announced any visits yet. Do it with /presence.",
    "dialog.presence.cancel_button": "❌ Cancel {when}",
    "dialog.presence.move_button": "🔄 Move {when}",
    "dialog.presence.cancel_ask": (
        "Cancel this visit? The groups and everyone who asked for a reminder will be told. "
        "Confirm with the button."
    ),
    "dialog.presence.cancel_yes": "✅ Yes, cancel {when}",
    "dialog.presence.cancel_no": "↩️ No, keep it",
    "dialog.presence.ask_move": (
        "What is the new time? E.g. {day} 14:00-16:00 or {short_day} 14:00-16:00. (/cancel)"
    ),
    "dialog.presence.cancelled_done": Plural(
        "Cancelled. I am replying to the announcement in {count} group and telling those who asked for a reminder.",
        "Cancelled. I am replying to the announcement in {count} groups and telling those who asked for a reminder.",
    ),
    "dialog.presence.moved_done": Plural(
        "Moved. I am replying to the announcement in {count} group and telling those who asked for a reminder.",
        "Moved. I am replying to the announcement in {count} groups and telling those who asked for a reminder.",
    ),
    "dialog.digest.line": "Citizen dialogue – surveys: {surveys}, answers: {voters}. Presence – visits: {presences}.",
}
