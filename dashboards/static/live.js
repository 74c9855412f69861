// Live updates for TeamFlow pages: a WebSocket to /live that reports each change to a task
// or project of the organization, whichever door it came through (Slack, API, webhook).
//
// A page opts in with <body data-live="on"> and redraws from a callback:
//
//   TeamFlowLive.onChange(function (event) { ... });
//
// `event` is what the server sent: {organization_id, task_id, task_key, project_key, kind,
// status, at}, `kind` being the change (`task.completed`, `task.created`, `comment.added`,
// `project.updated`, ...). After a reconnect the callbacks get {kind: "resync"} once,
// because changes made while the socket was down were not seen: redraw everything.
//
// An element with `data-live-status` shows the connection state: its attribute takes the
// value `connecting`, `live`, `reconnecting` or `signed-out`, and its text says so.
"use strict";

(function () {
  const MIN_DELAY_MS = 500;
  const MAX_DELAY_MS = 30000;
  const SILENCE_MS = 50000; // the server pings every 20 s; this long without a word is a dead link
  const NOT_SIGNED_IN = 4401;
  const LABELS = {
    connecting: "Connecting…",
    live: "Live",
    reconnecting: "Reconnecting…",
    "signed-out": "Signed out: reload to sign in",
  };

  const listeners = [];
  let socket = null;
  let state = "off";
  let failures = 0;
  let everOpened = false;
  let silenceTimer = null;
  let retryTimer = null;

  function showState(next) {
    state = next;
    document.querySelectorAll("[data-live-status]").forEach(function (element) {
      element.setAttribute("data-live-status", next);
      element.textContent = LABELS[next];
      element.title = "Live updates: " + LABELS[next];
    });
  }

  function tell(event) {
    listeners.slice().forEach(function (callback) {
      try {
        callback(event);
      } catch (error) {
        console.error("TeamFlowLive: a change callback failed", error);
      }
    });
  }

  function liveUrl() {
    const scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
    return scheme + window.location.host + "/live";
  }

  function watchSilence() {
    clearTimeout(silenceTimer);
    silenceTimer = setTimeout(function () {
      if (socket) socket.close(); // onclose schedules the reconnect
    }, SILENCE_MS);
  }

  function connect() {
    retryTimer = null;
    let opened = false;
    const ws = new WebSocket(liveUrl());
    socket = ws;
    ws.onopen = function () {
      opened = true;
      failures = 0;
      showState("live");
      watchSilence();
      if (everOpened) tell({ kind: "resync" });
      everOpened = true;
    };
    ws.onmessage = function (message) {
      watchSilence();
      let event;
      try {
        event = JSON.parse(message.data);
      } catch (error) {
        return;
      }
      if (event && event.kind && event.kind !== "ping") tell(event);
    };
    ws.onclose = function (closed) {
      if (socket !== ws) return;
      socket = null;
      clearTimeout(silenceTimer);
      // Refused at the handshake, or told the session ended: the access cookie may only
      // have expired. Loading the page again (HEAD) lets the server renew it first.
      const renew = !opened || closed.code === NOT_SIGNED_IN;
      scheduleReconnect(renew);
    };
  }

  function scheduleReconnect(renew) {
    if (retryTimer !== null) return;
    showState("reconnecting");
    const ceiling = Math.min(MAX_DELAY_MS, MIN_DELAY_MS * Math.pow(2, failures));
    failures += 1;
    const delay = ceiling / 2 + Math.random() * (ceiling / 2);
    retryTimer = setTimeout(function () {
      if (!renew) return connect();
      renewSession().then(function (signedIn) {
        if (signedIn) {
          connect();
        } else {
          retryTimer = null;
          showState("signed-out");
        }
      });
    }, delay);
  }

  function renewSession() {
    return fetch(window.location.href, {
      method: "HEAD",
      credentials: "same-origin",
      cache: "no-store",
      redirect: "manual",
    }).then(
      function (response) {
        // A redirect (to the sign-in page) or 401/403: the session is over.
        const refused = response.status === 401 || response.status === 403;
        return response.type !== "opaqueredirect" && !refused;
      },
      function () {
        return true; // the network is down: keep trying
      }
    );
  }

  function reconnectNow() {
    if (socket || state === "signed-out") return;
    if (retryTimer !== null) {
      clearTimeout(retryTimer);
      retryTimer = null;
    }
    failures = 0;
    scheduleReconnect(true);
  }

  function start() {
    if (document.body.dataset.live !== "on") return;
    showState("connecting");
    window.addEventListener("online", reconnectNow);
    connect();
  }

  window.TeamFlowLive = {
    // Call `callback(event)` on every change; returns a function that stops it.
    onChange: function (callback) {
      listeners.push(callback);
      return function () {
        const at = listeners.indexOf(callback);
        if (at >= 0) listeners.splice(at, 1);
      };
    },
    state: function () {
      return state;
    },
  };

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
