// Starts GraphiQL against this server's /graphql. After the `login` mutation runs here, the session cookie it sets
// is sent with every request, with the CSRF header read from the `portal_csrf` cookie at each request (so `viewer`
// and mutations work); or paste "Authorization: Bearer <token>" in the headers tab.
// Subscriptions go over a WebSocket to the same /graphql (graphql-transport-ws; graphql-ws's client is bundled in
// graphiql.min.js); the headers tab is sent as the connection_init payload, so the same Bearer token signs it in,
// and a same-origin socket carries the session cookie.
(function () {
  var CSRF_COOKIE = "portal_csrf";
  var CSRF_HEADER = "x-csrf-token";

  function csrfToken() {
    var parts = document.cookie ? document.cookie.split("; ") : [];
    for (var i = 0; i < parts.length; i++) {
      var eq = parts[i].indexOf("=");
      if (parts[i].slice(0, eq) === CSRF_COOKIE) return decodeURIComponent(parts[i].slice(eq + 1));
    }
    return null;
  }

  function fetchWithSession(url, init) {
    var options = Object.assign({}, init, { credentials: "same-origin" });
    var headers = new Headers((init && init.headers) || {});
    var token = csrfToken();
    if (token && !headers.has(CSRF_HEADER)) headers.set(CSRF_HEADER, token);
    options.headers = headers;
    return window.fetch(url, options);
  }

  var scheme = window.location.protocol === "https:" ? "wss:" : "ws:";
  var fetcher = GraphiQL.createFetcher({
    url: "/graphql",
    fetch: fetchWithSession,
    subscriptionUrl: scheme + "//" + window.location.host + "/graphql",
  });
  var root = ReactDOM.createRoot(document.getElementById("graphiql"));
  root.render(
    React.createElement(GraphiQL, {
      fetcher: fetcher,
      defaultEditorToolsVisibility: true,
      isHeadersEditorEnabled: true,
      shouldPersistHeaders: false,
      defaultQuery:
        "# 一级建造师注册 个人入口 API / Level-1 Constructor registration API\n" +
        "# 先获取验证码 / start with a captcha (dev: GET /dev/captcha/<id> gives its answer)\n" +
        "# 在此页登录后，Cookie 会话自动生效 / after `login` on this page, the cookie session is used\n" +
        "query {\n  captcha { id imageDataUrl expiresAt }\n}\n",
    })
  );
})();
