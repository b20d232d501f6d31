"""Telegram Desktop exports (``result.json``): one document per message with text.

A channel export is ``{"name", "type", "id", "messages": [...]}``; a whole-account export holds such
chats under ``{"chats": {"list": [...]}}`` and is read chat by chat. A message's text is a string or
a list of strings and ``{"type", "text"}`` entities, flattened. The document id is
``telegram-CHANNEL-MESSAGE``; the url is ``https://t.me/USERNAME/MESSAGE`` only when the export names
the channel's username (Telegram Desktop leaves it out, so most exports give no url).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from sitroom.errors import InputError
from sitroom.sources import Failed, Item, published_or_none


def _not_telegram(what: str) -> InputError:
    return InputError(
        "E117",
        f'{what}, not a Telegram channel export (no "messages" list)',
        "export the channel with Telegram Desktop (Export chat history, format JSON) and pass its "
        'result.json; for your own records use JSONL, one {"text": ...} object a line',
    )


def flatten(text: Any) -> str:
    """A message's text as one string.

    >>> flatten(["Shelling in ", {"type": "hashtag", "text": "#Kharkiv"}, " overnight"])
    'Shelling in #Kharkiv overnight'
    """
    if isinstance(text, str):
        return text
    if isinstance(text, list):
        parts = (p if isinstance(p, str) else p.get("text", "") if isinstance(p, dict) else "" for p in text)
        return "".join(part for part in parts if isinstance(part, str))
    return ""


def _chats(obj: Any) -> list[dict[str, Any]]:
    if isinstance(obj, dict) and isinstance(obj.get("messages"), list):
        return [obj]
    chats = obj.get("chats") if isinstance(obj, dict) else None
    listed = chats.get("list") if isinstance(chats, dict) else None
    if isinstance(listed, list):
        return [c for c in listed if isinstance(c, dict) and isinstance(c.get("messages"), list)]
    return []


def read_telegram(data: bytes, label: str) -> Iterator[Item | Failed]:
    """The messages of a Telegram export, one `Item` each; a .json file of another shape fails."""
    try:
        obj = json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        yield Failed(
            label, InputError("E117", f"is not valid UTF-8 (byte {exc.start})", "re-save the file as UTF-8")
        )
        return
    except json.JSONDecodeError as exc:
        yield Failed(label, _not_telegram(f"is not valid JSON ({exc.msg} at line {exc.lineno})"))
        return
    except RecursionError:
        deep = "is JSON nested too deeply to read (lists or objects inside each other, thousands deep)"
        yield Failed(label, _not_telegram(deep))
        return
    chats = _chats(obj)
    if not chats:
        yield Failed(label, _not_telegram(f"is a JSON {type(obj).__name__}"))
        return
    found = 0
    for chat in chats:
        # in a whole-account export, message ids repeat across chats: the label names the chat too
        prefix = f"{label}#" if len(chats) == 1 else f"{label}#{chat.get('id')}/"
        for item in _messages(chat, prefix):
            found += 1
            yield item
    if not found:
        yield Failed(
            label,
            InputError("E101", "has no messages with text", "export a channel whose posts have text"),
        )


def _messages(chat: dict[str, Any], prefix: str) -> Iterator[Item]:
    name = chat.get("name") if isinstance(chat.get("name"), str) else None
    chat_id = chat.get("id")
    username = chat.get("username")
    username = username.lstrip("@").strip() if isinstance(username, str) else ""
    for message in chat["messages"]:
        if not isinstance(message, dict) or message.get("type", "message") != "message":
            continue  # service messages: joins, pins, title changes
        text = flatten(message.get("text"))
        if not text.strip():
            continue  # a photo, sticker or poll without a caption
        message_id = message.get("id")
        known = chat_id is not None and message_id is not None
        yield Item(
            label=f"{prefix}{message_id}",
            text=text,
            id=f"telegram-{chat_id}-{message_id}" if known else None,
            url=f"https://t.me/{username}/{message_id}" if username and message_id is not None else None,
            source=name,
            published=published_or_none(message.get("date")),
        )
