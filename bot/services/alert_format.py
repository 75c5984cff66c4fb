"""An alert's optional parts (issue #14): the "Läs mer" link and the police event number
(validated here), and the short plain-text copy residents share onward through Telegram's
share dialog (`https://t.me/share/url`)."""

from __future__ import annotations

from urllib.parse import quote, urlsplit

from bot.i18n import t_plain
from bot.services.refusals import Refused
from storage.places import AlertDetails


def _category_label(lang: str, category: str) -> str:
    return t_plain(lang, f"alerts.type.{category}")


SHARE_BODY = 300
"""At most this many characters of the officer's text go into a shared copy (the URL of
the share button stays well under 2 KB even when every character is percent-encoded)."""
SHARE_FALLBACK_URL = "https://polisen.se/"


def share_text(lang: str, category: str, body: str, details: AlertDetails | None) -> str:
    """The short plain-text version residents pass on: category, the officer's text (cut)
    and the event number. No names, ids or groups: nothing personal."""
    cut = body if len(body) <= SHARE_BODY else body[: SHARE_BODY - 1].rstrip() + "…"
    text = t_plain(lang, "police.share.text", category=_category_label(lang, category), body=cut)
    if details is not None and details.event_number:
        text += "\n" + t_plain(lang, "police.share.event", number=details.event_number)
    return text


def share_link(lang: str, category: str, body: str, details: AlertDetails | None) -> str:
    """Telegram's share dialog (https://t.me/share/url) with the alert's link (or
    polisen.se) and `share_text`."""
    url = (details.link if details is not None and details.link else None) or SHARE_FALLBACK_URL
    text = share_text(lang, category, body, details)
    return f"https://t.me/share/url?url={quote(url, safe='')}&text={quote(text, safe='')}"


MAX_LINK = 500
MIN_EVENT_NUMBER, MAX_EVENT_NUMBER = 2, 40


def clean_link(raw: str) -> str:
    """A "Läs mer" link: an absolute https URL with a host, without spaces or quotes, at
    most `MAX_LINK` characters. Refused (`police.link.bad`) otherwise."""
    link = raw.strip()
    if len(link) > MAX_LINK or any(c.isspace() or c in "\"'<>" for c in link):
        raise Refused("police.link.bad")
    try:
        parts = urlsplit(link)
    except ValueError:
        raise Refused("police.link.bad") from None
    host = parts.hostname or ""
    if parts.scheme.lower() != "https" or "." not in host or parts.username or parts.password:
        raise Refused("police.link.bad")
    return link


def clean_event_number(raw: str) -> str:
    """A police event number (e.g. "5000-K123456-26"): letters, digits, '-', '/', ' ',
    2–40 characters. Refused otherwise: `police.event.bad` for another character,
    `police.event.bad_length` (`count`: the length typed) for too short or too long."""
    number = " ".join(raw.split())
    if not all(c.isalnum() or c in "-/ " for c in number):
        raise Refused("police.event.bad", max=MAX_EVENT_NUMBER)
    if not MIN_EVENT_NUMBER <= len(number) <= MAX_EVENT_NUMBER:
        raise Refused(
            "police.event.bad_length", count=len(number), min=MIN_EVENT_NUMBER, max=MAX_EVENT_NUMBER
        )
    return number
