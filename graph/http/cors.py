"""CORS for single-page apps served from another origin (Starlette's CORSMiddleware): only the origins listed in
CORS_ALLOWED_ORIGINS may read answers, send credentials (the session cookie) and the headers the API needs."""

from __future__ import annotations

from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware

from domain.kernel.settings import Settings
from graph.context import CSRF_HEADER
from graph.policy.guard import PREFLIGHT_HEADERS

METHODS = ("GET", "POST")
# What a client sends besides Content-Type (always allowed by Starlette, whatever its value: application/json is
# what makes a GraphQL POST preflighted): a Bearer token, the CSRF echo of a cookie session, and the header that
# makes a multipart upload non-simple (so a cross-site form cannot post one without a preflight).
HEADERS = ("authorization", CSRF_HEADER, *(name.decode() for name in PREFLIGHT_HEADERS))
# What a client may read besides the safelisted response headers: an attachment's file name.
EXPOSED = ("content-disposition",)


def cors_middleware(settings: Settings) -> list[Middleware]:
    """The CORS middleware for the configured origins, or none when no origin is listed (the default)."""
    if not settings.cors_allowed_origins:
        return []
    return [
        Middleware(
            CORSMiddleware,
            allow_origins=settings.cors_allowed_origins,
            allow_methods=METHODS,
            allow_headers=HEADERS,
            allow_credentials=settings.cors_allow_credentials,
            expose_headers=EXPOSED,
            max_age=settings.cors_max_age_s,
        )
    ]
