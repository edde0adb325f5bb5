// Conversation page: new messages appear without a reload, and canned replies fill the reply box.
// Message text is always set with textContent, never parsed as HTML: seekers' words stay words.
(function () {
  "use strict";
  var POLL_MILLISECONDS = 2000;
  var transcript = document.getElementById("transcript");
  var replyBox = document.getElementById("reply-text");

  document.querySelectorAll(".canned-reply").forEach(function (button) {
    button.addEventListener("click", function () {
      if (!replyBox) { return; }
      var start = replyBox.selectionStart, end = replyBox.selectionEnd;
      replyBox.setRangeText(button.dataset.text, start, end, "end");
      replyBox.focus();
    });
  });

  if (!transcript) { return; }
  var messagesUrl = transcript.dataset.messagesUrl;
  var after = Number(transcript.dataset.after || 0);
  var shownStatus = transcript.dataset.status;
  var shownAssignee = transcript.dataset.assignee || "";
  var polling = false;

  function scrollToEnd() { transcript.scrollTop = transcript.scrollHeight; }

  function nearEnd() { return transcript.scrollHeight - transcript.scrollTop - transcript.clientHeight < 80; }

  function append(message) {
    var item = document.createElement("li");
    item.className = "message message-" + (message.direction === "in" ? "in" : "out") + " message-new";
    item.dataset.id = String(message.id);
    var meta = document.createElement("span");
    meta.className = "meta";
    meta.textContent = message.author + " · " + message.at_local + (message.direction === "out" ? " · " + message.status : "");
    var text = document.createElement("p");
    text.className = "text";
    text.textContent = message.text;
    item.append(meta, text);
    transcript.append(item);
  }

  function showChanged(handoff) {
    if (handoff.status !== shownStatus || (handoff.assignee || "") !== shownAssignee) {
      document.getElementById("conversation-changed").hidden = false;
    }
  }

  function poll() {
    if (polling) { return; }
    polling = true;
    fetch(messagesUrl + "?after=" + encodeURIComponent(after), {
      credentials: "same-origin",
      headers: { "Accept": "application/json" },
    })
      .then(function (response) {
        // A session that ended is sent to the login page: show it instead of polling on.
        if (response.redirected || response.status === 401) { window.location.reload(); return null; }
        return response.ok ? response.json() : null;
      })
      .then(function (data) {
        if (!data) { return; }
        var follow = nearEnd();
        data.messages.forEach(function (message) {
          if (message.id > after) {
            append(message);
            after = message.id;
          }
        });
        if (follow && data.messages.length) { scrollToEnd(); }
        showChanged(data.handoff);
      })
      .catch(function () { /* offline for a moment: the next poll tries again */ })
      .finally(function () { polling = false; });
  }

  scrollToEnd();
  window.setInterval(poll, POLL_MILLISECONDS);
})();
