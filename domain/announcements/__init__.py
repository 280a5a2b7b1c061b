"""Announcements (公告): the ministry publishes approved filings in numbered batches."""
