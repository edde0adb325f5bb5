// Queue page: the table body is fetched again every few seconds, so new handoffs and changed
// SLA colours show without a reload. The rows come rendered (and escaped) by the server.
(function () {
  "use strict";
  var REFRESH_MILLISECONDS = 5000;
  var body = document.getElementById("queue-rows");
  if (!body) { return; }
  var rowsUrl = body.dataset.rowsUrl;
  var refreshing = false;

  function refresh() {
    if (refreshing) { return; }
    refreshing = true;
    fetch(rowsUrl, { credentials: "same-origin" })
      .then(function (response) {
        if (response.redirected || response.status === 401) { window.location.reload(); return null; }
        return response.ok ? response.text() : null;
      })
      .then(function (html) {
        if (html === null || html === undefined) { return; }
        var parsed = new DOMParser().parseFromString("<table><tbody>" + html + "</tbody></table>", "text/html");
        body.replaceChildren.apply(body, Array.from(parsed.querySelector("tbody").childNodes));
      })
      .catch(function () { /* try again next time */ })
      .finally(function () { refreshing = false; });
  }

  window.setInterval(refresh, REFRESH_MILLISECONDS);
})();
