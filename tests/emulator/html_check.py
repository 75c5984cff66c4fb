"""Validation of Telegram ``parse_mode=HTML`` text, mirroring the Bot API rules.

:func:`parse_html` turns Telegram-flavoured HTML into the plain visible text plus a
list of ``MessageEntity`` dicts (offsets in UTF-16 code units, like Telegram), or
raises :class:`HtmlParseError` with a human-readable detail.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

_TAG_RE = re.compile(
    r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)"
    r"((?:\s+[a-zA-Z_:][-a-zA-Z0-9_:.]*(?:\s*=\s*(?:\"[^\"]*\"|'[^']*'|[^\s\"'=<>`]+))?)*)"
    r"\s*(/?)>"
)
_ATTR_RE = re.compile(r"([a-zA-Z_:][-a-zA-Z0-9_:.]*)(?:\s*=\s*(\"[^\"]*\"|'[^']*'|[^\s\"'=<>`]+))?")
_ENTITY_RE = re.compile(r"&(lt|gt|amp|quot|#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6});")

_SIMPLE = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "tg-spoiler": "spoiler",
}
ALLOWED_TAGS = frozenset([*_SIMPLE, "span", "a", "code", "pre", "blockquote", "tg-emoji"])


class HtmlParseError(ValueError):
    """Raised for HTML that Telegram would refuse with "can't parse entities"."""


@dataclass
class _Open:
    tag: str
    attrs: dict[str, str | None]
    start: int  # utf-16 offset in the output
    byte_offset: int
    children: list[str] = field(default_factory=list)


def utf16_len(s: str) -> int:
    """Length in UTF-16 code units: how Telegram counts text limits and entity offsets."""
    return len(s.encode("utf-16-le")) // 2


def _parse_attrs(raw: str) -> dict[str, str | None]:
    attrs: dict[str, str | None] = {}
    for m in _ATTR_RE.finditer(raw):
        val = m.group(2)
        if val is not None and val[:1] in "\"'":
            val = val[1:-1]
        attrs[m.group(1).lower()] = html.unescape(val) if val is not None else None
    return attrs


def _check_open(tag: str, attrs: dict[str, str | None], stack: list[_Open], pos: int) -> None:
    if tag not in ALLOWED_TAGS:
        raise HtmlParseError(f'Unsupported start tag "{tag}" at byte offset {pos}')
    if tag == "span" and attrs.get("class") != "tg-spoiler":
        raise HtmlParseError(f'Tag "span" must have class "tg-spoiler" at byte offset {pos}')
    if tag == "a" and not attrs.get("href"):
        raise HtmlParseError(f'Can\'t find href attribute of tag "a" at byte offset {pos}')
    if tag == "tg-emoji" and not attrs.get("emoji-id"):
        raise HtmlParseError(f'Tag "tg-emoji" must have attribute "emoji-id" at byte offset {pos}')
    if tag == "code" and attrs.get("class") and not (stack and stack[-1].tag == "pre"):
        cls = attrs["class"] or ""
        if not cls.startswith("language-"):
            raise HtmlParseError(f"Unsupported code class at byte offset {pos}")
    if stack and stack[-1].tag in ("code", "pre") and tag != "code":
        raise HtmlParseError(f'Tag "{tag}" can\'t be nested inside "{stack[-1].tag}"')
    if stack and stack[-1].tag == "code":
        raise HtmlParseError(f"Entities can't be nested in code at byte offset {pos}")


def _entity_for(op: _Open, end: int, stack: list[_Open]) -> dict | None:
    length = end - op.start
    if length <= 0:
        return None
    ent: dict = {"offset": op.start, "length": length}
    tag = op.tag
    if tag in _SIMPLE:
        ent["type"] = _SIMPLE[tag]
    elif tag == "span":
        ent["type"] = "spoiler"
    elif tag == "a":
        href = op.attrs.get("href") or ""
        if href.startswith("tg://user?id="):
            ent["type"] = "text_mention"
            ent["user"] = {
                "id": int(re.sub(r"\D", "", href) or 0),
                "is_bot": False,
                "first_name": "User",
            }
        else:
            ent["type"] = "text_link"
            ent["url"] = href
    elif tag == "code":
        if stack and stack[-1].tag == "pre":
            cls = op.attrs.get("class") or ""
            if cls.startswith("language-"):
                stack[-1].attrs["__language"] = cls[len("language-") :]
            return None  # folded into the enclosing <pre>
        ent["type"] = "code"
    elif tag == "pre":
        ent["type"] = "pre"
        if op.attrs.get("__language"):
            ent["language"] = op.attrs["__language"]
    elif tag == "blockquote":
        ent["type"] = "expandable_blockquote" if "expandable" in op.attrs else "blockquote"
    elif tag == "tg-emoji":
        ent["type"] = "custom_emoji"
        ent["custom_emoji_id"] = op.attrs.get("emoji-id")
    return ent


def parse_html(source: str) -> tuple[str, list[dict]]:
    """Parse Telegram HTML; return ``(plain_text, entities)`` or raise HtmlParseError."""
    out: list[str] = []
    out_len = 0  # utf-16 length of the output so far
    stack: list[_Open] = []
    entities: list[dict] = []
    i = 0
    n = len(source)
    while i < n:
        ch = source[i]
        if ch == "<":
            byte_pos = len(source[:i].encode("utf-8"))
            m = _TAG_RE.match(source, i)
            if not m:
                raise HtmlParseError(
                    f'Unsupported start tag "" at byte offset {byte_pos}'
                    if not source.startswith("</", i)
                    else f"Can't find end tag at byte offset {byte_pos}"
                )
            closing, tag, raw_attrs = m.group(1), m.group(2).lower(), m.group(3)
            if closing:
                if not stack:
                    raise HtmlParseError(f'Unexpected end tag "{tag}" at byte offset {byte_pos}')
                if stack[-1].tag != tag:
                    raise HtmlParseError(
                        f"Unmatched end tag at byte offset {byte_pos}, "
                        f'expected "</{stack[-1].tag}>", found "</{tag}>"'
                    )
                op = stack.pop()
                ent = _entity_for(op, out_len, stack)
                if ent:
                    entities.append(ent)
            else:
                attrs = _parse_attrs(raw_attrs)
                _check_open(tag, attrs, stack, byte_pos)
                stack.append(_Open(tag, attrs, out_len, byte_pos))
            i = m.end()
            continue
        if ch == "&":
            m = _ENTITY_RE.match(source, i)
            if not m:
                byte_pos = len(source[:i].encode("utf-8"))
                raise HtmlParseError(
                    f'Character entity expected at byte offset {byte_pos}; use "&amp;" for "&"'
                )
            text = html.unescape(m.group(0))
            out.append(text)
            out_len += utf16_len(text)
            i = m.end()
            continue
        j = i + 1
        while j < n and source[j] not in "<&":
            j += 1
        chunk = source[i:j]
        out.append(chunk)
        out_len += utf16_len(chunk)
        i = j
    if stack:
        raise HtmlParseError(f'Can\'t find end tag corresponding to start tag "{stack[-1].tag}"')
    entities.sort(key=lambda e: (e["offset"], -e["length"]))
    return "".join(out), entities
