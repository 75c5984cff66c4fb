"""Bot API methods that send media and copies: sendPhoto, sendDocument, sendLocation,
sendPoll, copyMessage and forwardMessage (the text methods live in methods.py)."""

from __future__ import annotations

import json
from typing import Any

from .methods import ApiMethods, _flag
from .server import UploadedFile, bad_request


class MediaMethods(ApiMethods):
    """Sending photos, documents, locations, polls, and copying messages."""

    def _photo_sizes(self, photo: Any) -> list[dict[str, Any]]:
        if isinstance(photo, UploadedFile):
            content = photo.content
        elif isinstance(photo, str) and photo in self.files:
            content = self.files[photo]["content"]
        elif isinstance(photo, str) and photo.startswith(("http://", "https://")):
            content = b"\xff\xd8remote-photo" + photo.encode()
        else:
            raise bad_request("wrong file identifier/HTTP URL specified")
        sizes = []
        for w, h, factor in ((90, 68, 0.05), (1280, 960, 1.0)):
            data = content if factor == 1.0 else content[: max(1, int(len(content) * factor))]
            fid, uid = self.store_file(data, "photos", "jpg", "AgAC")
            sizes.append(
                {
                    "file_id": fid,
                    "file_unique_id": uid,
                    "width": w,
                    "height": h,
                    "file_size": len(data),
                }
            )
        return sizes

    async def api_sendphoto(self, p: dict[str, Any]) -> dict[str, Any]:
        """sendPhoto (upload, known file_id or URL)."""
        target = self._prepare_send(p)
        msg = self._base_message(target, p)
        caption, ents = self._caption(p, msg)
        markup = self.validate_markup(p.get("reply_markup"))
        self.check_rate(target)
        msg["photo"] = self._photo_sizes(p.get("photo"))
        return self._commit(
            target,
            msg,
            "sendPhoto",
            kind="photo",
            caption=caption,
            html=p.get("caption"),
            parse_mode=p.get("parse_mode"),
            reply_markup=markup,
            entities=ents,
        )

    async def api_sendmediagroup(self, p: dict[str, Any]) -> list[dict[str, Any]]:
        """sendMediaGroup of 2-10 photos (known file_id or URL); each item may have its own
        caption (at most 1024 characters); an album takes no reply_markup."""
        target = self._prepare_send(p)
        media = p.get("media")
        if isinstance(media, str):
            media = json.loads(media)
        if not isinstance(media, list) or not 2 <= len(media) <= 10:
            raise bad_request("wrong number of media specified")
        if p.get("reply_markup") is not None:
            raise bad_request("a media group can't have reply_markup")
        self.check_rate(target)
        group_id = f"mg{len(self._sent) + 1}"
        sent = []
        for item in media:
            if not isinstance(item, dict) or item.get("type") != "photo":
                raise bad_request("unsupported media type")
            msg = self._base_message(target, p)
            caption, ents = self._caption(item, msg)
            msg["photo"] = self._photo_sizes(item.get("media"))
            msg["media_group_id"] = group_id
            sent.append(
                self._commit(
                    target,
                    msg,
                    "sendMediaGroup",
                    kind="photo",
                    caption=caption,
                    html=item.get("caption"),
                    parse_mode=item.get("parse_mode"),
                    entities=ents,
                )
            )
        return sent

    async def api_senddocument(self, p: dict[str, Any]) -> dict[str, Any]:
        """sendDocument (upload or known file_id)."""
        target = self._prepare_send(p)
        msg = self._base_message(target, p)
        caption, ents = self._caption(p, msg)
        markup = self.validate_markup(p.get("reply_markup"))
        doc = p.get("document")
        if isinstance(doc, UploadedFile):
            content, filename = doc.content, doc.filename or "file"
            mime = doc.content_type or "application/octet-stream"
            fid, uid = self.store_file(content, "documents", filename.rsplit(".", 1)[-1], "BQAC")
        elif isinstance(doc, str) and doc in self.files:
            fid, info = doc, self.files[doc]
            content, uid = info["content"], info["file_unique_id"]
            filename, mime = info.get("file_name", "file"), "application/octet-stream"
        else:
            raise bad_request("wrong file identifier/HTTP URL specified")
        self.files[fid]["file_name"] = filename
        self.check_rate(target)
        msg["document"] = {
            "file_id": fid,
            "file_unique_id": uid,
            "file_name": filename,
            "mime_type": mime,
            "file_size": len(content),
        }
        return self._commit(
            target,
            msg,
            "sendDocument",
            kind="document",
            caption=caption,
            html=p.get("caption"),
            parse_mode=p.get("parse_mode"),
            reply_markup=markup,
            entities=ents,
            document=content,
            filename=filename,
        )

    async def api_sendlocation(self, p: dict[str, Any]) -> dict[str, Any]:
        """sendLocation."""
        target = self._prepare_send(p)
        try:
            lat, lon = float(p["latitude"]), float(p["longitude"])
        except (KeyError, TypeError, ValueError) as exc:
            raise bad_request("latitude or longitude is invalid") from exc
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise bad_request("wrong latitude or longitude")
        markup = self.validate_markup(p.get("reply_markup"))
        msg = self._base_message(target, p)
        self.check_rate(target)
        msg["location"] = {"latitude": lat, "longitude": lon}
        return self._commit(target, msg, "sendLocation", kind="location", reply_markup=markup)

    async def api_sendpoll(self, p: dict[str, Any]) -> dict[str, Any]:
        """sendPoll."""
        target = self._prepare_send(p)
        options = p.get("options") or []
        # Like Telegram, the question and each option are parsed in their parse mode
        # (PTB's Defaults(parse_mode=HTML) sets question_parse_mode and text_parse_mode).
        question, _ = self.parse_text(p.get("question"), p.get("question_parse_mode"), None)
        if not 1 <= len(question) <= 300:
            raise bad_request("poll question length must not exceed 300")
        if not isinstance(options, list) or not 2 <= len(options) <= 12:
            raise bad_request("poll must have at least 2 option")
        texts = [
            self.parse_text(o.get("text"), o.get("text_parse_mode"), None)[0]
            if isinstance(o, dict)
            else str(o)
            for o in options
        ]
        markup = self.validate_markup(p.get("reply_markup"))
        msg = self._base_message(target, p)
        self.check_rate(target)
        msg["poll"] = {
            "id": str(next(self._ids)),
            "question": question,
            "options": [
                {"text": t, "voter_count": 0, "persistent_id": str(i)} for i, t in enumerate(texts)
            ],
            "total_voter_count": 0,
            "is_closed": False,
            "is_anonymous": p.get("is_anonymous") not in (False, "false", "False"),
            "type": p.get("type") or "regular",
            "allows_multiple_answers": _flag(p.get("allows_multiple_answers")),
            "allows_revoting": True,
            "members_only": False,
        }
        return self._commit(
            target, msg, "sendPoll", kind="poll", text=question, reply_markup=markup
        )

    async def _copy(self, p: dict[str, Any], forward: bool) -> dict[str, Any]:
        target = self._prepare_send(p)
        src = self.resolve_chat(p.get("from_chat_id"))
        original = self.messages.get((src.id, int(p.get("message_id") or 0)))
        if original is None:
            raise bad_request(
                "message to copy not found" if not forward else "message to forward not found"
            )
        msg = self._base_message(target, p)
        for key in (
            "text",
            "entities",
            "caption",
            "caption_entities",
            "photo",
            "document",
            "location",
            "poll",
            "sticker",
        ):
            if key in original:
                msg[key] = original[key]
        if forward:
            msg["forward_origin"] = {
                "type": "user",
                "date": original["date"],
                "sender_user": original.get("from", {}),
            }
        markup = self.validate_markup(p.get("reply_markup"))
        self.check_rate(target)
        kind = next((k for k in ("photo", "document", "location", "poll") if k in msg), "text")
        sent = self._commit(
            target,
            msg,
            "forwardMessage" if forward else "copyMessage",
            kind=kind,
            text=msg.get("text"),
            caption=msg.get("caption"),
            reply_markup=markup,
        )
        return sent if forward else {"message_id": sent["message_id"]}

    async def api_copymessage(self, p: dict[str, Any]) -> dict[str, Any]:
        """copyMessage (returns MessageId)."""
        return await self._copy(p, forward=False)

    async def api_forwardmessage(self, p: dict[str, Any]) -> dict[str, Any]:
        """forwardMessage."""
        return await self._copy(p, forward=True)
