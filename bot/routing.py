"""Handler routing: group 0's ~95 handlers, tried in their order, but only those that can
take the update at all.

PTB tries a group's handlers one after the other until one's `check_update` accepts the
update. For a `/start` that meant ~90 checks (30 command handlers parsing the command,
45 button handlers, the dialogues and their entry points): ~400 of the ~6,900 Python calls
per answered /start in bench.updates (issue #19). `HandlerRouter` holds the group's
handlers in their order and skips those that *cannot* match the update's kind:

* a `CommandHandler` unless the update's message starts with one of its commands;
* a `CallbackQueryHandler` unless the update is a button press;
* a `ChatMemberHandler` unless it is a membership change; a `PollHandler` unless a poll;
* a `ConversationHandler` none of whose entry points can take the update, while nobody
  is in that dialogue (with no state kept, only an entry point can take an update).

Every other handler (message handlers, type handlers) is always tried, and every handler
that is tried is asked with its own `check_update`, in the registered order:
so the first handler that accepts an update is the same one PTB would have picked. Only
blocking handlers can be routed (PTB awaits the router like any blocking handler).

`install_handler_routing` replaces each group's list by one router at start-up, after the
catch-alls (handlers/fallbacks.py) were added; `handlers_of` lists the handlers behind the
routers, for code that looks for a kind of handler (the dialogues).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from telegram import Update
from telegram.constants import MessageEntityType
from telegram.ext import (
    Application,
    BaseHandler,
    CallbackQueryHandler,
    ChatMemberHandler,
    CommandHandler,
    ConversationHandler,
    PollHandler,
)

# Groups with fewer handlers are left as they are: routing them saves nothing.
MIN_HANDLERS_TO_ROUTE = 8

Route = tuple[str, str | None]  # (kind of update, the command its message starts with)


async def _never_called(update: object, context: object) -> None:  # pragma: no cover
    raise AssertionError("HandlerRouter hands updates to the handler that accepted them")


class HandlerRouter(BaseHandler[Update, Any, Any]):
    """One group's handlers in their order; tries only those that can take the update.

    Args:
        handlers: the group's handlers, in order; each must be blocking.

    Raises:
        ValueError: a handler is not blocking.
    """

    __slots__ = ("_commands", "_routes", "handlers")

    def __init__(self, handlers: list[BaseHandler[Any, Any, Any]]) -> None:
        super().__init__(_never_called, block=True)
        for handler in handlers:
            if handler.block is False:
                raise ValueError(f"cannot route a non-blocking handler: {handler!r}")
        self.handlers = list(handlers)
        self._commands: frozenset[str] = frozenset(
            command
            for handler in handlers
            if isinstance(handler, CommandHandler)
            for command in handler.commands
        )
        # route -> [(handler, only while somebody is in it: a dialogue)]
        self._routes: dict[Route, list[tuple[BaseHandler[Any, Any, Any], bool]]] = {}

    def candidates(self, route: Route) -> list[tuple[BaseHandler[Any, Any, Any], bool]]:
        """The handlers that may take an update of `route`, in order, each with whether
        it may only while its dialogue has somebody in it."""
        found = self._routes.get(route)
        if found is None:
            found = self._routes[route] = [
                (handler, not _may_take(handler, route))
                for handler in self.handlers
                if _may_take(handler, route) or isinstance(handler, ConversationHandler)
            ]
        return found

    def check_update(self, update: object) -> tuple[BaseHandler[Any, Any, Any], object] | None:
        """(the first handler that accepts `update`, its check result), or None."""
        for handler, only_if_active in self.candidates(self.route_of(update)):
            if only_if_active and not _has_states(handler):
                continue
            check = handler.check_update(update)
            if check is not None and check is not False:
                return handler, check
        return None

    async def handle_update(  # type: ignore[override]
        self,
        update: Update,
        application: Application[Any, Any, Any, Any, Any, Any],
        check_result: tuple[BaseHandler[Any, Any, Any], object],
        context: Any,
    ) -> Any:
        handler, check = check_result
        return await handler.handle_update(update, application, check, context)

    def route_of(self, update: object) -> Route:
        """The update's kind ("button", "member", "poll", "other") and the command its
        message starts with (lowercase, without @bot; None when none of ours)."""
        if not isinstance(update, Update):
            return ("other", None)
        if update.callback_query is not None:
            kind = "button"
        elif update.my_chat_member is not None or update.chat_member is not None:
            kind = "member"
        elif update.poll is not None:
            kind = "poll"
        else:
            kind = "other"
        return (kind, self._command_of(update))

    def _command_of(self, update: Update) -> str | None:
        # The same test as CommandHandler.check_update, up to the bot's username (which
        # the command handler itself still checks).
        message = update.effective_message
        if message is None or not message.text or not message.entities:
            return None
        first = message.entities[0]
        if first.type != MessageEntityType.BOT_COMMAND or first.offset != 0:
            return None
        command = message.text[1 : first.length].split("@")[0].lower()
        return command if command in self._commands else None


def _may_take(handler: BaseHandler[Any, Any, Any], route: Route) -> bool:
    kind, command = route
    if isinstance(handler, CommandHandler):
        return command is not None and command in handler.commands
    if isinstance(handler, CallbackQueryHandler):
        return kind == "button"
    if isinstance(handler, ChatMemberHandler):
        return kind == "member"
    if isinstance(handler, PollHandler):
        return kind == "poll"
    if isinstance(handler, ConversationHandler):  # without states: only via an entry point
        return any(_may_take(entry, route) for entry in handler.entry_points)
    return True


def _has_states(conversation: BaseHandler[Any, Any, Any]) -> bool:
    # PTB keeps a dialogue's states in this dict (bot/persistence.py reads it too).
    return bool(getattr(conversation, "_conversations", True))


def install_handler_routing(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """Put each large group's handlers behind one HandlerRouter (idempotent). Handlers
    added afterwards come after the router, as they would have come after its handlers."""
    for group, handlers in application.handlers.items():
        if len(handlers) < MIN_HANDLERS_TO_ROUTE or any(
            isinstance(handler, HandlerRouter) for handler in handlers
        ):
            continue
        application.handlers[group] = [HandlerRouter(handlers)]


def handlers_of(
    application: Application[Any, Any, Any, Any, Any, Any],
) -> Iterator[BaseHandler[Any, Any, Any]]:
    """Every handler of the application, in group order, also those behind routers."""
    for handlers in application.handlers.values():
        for handler in handlers:
            if isinstance(handler, HandlerRouter):
                yield from handler.handlers
            else:
                yield handler
