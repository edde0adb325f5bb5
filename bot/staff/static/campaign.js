// Campaign pages: the form's live segment count (asked of the server, which sends the texts and
// so knows their cost), and a campaign's progress counts updating without a reload.
(function () {
  "use strict";
  var POLL_MILLISECONDS = 2000;

  document.querySelectorAll("textarea[data-preview-language]").forEach(function (box) {
    var language = box.dataset.previewLanguage;
    var shown = document.getElementById("preview-" + language);
    var timer = null;
    function refresh() {
      var url = box.dataset.previewUrl + "?language=" + encodeURIComponent(language) + "&message=" + encodeURIComponent(box.value);
      fetch(url, { credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (data) {
          if (!data || !shown) { return; }
          var words = data.segments + (data.segments === 1 ? " segment" : " segments") + " (" + data.encoding + "): ";
          shown.textContent = words + data.text + (data.problems.length ? " · " + data.problems.join(" ") : "");
        })
        .catch(function () { /* the count comes back with the next keystroke */ });
    }
    box.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(refresh, 250);
    });
    if (box.value) { refresh(); }
  });

  var table = document.getElementById("campaign-progress");
  if (!table) { return; }
  var status = document.getElementById("campaign-status");
  window.setInterval(function () {
    fetch(table.dataset.progressUrl, { credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (!data) { return; }
        Object.keys(data.progress).forEach(function (key) {
          var cell = table.querySelector('[data-count="' + key + '"]');
          if (cell) { cell.textContent = String(data.progress[key]); }
        });
        if (status) { status.textContent = data.status; }
      })
      .catch(function () { /* offline for a moment: the next poll tries again */ });
  }, POLL_MILLISECONDS);
})();
