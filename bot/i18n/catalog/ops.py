"""Texts for running the bot: /id (/whoami) tells a person their Telegram ids."""

SV = {
    "cmd.id": "Visa ditt Telegram-id (och gruppens)",
    "ops.id.private": (
        "Ditt Telegram-användar-id är <code>{user_id}</code>.\n\n"
        "Den som driver boten kan lägga det i ADMIN_USER_IDS för att göra dig till administratör."
    ),
    "ops.id.group": (
        "Ditt Telegram-användar-id är <code>{user_id}</code>.\n"
        "Den här gruppens chatt-id är <code>{chat_id}</code>."
    ),
    "ops.id.anonymous": (
        "Du skriver anonymt som gruppen, så jag ser inte ditt användar-id. "
        "Skicka /id till mig privat i stället.\n"
        "Den här gruppens chatt-id är <code>{chat_id}</code>."
    ),
}

EN = {
    "cmd.id": "Show your Telegram id (and the group's)",
    "ops.id.private": (
        "Your Telegram user id is <code>{user_id}</code>.\n\n"
        "Whoever runs the bot can put it in ADMIN_USER_IDS to make you an administrator."
    ),
    "ops.id.group": (
        "Your Telegram user id is <code>{user_id}</code>.\n"
        "This group's chat id is <code>{chat_id}</code>."
    ),
    "ops.id.anonymous": (
        "You are writing anonymously as the group, so I cannot see your user id. "
        "Send /id to me privately instead.\n"
        "This group's chat id is <code>{chat_id}</code>."
    ),
}
