"""One codec for inline-button callback data, in the spirit of aiogram's `CallbackData`.

Each kind of button is declared once as a frozen dataclass with typed fields::

    class TipPanel(CallbackData, prefix="tp"):
        action: PanelAction      # an Enum whose values are short strings
        group_id: int

    button = InlineKeyboardButton(label, callback_data=TipPanel(PanelAction.PAUSE, 7).pack())
    application.add_handler(CallbackQueryHandler(on_panel, pattern=TipPanel.filter()))
    ...
    press = TipPanel.unpack(query.data)   # raises InvalidCallback on anything else

Wire format: ``<prefix><version>:<field>:<field>…`` (e.g. ``tp1:p:7``). The version is
part of the prefix so that buttons from an older release (another layout of fields) are
recognised by `stale_filter()` and answered "this button has expired" instead of being
misread. Field types: `int`, `str` (must not contain ``:``), `bool` (``1``/``0``),
`Enum` with `str` or `int` values, and ``X | None`` of those (``-`` stands for None).
`pack()` raises `ValueError` for data outside Telegram's 1–64 bytes, so a too-long button
fails in tests, not in production.

Buttons already delivered before the codec (e.g. alert acknowledgements in groups) are
declared once more with ``version=0``: the wire format is then ``<prefix>:<field>…``
without a version. Such a legacy declaration shares its prefix with the current one
(``class AckV0(CallbackData, prefix="ack", version=0)`` beside ``prefix="ack", version=2``);
any other reuse of a prefix is refused.
"""

from __future__ import annotations

import dataclasses
import enum
import re
import types
import typing
from collections.abc import Callable
from typing import Any, ClassVar, Self, dataclass_transform

MAX_BYTES = 64
"""Telegram's limit for `callback_data`, in bytes of UTF-8."""

_SEPARATOR = ":"
_NONE = "-"
_PREFIX_RE = re.compile(r"^[a-z][a-z0-9_]{0,11}$")
_registry: dict[str, type[CallbackData]] = {}  # by head(): prefix and version


class InvalidCallback(ValueError):
    """Callback data that does not match the declaration (forged, expired or truncated)."""


