// zyflow-git board: live updates. The server says "change" (server-sent events) when HEAD,
// the runtime log or a task file changed; the page then fetches its own fresh HTML (already
// escaped by the server) and swaps the main part. Without this script the page still works:
// every action is a plain form POST.
(function () {
  "use strict";
  var body = document.body;
  if (body.dataset.live !== "1" || !window.EventSource) return;
  var live = document.getElementById("live");
  var source = new EventSource("/events?token=" + encodeURIComponent(body.dataset.token));
  var busy = false, again = false;
  function refresh() {
    if (busy) { again = true; return; }
    busy = true;
    var url = new URL(window.location.href);
    url.searchParams.set("fragment", "1");
    fetch(url.toString(), { cache: "no-store", credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.text() : null; })
      .then(function (html) {
        if (html !== null) document.getElementById("main").innerHTML = html;
        body.dataset.refreshed = String(Date.now());
      })
      .finally(function () { busy = false; if (again) { again = false; refresh(); } });
  }
  source.addEventListener("change", refresh);
  source.onopen = function () { live.textContent = "live"; body.dataset.connected = "1"; };
  source.onerror = function () { live.textContent = "reconnecting"; };
})();
