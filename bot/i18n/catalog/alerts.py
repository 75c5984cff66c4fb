"""Texts for police alerts: the /alert dialogue, the group message, acks, /alerts."""

from bot.i18n import Plural

SV = {
    "alerts.cmd.alert": "Skicka ett larm till grupperna (polis)",
    "alerts.cmd.alerts": "Dina senaste larm, uppdatera eller återkalla",
    "alerts.type.burglary": "🏠 Inbrott",
    "alerts.type.theft": "👜 Stöld",
    "alerts.type.vehicle": "🚗 Fordonsbrott",
    "alerts.type.fraud": "📞 Bedrägeri",
    "alerts.type.robbery": "⚠️ Rån",
    "alerts.type.drugs": "💊 Narkotika",
    "alerts.type.traffic": "🚦 Trafik",
    "alerts.type.other": "ℹ️ Övrigt",
    # the message in the groups
    "alerts.msg": (
        "🚨 <b>Polisen informerar: {category}</b>\n\n{body}\n\n"
        "<i>Skickat {when} via Grannvakt.</i>\n"
        "Pågående brott: ring 112. Tips till polisen: 114 14."
    ),
    "alerts.msg.update": "\n\n🔄 <b>Uppdatering:</b> {update}",
    "alerts.msg.withdrawn": "❌ <b>ÅTERKALLAT – det här larmet gäller inte längre.</b>\n\n{original}",
    "alerts.msg.update_reply": "🔄 <b>Uppdatering av larmet:</b> {update}",
    "alerts.msg.withdrawn_reply": "❌ <b>Larmet ovan är återkallat och gäller inte längre.</b>",
    "alerts.ack.button": "✅ Läst",
    "alerts.ack.recorded": "Tack! Jag har noterat att du har läst larmet.",
    "alerts.ack.already": "Du har redan markerat larmet som läst.",
    "alerts.ack.unknown": "Det här larmet finns inte längre.",
    "alerts.ack.withdrawn": "Larmet är återkallat.",
    "alerts.ack.preview": "Så här ser knappen ut – de boende trycker på den när de läst larmet.",
    # the dialogue
    "alerts.ask.type": "🚨 <b>Nytt larm</b>\n\nVad gäller det? (/avbryt för att avbryta)",
    "alerts.ask.target": "Vilka grupper ska få larmet?",
    "alerts.target.all": "Alla grupper i mina kommuner ({count})",
    "alerts.target.everywhere": "Alla grupper ({count})",
    "alerts.target.kommun": "En kommun",
    "alerts.target.groups": "Välj grupper",
    "alerts.ask.kommun": "Vilken kommun? (antal aktiva grupper inom parentes)",
    "alerts.kommun.more": "De kommuner som har flest grupper visas; {count} till finns. Välj alla grupper om larmet gäller fler.",
    "alerts.kommun.button": "{name} ({count})",
    "alerts.ask.groups": "Tryck på grupperna som ska få larmet och sedan på Klar. Valda: {count}.",
    "alerts.groups.done": "Klar ({count})",
    "alerts.groups.none_chosen": "Välj minst en grupp först.",
    "alerts.groups.too_many": Plural(
        "Visar de första {shown} av {count} grupp. Välj en kommun för att nå alla.",
        "Visar de första {shown} av {count} grupper. Välj en kommun för att nå alla.",
    ),
    "alerts.no_groups": "Det finns inga aktiva grupper att skicka till där. Välj ett annat mål eller /avbryt.",
    "alerts.ask.text": "Skriv larmtexten (högst {max} tecken). Beskriv vad, var och när, och vad de boende ska tänka på.",
    "alerts.text.too_long": "Texten är {length} tecken lång, men högst {max} får plats. Korta den och skicka den igen.",
    "alerts.ask.photo": "Vill du bifoga en bild? Skicka den nu, eller tryck på Hoppa över.",
    "alerts.photo.skip": "Hoppa över",
    "alerts.photo.too_long": "Texten är {length} tecken lång, men med en bild får högst cirka {max} plats (bildtexter är kortare). Tryck på Hoppa över för att skicka utan bild, eller /avbryt och börja om med en kortare text.",
    "alerts.photo.expected": "Det där kan jag inte bifoga – bara en bild, skickad som foto.",
    "alerts.preview.title": "👆 <b>Förhandsvisning ovan</b> – så här ser de boende larmet.",
    "alerts.confirm": Plural(
        "Skicka larmet (<b>{category}</b>) till <b>{count}</b> grupp: {target}?",
        "Skicka larmet (<b>{category}</b>) till <b>{count}</b> grupper: {target}?",
    ),
    "alerts.confirm.target.all": "alla grupper i dina kommuner",
    "alerts.confirm.target.everywhere": "alla grupper",
    "alerts.confirm.target.kommun": "{name}",
    "alerts.confirm.target.groups": "valda grupper",
    "alerts.button.send": "📣 Skicka",
    "alerts.button.cancel": "Avbryt",
    "alerts.sending": Plural(
        "📣 Larm #{id} skickas till {count} grupp … Jag uppdaterar det här meddelandet när den har fått det.",
        "📣 Larm #{id} skickas till {count} grupper … Jag uppdaterar det här meddelandet när alla har fått det.",
    ),
    "alerts.report": Plural(
        "✅ <b>Larm #{id} är utskickat.</b>\n"
        "Levererat: {delivered} av {count} grupp\n"
        "Misslyckades: {failed}\n"
        "Inaktiva grupper (jag är borttagen ur dem): {inactive}",
        "✅ <b>Larm #{id} är utskickat.</b>\n"
        "Levererat: {delivered} av {count} grupper\n"
        "Misslyckades: {failed}\n"
        "Inaktiva grupper (jag är borttagen ur dem): {inactive}",
    ),
    "alerts.report.reason": "• {reason} ({count})",
    "alerts.report.withdrawn": "Inte skickat eftersom larmet drogs tillbaka: {count}",
    # /alerts, update, withdraw
    "alerts.list.title": "<b>Dina senaste larm</b>",
    "alerts.list.empty": "Du har inte skickat några larm än. Skicka ett med /larm.",
    "alerts.list.item": Plural(
        "<b>#{id}</b> {category} · {when}\n{preview}\nNådde {delivered} av {count} grupp · {seen} har markerat som läst{pending}{withdrawn}",
        "<b>#{id}</b> {category} · {when}\n{preview}\nNådde {delivered} av {count} grupper · {seen} har markerat som läst{pending}{withdrawn}",
    ),
    "alerts.list.pending": " · {pending} väntar",
    "alerts.list.withdrawn": " · ❌ återkallat",
    "alerts.button.update": "🔄 Uppdatera #{id}",
    "alerts.button.withdraw": "❌ Återkalla #{id}",
    "alerts.update.ask": "Skriv uppdateringen till larm #{id} (högst {max} tecken). Den läggs till i larmet i alla grupper.",
    "alerts.update.queued": Plural(
        "🔄 Uppdateringen skickas till {count} grupp.",
        "🔄 Uppdateringen skickas till {count} grupper.",
    ),
    "alerts.withdraw.confirm": "Återkalla larm #{id}? Meddelandet ändras i alla grupper.",
    "alerts.withdraw.yes": "Ja, återkalla",
    "alerts.withdraw.done": Plural(
        "❌ Larm #{id} återkallas i {count} grupp.",
        "❌ Larm #{id} återkallas i {count} grupper.",
    ),
    "alerts.manage.already_withdrawn": "Det larmet är redan återkallat.",
}

