"""E-mail messages (.eml): the body as text, the subject as title, the sending date."""

from __future__ import annotations

import email
import email.policy
from collections.abc import Iterator
from email.message import EmailMessage
from email.utils import parsedate_to_datetime

from labourwatch.errors import IngestError
from labourwatch.records import IngestedDocument


def read_eml(data: bytes, location: str) -> Iterator[IngestedDocument | IngestError]:
    message = email.message_from_bytes(data, policy=email.policy.default)
    if not isinstance(message, EmailMessage) or not (message.keys() and message.get_payload()):
        raise IngestError(location, "not an e-mail message (no headers or no body)")
    text = _body_text(message, location)
    if not text.strip():
        raise IngestError(location, "no text in the e-mail message")
    notes = []
    attachments = [part.get_filename() or part.get_content_type() for part in message.iter_attachments()]
    if attachments:
        notes.append(f"{len(attachments)} attachment(s) not read: {', '.join(map(str, attachments))} "
                     "(save and ingest them as files)")
    header = _header_block(message)
    sent = _sent_date(message)
    yield IngestedDocument(
        original=data, text=f"{header}\n\n{text}" if header else text, media_type="message/rfc822",
        locations=[(location, "file")], title=str(message.get("subject", "")).strip() or None,
        published=sent, publisher=None, notes=notes, published_source="metadata" if sent else None,
    )


def _body_text(message: EmailMessage, location: str) -> str:
    body = message.get_body(preferencelist=("plain", "html"))
    if body is None:
        return ""
    try:
        content = body.get_content()
    except (LookupError, ValueError) as exc:  # an unknown charset, a broken transfer encoding
        raise IngestError(location, f"unreadable e-mail body: {exc}") from None
    if body.get_content_type() == "text/html":
        from labourwatch.ingest.readers import html_visible_text

        return html_visible_text(str(content))
    return str(content).strip()


def _header_block(message: EmailMessage) -> str:
    """Who wrote to whom, when: part of the evidence, kept at the head of the text."""
    lines = [f"{name}: {message[name]}" for name in ("From", "To", "Date", "Subject") if message[name]]
    return "\n".join(lines)


def _sent_date(message: EmailMessage) -> str | None:
    try:
        sent = parsedate_to_datetime(str(message["date"])) if message["date"] else None
    except (TypeError, ValueError):
        return None
    return sent.date().isoformat() if sent else None
