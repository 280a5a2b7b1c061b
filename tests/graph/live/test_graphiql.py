"""GraphiQL's subscriptions: the page's fetcher points its subscriptionUrl at this server's /graphql socket, and
the served GraphiQL bundle carries graphql-ws's client (no CDN, no separate package to load)."""

from __future__ import annotations

from tests.helpers import Api


async def test_graphiql_subscribes_over_this_servers_socket(api: Api) -> None:
    init = await api.client.get("/graphiql/assets/init.js")
    assert init.status_code == 200
    assert 'subscriptionUrl: scheme + "//" + window.location.host + "/graphql"' in init.text
    assert '"wss:" : "ws:"' in init.text
    bundle = await api.client.get("/graphiql/assets/graphiql.js")
    assert "function createClient(options)" in bundle.text  # graphql-ws's client, bundled
    assert "'graphql-transport-ws'" in bundle.text
    page = await api.client.get("/graphiql")
    assert "connect-src 'self'" in page.headers["content-security-policy"]  # CSP3: 'self' covers ws(s) to this host
