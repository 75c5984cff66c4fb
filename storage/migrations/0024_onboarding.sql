-- Onboarding (issue 13): who registered a group, its Telegram invite link, the welcome
-- post, new-member pointers, and the command menu each person's private chat was given.

-- The admin who registered the group: co-coordinators may not remove them.
ALTER TABLE groups ADD COLUMN registered_by INTEGER;
-- The Telegram group's own invite link (https://t.me/+… or t.me/joinchat/…), set by a
-- coordinator with `/grupp inbjudan`; shown to people who open the bot's link but are
-- not in the Telegram group.
ALTER TABLE groups ADD COLUMN invite_link TEXT;
-- The welcome post's message id (pinned when the bot may pin); NULL: not posted.
ALTER TABLE groups ADD COLUMN welcome_message_id INTEGER;
-- When the last pointer for new members was posted (at most one per 10 minutes).
ALTER TABLE groups ADD COLUMN pointer_at TEXT;

-- When this member was shown the pointer (at most once per member and group).
ALTER TABLE memberships ADD COLUMN pointed_at TEXT;

-- Groups registered before this migration: the last registering admin from the audit log.
UPDATE groups SET registered_by = (
    SELECT a.actor_id FROM audit_log a
    WHERE a.action = 'group.register' AND a.subject = CAST(groups.id AS TEXT)
    ORDER BY a.id DESC LIMIT 1
) WHERE registered_at IS NOT NULL;

-- The command menu set for a person's private chat (BotCommandScopeChat): `menu` names
-- the language and roles it was built for, so it is set again only when they change.
CREATE TABLE command_menus (
    user_id     INTEGER PRIMARY KEY,
    menu        TEXT NOT NULL,
    set_at      TEXT NOT NULL
);
