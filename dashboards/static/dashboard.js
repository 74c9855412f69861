// The manager dashboard's charts (Chart.js, served by TeamFlow itself).
//
// The page embeds its numbers in <script type="application/json" id="dashboard-data">;
// this draws every <canvas data-chart="NAME"> from them. Changing a filter, or a live
// update (TeamFlowLive, see live.js), fetches /dashboard/data.json with the same query
// and redraws the charts, the key numbers and the tables in place. Without scripts the
// filter form still works: it reloads the page.
"use strict";

(function () {
  const source = document.getElementById("dashboard-data");
  const form = document.getElementById("dashboard-filters");
  if (!source || !form || !window.Chart) return;

  const LIVE_DEBOUNCE_MS = 300;
  const charts = {};
  let current = JSON.parse(source.textContent);
  let version = 0;
  let inFlight = null;
  let again = false;
  let liveTimer = null;

  window.Chart.defaults.animation = false;
  window.Chart.defaults.font.family = window.getComputedStyle(document.body).fontFamily;

  function translucent(color) {
    return typeof color === "string" && color.length === 7 ? color + "80" : color;
  }

  function datasetsOf(spec) {
    return spec.datasets.map(function (set, index) {
      const line = spec.type === "line";
      return {
        label: set.label,
        data: set.data,
        borderColor: set.color,
        backgroundColor: line && set.fill ? translucent(set.color) : set.color,
        // stacked areas: the first fills down to zero, each next one down to the one below
        fill: set.fill ? (index === 0 ? "origin" : "-1") : false,
        cubicInterpolationMode: "monotone",
        pointRadius: line ? 2 : undefined,
        borderWidth: line ? 2 : 0,
      };
    });
  }

  function optionsOf(spec) {
    const horizontal = Boolean(spec.horizontal);
    const stacked = Boolean(spec.stacked);
    const axis = { stacked: stacked, beginAtZero: true, ticks: { precision: 0 } };
    return {
      responsive: true,
      maintainAspectRatio: false,
      indexAxis: horizontal ? "y" : "x",
      scales: { x: Object.assign({}, axis), y: Object.assign({}, axis) },
      plugins: { legend: { display: spec.datasets.length > 1, position: "bottom" } },
    };
  }

  function drawCharts(payload) {
    Object.keys(payload.charts).forEach(function (name) {
      const spec = payload.charts[name];
      const canvas = document.getElementById("chart-" + name);
      if (!canvas) return;
      const chart = charts[name];
      if (chart) {
        chart.data.labels = spec.labels;
        chart.data.datasets = datasetsOf(spec);
        chart.update();
        return;
      }
      charts[name] = new window.Chart(canvas, {
        type: spec.type,
        data: { labels: spec.labels, datasets: datasetsOf(spec) },
        options: optionsOf(spec),
      });
    });
  }

  function cellContent(value) {
    if (value && typeof value === "object" && value.href) {
      const link = document.createElement("a");
      link.href = value.href;
      link.textContent = value.text;
      return link;
    }
    return document.createTextNode(value === null || value === undefined ? "" : String(value));
  }

  function fillTable(table, rows) {
    const body = table.tBodies[0];
    const columns = table.tHead ? table.tHead.rows[0].cells.length : 1;
    body.replaceChildren();
    if (!rows.length) {
      const row = body.insertRow();
      row.className = "empty";
      const cell = row.insertCell();
      cell.colSpan = columns;
      cell.textContent = body.dataset.empty || "";
      return;
    }
    rows.forEach(function (values) {
      const row = body.insertRow();
      values.forEach(function (value, index) {
        const cell = document.createElement(index === 0 ? "th" : "td");
        if (index === 0) cell.scope = "row";
        cell.appendChild(cellContent(value));
        row.appendChild(cell);
      });
    });
  }

  function fillPage(payload) {
    document.querySelectorAll("[data-stat]").forEach(function (element) {
      const value = payload.stats[element.dataset.stat];
      if (value !== undefined) element.textContent = String(value);
    });
    document.querySelectorAll("table[data-table]").forEach(function (table) {
      const rows = payload.tables[table.dataset.table];
      if (rows) fillTable(table, rows);
    });
    const range = document.getElementById("dashboard-range");
    if (range) {
      const f = payload.filters;
      range.textContent = f.from + " to " + f.to + " (" + f.timezone + ")";
    }
  }

  function showProblem(message) {
    let problem = document.querySelector("[data-dashboard-problem]");
    if (!problem) return;
    problem.textContent = message || "";
    problem.hidden = !message;
  }

  function apply(payload) {
    current = payload;
    drawCharts(payload);
    fillPage(payload);
    version += 1;
    document.body.dataset.dashboardVersion = String(version);
  }

  function query() {
    const params = new URLSearchParams();
    new FormData(form).forEach(function (value, name) {
      if (value) params.append(name, value);
    });
    return params.toString();
  }

  function redraw() {
    if (inFlight) {
      again = true;
      return inFlight;
    }
    const params = query();
    form.setAttribute("aria-busy", "true");
    inFlight = fetch(form.dataset.dataUrl + (params ? "?" + params : ""), {
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    })
      .then(function (response) {
        if (response.status === 401) {
          window.location.assign("/login?next=" + encodeURIComponent("/dashboard?" + params));
          throw new Error("signed out");
        }
        return response.json().then(function (body) {
          if (!response.ok) throw new Error(body.error ? body.error.message : response.statusText);
          return body;
        });
      })
      .then(function (payload) {
        showProblem("");
        apply(payload);
      })
      .catch(function (error) {
        showProblem(error.message);
      })
      .finally(function () {
        form.removeAttribute("aria-busy");
        inFlight = null;
        if (again) {
          again = false;
          redraw();
        }
      });
    return inFlight;
  }

  function applyFilters(event) {
    if (event) event.preventDefault();
    const params = query();
    window.history.replaceState(null, "", "/dashboard" + (params ? "?" + params : ""));
    return redraw();
  }

  form.addEventListener("submit", applyFilters);
  form.addEventListener("change", function () {
    applyFilters();
  });

  if (window.TeamFlowLive) {
    window.TeamFlowLive.onChange(function () {
      window.clearTimeout(liveTimer);
      liveTimer = window.setTimeout(redraw, LIVE_DEBOUNCE_MS);
    });
  }

  apply(current);
  window.TeamFlowDashboard = {
    charts: charts,
    redraw: redraw,
    payload: function () {
      return current;
    },
  };
})();