EN = {
    "alerts.cmd.alert": "Send an alert to the groups (police)",
    "alerts.cmd.alerts": "Your recent alerts, update or withdraw",
    "alerts.type.burglary": "🏠 Burglary",
    "alerts.type.theft": "👜 Theft",
    "alerts.type.vehicle": "🚗 Vehicle crime",
    "alerts.type.fraud": "📞 Fraud",
    "alerts.type.robbery": "⚠️ Robbery",
    "alerts.type.drugs": "💊 Drugs",
    "alerts.type.traffic": "🚦 Traffic",
    "alerts.type.other": "ℹ️ Other",
    "alerts.msg": (
        "🚨 <b>Police alert: {category}</b>\n\n{body}\n\n"
        "<i>Sent {when} via Grannvakt.</i>\n"
        "Crime in progress: call 112. Tips to the police: 114 14."
    ),
    "alerts.msg.update": "\n\n🔄 <b>Update:</b> {update}",
    "alerts.msg.withdrawn": "❌ <b>WITHDRAWN – this alert no longer applies.</b>\n\n{original}",
    "alerts.msg.update_reply": "🔄 <b>Update to the alert:</b> {update}",
    "alerts.msg.withdrawn_reply": "❌ <b>The alert above has been withdrawn and no longer applies.</b>",
    "alerts.ack.button": "✅ Read",
    "alerts.ack.recorded": "Thank you! I have noted that you have read the alert.",
    "alerts.ack.already": "You have already marked this alert as read.",
    "alerts.ack.unknown": "This alert no longer exists.",
    "alerts.ack.withdrawn": "This alert has been withdrawn.",
    "alerts.ack.preview": "This is the button residents press once they have read the alert.",
    "alerts.ask.type": "🚨 <b>New alert</b>\n\nWhat is it about? (/cancel to stop)",
    "alerts.ask.target": "Which groups should get the alert?",
    "alerts.target.all": "All groups in my kommuner ({count})",
    "alerts.target.everywhere": "All groups ({count})",
    "alerts.target.kommun": "One kommun",
    "alerts.target.groups": "Choose groups",
    "alerts.ask.kommun": "Which kommun? (active groups in brackets)",
    "alerts.kommun.more": "The kommuner with the most groups are shown; there are {count} more. Choose all groups if the alert concerns more.",
    "alerts.kommun.button": "{name} ({count})",
    "alerts.ask.groups": "Tap the groups that should get the alert, then Done. Chosen: {count}.",
    "alerts.groups.done": "Done ({count})",
    "alerts.groups.none_chosen": "Choose at least one group first.",
    "alerts.groups.too_many": Plural(
        "Showing the first {shown} of {count} group. Choose a kommun to reach them all.",
        "Showing the first {shown} of {count} groups. Choose a kommun to reach them all.",
    ),
    "alerts.no_groups": "There are no active groups to send to there. Choose another target or /cancel.",
    "alerts.ask.text": "Write the alert text (at most {max} characters). Say what, where and when, and what residents should look out for.",
    "alerts.text.too_long": "The text is {length} characters long, but at most {max} fit. Please shorten it and send it again.",
    "alerts.ask.photo": "Would you like to attach a photo? Send it now, or press Skip.",
    "alerts.photo.skip": "Skip",
    "alerts.photo.too_long": "The text is {length} characters long, but with a photo at most about {max} fit (captions are shorter). Press Skip to send without a photo, or /cancel and start again with a shorter text.",
    "alerts.photo.expected": "I can't attach that – only a picture, sent as a photo.",
    "alerts.preview.title": "👆 <b>Preview above</b> – this is what residents will see.",
    "alerts.confirm": Plural(
        "Send the alert (<b>{category}</b>) to <b>{count}</b> group: {target}?",
        "Send the alert (<b>{category}</b>) to <b>{count}</b> groups: {target}?",
    ),
    "alerts.confirm.target.all": "all groups in your kommuner",
    "alerts.confirm.target.everywhere": "all groups",
    "alerts.confirm.target.kommun": "{name}",
    "alerts.confirm.target.groups": "chosen groups",
    "alerts.button.send": "📣 Send",
    "alerts.button.cancel": "Cancel",
    "alerts.sending": Plural(
        "📣 Alert #{id} is being sent to {count} group … I will update this message when the group has it.",
        "📣 Alert #{id} is being sent to {count} groups … I will update this message when all of them have it.",
    ),
    "alerts.report": Plural(
        "✅ <b>Alert #{id} has been sent.</b>\n"
        "Delivered: {delivered} of {count} group\n"
        "Failed: {failed}\n"
        "Inactive groups (I was removed from them): {inactive}",
        "✅ <b>Alert #{id} has been sent.</b>\n"
        "Delivered: {delivered} of {count} groups\n"
        "Failed: {failed}\n"
        "Inactive groups (I was removed from them): {inactive}",
    ),
    "alerts.report.reason": "• {reason} ({count})",
    "alerts.report.withdrawn": "Not sent because the alert was withdrawn: {count}",
    "alerts.list.title": "<b>Your recent alerts</b>",
    "alerts.list.empty": "You have not sent any alerts yet. Send one with /alert.",
    "alerts.list.item": Plural(
        "<b>#{id}</b> {category} · {when}\n{preview}\nReached {delivered} of {count} group · {seen} marked it as read{pending}{withdrawn}",
        "<b>#{id}</b> {category} · {when}\n{preview}\nReached {delivered} of {count} groups · {seen} marked it as read{pending}{withdrawn}",
    ),
    "alerts.list.pending": " · {pending} waiting",
    "alerts.list.withdrawn": " · ❌ withdrawn",
    "alerts.button.update": "🔄 Update #{id}",
    "alerts.button.withdraw": "❌ Withdraw #{id}",
    "alerts.update.ask": "Write the update to alert #{id} (at most {max} characters). It is added to the alert in every group.",
    "alerts.update.queued": Plural(
        "🔄 The update is being sent to {count} group.",
        "🔄 The update is being sent to {count} groups.",
    ),
    "alerts.withdraw.confirm": "Withdraw alert #{id}? The message will be changed in every group.",
    "alerts.withdraw.yes": "Yes, withdraw",
    "alerts.withdraw.done": Plural(
        "❌ Alert #{id} is being withdrawn in {count} group.",
        "❌ Alert #{id} is being withdrawn in {count} groups.",
    ),
    "alerts.manage.already_withdrawn": "That alert has already been withdrawn.",
}
