"""Announcements (公告): the ministry publishes approved filings in numbered batches (`publish`); anyone reads them
(`page`, `by_ids`, `entries_page`), personal data masked."""

from domain.announcements.publishing import DEFAULT_TITLE, PublishRequest, number_text, publish
from domain.announcements.reading import AnnouncementEntry, by_ids, count, entries_page, page

__all__ = [
    "DEFAULT_TITLE",
    "AnnouncementEntry",
    "PublishRequest",
    "by_ids",
    "count",
    "entries_page",
    "number_text",
    "page",
    "publish",
]
