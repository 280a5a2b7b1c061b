"""Types of announcements (公告): the public Announcement node and its entries, the publish input and payload."""
