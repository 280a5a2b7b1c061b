// Starts GraphiQL against this server's /graphql. Paste "Authorization: Bearer <token>" in the headers tab.
// Subscriptions go over a WebSocket to the same /graphql (graphql-transport-ws; graphql-ws's client is bundled in
// graphiql.min.js); the headers tab is sent as the connection_init payload, so the same Bearer token signs it in.
(function () {
  var scheme = window.location.protocol === "https:" ? "wss:" : "ws:";
  var fetcher = GraphiQL.createFetcher({
    url: "/graphql",
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
        "query {\n  captcha { id imageDataUrl expiresAt }\n}\n",
    })
  );
})();
