"""Request limits, the request policy's schema extensions and error presentation, together."""
