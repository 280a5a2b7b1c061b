"""Business rules of the portal, one package per business area (bounded context), each exporting its public API
from its `__init__`: `kernel` (what every area shares), `accounts`, `trail`, `verification`; later `filings`,
`review`, `certificates`, `announcements`. Areas use each other only through those public APIs or `kernel`
(import-linter checks it). No transport here: graph/ (GraphQL) and workers/ (arq) translate to and from it."""
