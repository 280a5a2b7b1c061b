"""Verification jobs with a real arq worker: provider notices, retries, polling, events, on-site verification."""