@dataclass_transform(frozen_default=True)
class CallbackData:
    """Base class of every button declaration; subclasses are frozen dataclasses.

    Declare with ``class X(CallbackData, prefix="xy", version=1)``; the prefix is unique
    across the project (checked at import time) and 1–12 lower-case characters.
    """

    prefix: ClassVar[str]
    version: ClassVar[int]
    _fields: ClassVar[tuple[tuple[str, Any], ...]]

    def __init_subclass__(cls, *, prefix: str, version: int = 1, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if not _PREFIX_RE.match(prefix):
            raise TypeError(f"callback prefix {prefix!r}: 1-12 chars [a-z0-9_], letter first")
        if version < 0:
            raise TypeError("callback version starts at 1 (0: a legacy unversioned format)")
        for other in _registry.values():
            if other.prefix != prefix or other.__qualname__ == cls.__qualname__:
                continue
            if version != 0 and other.version != 0:  # one current layout per prefix
                raise TypeError(f"callback prefix {prefix!r} already used by {other}")
            if version == other.version:
                raise TypeError(f"callback prefix {prefix!r} already used by {other}")
        cls.prefix = prefix
        cls.version = version
        _registry[cls.head()] = cls
        dataclasses.dataclass(frozen=True)(cls)
        hints = typing.get_type_hints(cls)
        cls._fields = tuple((f.name, hints[f.name]) for f in dataclasses.fields(cls))  # type: ignore[arg-type]
        for name, hint in cls._fields:
            _check_supported(cls, name, hint)

    # -- encoding ---------------------------------------------------------------------

    @classmethod
    def head(cls) -> str:
        """The versioned prefix every packed value starts with, e.g. ``tp1`` (``tp`` for
        a legacy version 0)."""
        return f"{cls.prefix}{cls.version}" if cls.version else cls.prefix

    def pack(self) -> str:
        """The callback string; `ValueError` if a value cannot be encoded or it exceeds 64 B."""
        parts = [self.head()]
        for name, hint in self._fields:
            parts.append(_encode(type(self), name, hint, getattr(self, name)))
        data = _SEPARATOR.join(parts)
        size = len(data.encode("utf-8"))
        if size > MAX_BYTES:
            raise ValueError(f"{type(self).__name__}: callback data is {size} bytes (max 64)")
        return data

    @classmethod
    def unpack(cls, data: str | None) -> Self:
        """The typed value of `data`; `InvalidCallback` when it is not this kind of button."""
        if not data:
            raise InvalidCallback("empty callback data")
        parts = data.split(_SEPARATOR)
        if parts[0] != cls.head():
            raise InvalidCallback(f"not a {cls.__name__} button: {data[:16]!r}")
        values = parts[1:]
        if len(values) != len(cls._fields):
            raise InvalidCallback(f"{cls.__name__}: expected {len(cls._fields)} fields")
        kwargs = {
            name: _decode(cls, name, hint, raw)
            for (name, hint), raw in zip(cls._fields, values, strict=True)
        }
        return cls(**kwargs)

    @classmethod
    def parse(cls, data: str | None) -> Self | None:
        """Like `unpack`, but None instead of an exception."""
        try:
            return cls.unpack(data)
        except InvalidCallback:
            return None

    # -- handler patterns -------------------------------------------------------------

    @classmethod
    def filter(cls, **where: Any) -> Callable[[object], bool]:
        """A `CallbackQueryHandler` pattern: this button (optionally with field values)."""

        def matches(data: object) -> bool:
            if not isinstance(data, str):
                return False
            value = cls.parse(data)
            if value is None:
                return False
            return all(getattr(value, key) == wanted for key, wanted in where.items())

        return matches

    @classmethod
    def stale_filter(cls) -> Callable[[object], bool]:
        """A pattern for this prefix in any *other* version or layout: an expired button."""
        family = cls.family_filter()

        def matches(data: object) -> bool:
            return isinstance(data, str) and family(data) and cls.parse(data) is None

        return matches

    @classmethod
    def family_filter(cls) -> Callable[[object], bool]:
        """A pattern for this prefix in any version, valid or not (e.g. for a dialogue's
        buttons pressed after the dialogue ended)."""
        family = re.compile(rf"^{re.escape(cls.prefix)}\d*(:|$)")

        def matches(data: object) -> bool:
            return isinstance(data, str) and bool(family.match(data))

        return matches


def declared() -> dict[str, type[CallbackData]]:
    """Every declared button kind by head (prefix and version), for tests."""
    return dict(_registry)


def any_declared(data: object) -> bool:
    """True when `data` is a valid button of any declared kind."""
    if not isinstance(data, str):
        return False
    kind = _registry.get(data.split(_SEPARATOR, 1)[0])
    return kind is not None and kind.parse(data) is not None


def any_of(*kinds: type[CallbackData]) -> Callable[[object], bool]:
    """A pattern for any version of any of `kinds` (a feature's buttons, all at once)."""
    filters = [kind.family_filter() for kind in kinds]
    return lambda data: any(matches(data) for matches in filters)


# -- field codecs -------------------------------------------------------------------------


def _unwrap_optional(hint: Any) -> tuple[Any, bool]:
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(hint) if a is not type(None)]
        if len(args) == 1 and len(typing.get_args(hint)) == 2:
            return args[0], True
    return hint, False


def _check_supported(cls: type, name: str, hint: Any) -> None:
    base, _ = _unwrap_optional(hint)
    if base in (int, str, bool) or (isinstance(base, type) and issubclass(base, enum.Enum)):
        return
    raise TypeError(f"{cls.__name__}.{name}: unsupported callback field type {hint!r}")


def _encode(cls: type, name: str, hint: Any, value: Any) -> str:
    base, optional = _unwrap_optional(hint)
    if value is None:
        if not optional:
            raise ValueError(f"{cls.__name__}.{name} is None but not optional")
        return _NONE
    if base is bool:
        return "1" if value else "0"
    if isinstance(base, type) and issubclass(base, enum.Enum):
        text = str(base(value).value)
    elif base is int:
        text = str(int(value))
    else:
        text = str(value)
        if not text or _SEPARATOR in text or text == _NONE:
            raise ValueError(f"{cls.__name__}.{name}: {text!r} cannot be packed")
    return text


def _decode(cls: type, name: str, hint: Any, raw: str) -> Any:
    base, optional = _unwrap_optional(hint)
    if raw == _NONE:
        if optional:
            return None
        raise InvalidCallback(f"{cls.__name__}.{name} missing")
    try:
        if base is bool:
            if raw not in ("0", "1"):
                raise ValueError(raw)
            return raw == "1"
        if base is int:
            if not re.fullmatch(r"-?\d{1,19}", raw):
                raise ValueError(raw)
            return int(raw)
        if isinstance(base, type) and issubclass(base, enum.Enum):
            for member in base:
                if str(member.value) == raw:
                    return member
            raise ValueError(raw)
        if not raw:
            raise ValueError(raw)
        return raw
    except ValueError:
        raise InvalidCallback(f"{cls.__name__}.{name}: bad value {raw[:16]!r}") from None
