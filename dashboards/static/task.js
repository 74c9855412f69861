// A task's page hears about changes to its task made elsewhere (Slack, the API, a
// webhook, another browser) and says so, before a save would be refused as stale.
// The page is fetched again to compare versions, so the page's own save, heard on the
// live feed after the reload, says nothing.
"use strict";

(function () {
  const heading = document.getElementById("task-heading");
  const notice = document.getElementById("task-changed");
  if (!heading || !notice || !window.TeamFlowLive) return;

  const key = heading.dataset.taskKey;
  const shown = heading.dataset.version;
  let timer = null;

  function check() {
    fetch(window.location.pathname, { credentials: "same-origin", cache: "no-store" })
      .then(function (response) {
        return response.ok ? response.text() : "";
      })
      .then(function (text) {
        const page = new DOMParser().parseFromString(text, "text/html");
        const fresh = page.getElementById("task-heading");
        if (!fresh || fresh.dataset.version === shown) return;
        notice.textContent =
          key + " was changed since this page was loaded. Reload to see the change: " +
          "saving this form now would be refused, and nothing would be overwritten.";
        notice.hidden = false;
      })
      .catch(function () {});
  }

  window.TeamFlowLive.onChange(function (event) {
    if (event.kind !== "resync" && event.task_key !== key) return;
    window.clearTimeout(timer);
    timer = window.setTimeout(check, 300);
  });
})();
