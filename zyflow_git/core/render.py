"""Render a document back to bytes."""

from __future__ import annotations

from .model import Document
from .text import encode


def render_bytes(doc: Document) -> bytes:
    """The document's bytes: exactly the parsed input when nothing was changed."""
    return encode(doc.bom, doc.render())
