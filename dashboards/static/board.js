// A project's board: moving cards without a reload, and live redraws.
//
// Without scripts every control still works: the filter form reloads the page, each
// card's move form posts and comes back, quick add previews on its own page. With them:
// - a card can be dragged to another column (HTML5 drag and drop), and a focused card
//   moves with the ← and → keys; its ← → buttons and status list post in the background;
// - a move sends the version the card was drawn from; if the task changed since, the
//   server refuses (409) and the reason is shown while the board redraws;
// - any change to this project's tasks, from anywhere (Slack, the API, a webhook,
//   another browser), redraws the columns from /projects/KEY/board.json (TeamFlowLive);
// - quick add shows its preview in place.
"use strict";

(function () {
  const board = document.getElementById("board");
  if (!board) return;

  const DEBOUNCE_MS = 250;
  const key = board.dataset.projectKey;
  const alertBox = document.getElementById("board-alert");
  const statusBox = document.getElementById("board-status");
  let dragging = null;
  let pending = false;
  let timer = null;
  let inFlight = null;
  let again = false;
  let version = 0;

  function statuses() {
    return Array.from(board.querySelectorAll("section.column")).map(function (column) {
      return column.dataset.status;
    });
  }

  function say(message) {
    if (statusBox) statusBox.textContent = message || "";
  }

  function warn(message) {
    if (!alertBox) return;
    alertBox.textContent = message || "";
    alertBox.hidden = !message;
  }

  function signIn() {
    window.location.assign("/login?next=" + encodeURIComponent(window.location.pathname));
  }

  function focusedCard() {
    const active = document.activeElement;
    const card = active && board.contains(active) ? active.closest("li.card") : null;
    return card ? card.id : null;
  }

  // Swap in the fresh columns, keeping every card that did not change (same status and
  // version) as it is: its focus and a status picked but not yet moved survive a redraw.
  function patch(fresh) {
    const current = board.querySelector("#board-columns");
    const columns = Array.from(fresh.querySelectorAll("section.column"));
    const same = current && columns.every(function (column) {
      return current.querySelector('section.column[data-status="' + column.dataset.status + '"]');
    });
    if (!same) {
      board.replaceChildren(document.adoptNode(fresh));
      return;
    }
    columns.forEach(function (column) {
      patchColumn(current.querySelector('section.column[data-status="' + column.dataset.status + '"]'), column);
    });
  }

  function patchColumn(column, fresh) {
    const heading = column.querySelector("h2");
    const freshHeading = fresh.querySelector("h2");
    if (heading && freshHeading && heading.textContent !== freshHeading.textContent) {
      heading.replaceWith(document.adoptNode(freshHeading));
    }
    const list = column.querySelector("ul.tasks");
    const cards = Array.from(fresh.querySelector("ul.tasks").children).map(function (card) {
      const shown = document.getElementById(card.id);
      const unchanged =
        shown &&
        shown.dataset.version === card.dataset.version &&
        shown.dataset.status === card.dataset.status;
      return unchanged ? shown : document.adoptNode(card);
    });
    const inPlace =
      list.children.length === cards.length &&
      cards.every(function (card, at) {
        return list.children[at] === card;
      });
    if (!inPlace) list.replaceChildren.apply(list, cards);
    column.querySelectorAll(":scope > p.hint").forEach(function (hint) {
      hint.remove();
    });
    fresh.querySelectorAll(":scope > p.hint").forEach(function (hint) {
      column.appendChild(document.adoptNode(hint));
    });
  }

  // Fetch the columns again (same filters as the page) and swap them in.
  function redraw() {
    if (dragging) {
      pending = true;
      return Promise.resolve();
    }
    if (inFlight) {
      again = true;
      return inFlight;
    }
    const keep = focusedCard();
    inFlight = fetch(board.dataset.boardUrl + window.location.search, {
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    })
      .then(function (response) {
        if (response.status === 401) {
          signIn();
          throw new Error("signed out");
        }
        if (!response.ok) throw new Error("The board could not be refreshed.");
        return response.json();
      })
      .then(function (payload) {
        const page = new DOMParser().parseFromString(payload.html, "text/html");
        const fresh = page.getElementById("board-columns");
        if (!fresh) return;
        patch(fresh);
        if (keep && !board.contains(document.activeElement)) {
          const card = document.getElementById(keep);
          if (card) card.focus();
        }
        version += 1;
        document.body.dataset.boardVersion = String(version);
      })
      .catch(function (error) {
        console.error("TeamFlow: could not refresh the board", error);
      })
      .finally(function () {
        inFlight = null;
        if (again) {
          again = false;
          redraw();
        }
      });
    return inFlight;
  }

  function soon() {
    window.clearTimeout(timer);
    timer = window.setTimeout(redraw, DEBOUNCE_MS);
  }

  // Post a move in the background; the card's own form carries the token and version.
  function move(card, status) {
    const form = card.querySelector("form[data-move]");
    if (!form || !status || status === card.dataset.status) return Promise.resolve();
    const data = new FormData(form);
    data.delete("to");
    data.set("status", status);
    card.classList.add("moving");
    card.setAttribute("aria-busy", "true");
    warn("");
    return fetch(form.action + ".json", {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    })
      .then(function (response) {
        if (response.status === 401) {
          signIn();
          throw new Error("signed out");
        }
        return response.json().then(function (body) {
          if (response.ok) {
            say(body.message);
          } else {
            warn(body.error ? body.error.message : "The card could not be moved.");
          }
        });
      })
      .catch(function (error) {
        warn("The card could not be moved: " + error.message);
      })
      .finally(function () {
        card.classList.remove("moving");
        card.removeAttribute("aria-busy");
        card.focus();
        return redraw();
      });
  }

  board.addEventListener("submit", function (event) {
    const form = event.target.closest("form[data-move]");
    if (!form) return;
    event.preventDefault();
    const submitter = event.submitter;
    const status =
      submitter && submitter.name === "to" ? submitter.value : form.elements.status.value;
    move(form.closest("li.card"), status);
  });

  board.addEventListener("keydown", function (event) {
    const card = event.target;
    if (!card.matches || !card.matches("li.card[draggable]")) return;
    if (event.key !== "ArrowLeft" && event.key !== "ArrowRight") return;
    const order = statuses();
    const at = order.indexOf(card.dataset.status) + (event.key === "ArrowLeft" ? -1 : 1);
    if (at < 0 || at >= order.length) return;
    event.preventDefault();
    move(card, order[at]);
  });

  board.addEventListener("dragstart", function (event) {
    const card = event.target.closest && event.target.closest("li.card[draggable]");
    if (!card) return;
    dragging = card;
    card.classList.add("dragging");
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", card.dataset.key);
  });

  board.addEventListener("dragend", function () {
    if (dragging) dragging.classList.remove("dragging");
    dragging = null;
    board.querySelectorAll(".drop-target").forEach(function (column) {
      column.classList.remove("drop-target");
    });
    if (pending) {
      pending = false;
      soon();
    }
  });

  board.addEventListener("dragover", function (event) {
    const column = event.target.closest && event.target.closest("section.column");
    if (!column || !dragging) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = "move";
    board.querySelectorAll(".drop-target").forEach(function (other) {
      if (other !== column) other.classList.remove("drop-target");
    });
    column.classList.add("drop-target");
  });

  board.addEventListener("drop", function (event) {
    const column = event.target.closest && event.target.closest("section.column");
    if (!column || !dragging) return;
    event.preventDefault();
    const card = dragging;
    column.classList.remove("drop-target");
    card.classList.remove("dragging");
    dragging = null;
    pending = false;
    move(card, column.dataset.status);
  });

  // Quick add: the preview replaces the quick-add panel in place.
  document.addEventListener("submit", function (event) {
    const form = event.target;
    if (form.id !== "quick-add-form") return;
    event.preventDefault();
    fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      credentials: "same-origin",
      headers: { Accept: "text/html" },
    })
      .then(function (response) {
        if (response.status === 401 || response.redirected) {
          signIn();
          throw new Error("signed out");
        }
        return response.text();
      })
      .then(function (text) {
        const page = new DOMParser().parseFromString(text, "text/html");
        const fresh = page.getElementById("quick-add");
        const current = document.getElementById("quick-add");
        if (!fresh || !current) {
          form.submit();
          return;
        }
        current.replaceWith(document.adoptNode(fresh));
        const target =
          document.querySelector("#quick-add-preview button[type=submit]") ||
          document.getElementById("quick-add-text");
        if (target) target.focus();
      })
      .catch(function (error) {
        console.error("TeamFlow: quick add preview failed", error);
      });
  });

  if (window.TeamFlowLive) {
    window.TeamFlowLive.onChange(function (event) {
      if (event.kind !== "resync" && event.project_key && event.project_key !== key) return;
      soon();
    });
  }

  window.TeamFlowBoard = { redraw: redraw, move: move };
})();
