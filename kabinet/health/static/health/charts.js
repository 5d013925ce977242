/* KPI charts of kabinet.health: Chart.js (vendored, see vendor/VENDOR.md) reading the data that
   the page passed through Django's json_script (id "kpi-charts"). No inline script, so it works
   under a strict Content-Security-Policy. Each canvas has data-chart-index into that list. */
(function () {
  "use strict";

  function format(value, decimals) {
    if (value === null || value === undefined) { return "—"; }
    return new Intl.NumberFormat(document.documentElement.lang || undefined, {
      minimumFractionDigits: decimals, maximumFractionDigits: decimals
    }).format(value);
  }

  /* Each mark's numbered label gets the highest of a few rows where it does not touch its
     neighbour; a mark with no free row keeps its line and loses its number (the list under the
     charts still numbers it). Without this, marks a few days apart printed "2 23" as one badge. */
  var LABEL_ROWS = 3, LABEL_WIDTH = 22, LABEL_HEIGHT = 19;

  function labelRows(marks, count, width) {
    var perStep = Math.max(width - 70, 50) / Math.max(count - 1, 1);  // pixels per month
    var lastInRow = [];
    return marks.map(function (note) {
      var x = note.x * perStep;
      for (var row = 0; row < LABEL_ROWS; row++) {
        if (lastInRow[row] === undefined || x - lastInRow[row] >= LABEL_WIDTH) {
          lastInRow[row] = x;
          return row;
        }
      }
      return null;
    });
  }

  function annotationsFor(data, marks, width) {
    var notes = {};
    var ordered = (marks || []).map(function (note, i) { return { x: note.x, number: i + 1 }; })
      .sort(function (a, b) { return a.x - b.x; });
    var rows = labelRows(ordered, data.labels.length, width);
    ordered.forEach(function (note, i) {
      notes["work" + note.number] = {
        type: "line", scaleID: "x", value: note.x,
        borderColor: "rgba(30,142,62,.55)", borderWidth: 1, borderDash: [3, 3],
        label: {
          display: rows[i] !== null, content: String(note.number), position: "start",
          yAdjust: (rows[i] || 0) * LABEL_HEIGHT,
          backgroundColor: "#1e8e3e", color: "#fff", font: { size: 10 }, padding: 3
        }
      };
    });
    if (data.forecast) {
      notes.forecast = {
        type: "box", xMin: data.forecast.index - 0.4, xMax: data.forecast.index + 0.4,
        yMin: data.forecast.low, yMax: data.forecast.high,
        backgroundColor: "rgba(123,77,224,.18)", borderColor: "#7b4de0", borderWidth: 1
      };
    }
    if (data.expectation) {
      notes.expectation = {
        type: "line", xMin: data.expectation.index - 0.45, xMax: data.expectation.index + 0.45,
        yMin: data.expectation.target, yMax: data.expectation.target,
        borderColor: "#e07b39", borderWidth: 3, borderDash: [6, 3]
      };
    }
    return notes;
  }

  function draw(canvas, data, marks) {
    var datasets = [{
      label: data.strings.actual, data: data.values, borderColor: "#2f5bea", backgroundColor: "#2f5bea",
      tension: 0.2, spanGaps: true, pointRadius: 3
    }, {
      label: data.strings.soFar, data: data.soFar, borderColor: "#9aa3b8", backgroundColor: "#fff",
      pointRadius: 4, pointStyle: "circle", showLine: false
    }];
    if (data.trend) {
      datasets.push({
        label: data.strings.trend, data: data.trend, borderColor: "#9aa3b8", borderDash: [4, 4],
        spanGaps: true, pointRadius: 0, borderWidth: 1.5
      });
    }
    return new window.Chart(canvas, {
      type: "line",
      data: { labels: data.labels, datasets: datasets },
      options: {
        responsive: true, maintainAspectRatio: false, animation: false,
        interaction: { mode: "index", intersect: false },
        scales: { y: { beginAtZero: false, ticks: { callback: function (v) { return format(v, data.decimals); } } } },
        plugins: {
          legend: { position: "bottom", labels: { boxWidth: 12 } },
          tooltip: { callbacks: { label: function (ctx) {
            return ctx.dataset.label + ": " + format(ctx.parsed.y, data.decimals) + (data.unit ? " " + data.unit : "");
          } } },
          annotation: { annotations: annotationsFor(data, marks, canvas.clientWidth || 600) }
        }
      }
    });
  }

  function init() {
    var source = document.getElementById("kpi-charts");
    if (!source || !window.Chart) { return; }
    if (window["chartjs-plugin-annotation"]) { window.Chart.register(window["chartjs-plugin-annotation"]); }
    var payload = JSON.parse(source.textContent);
    document.querySelectorAll("canvas[data-chart-index]").forEach(function (canvas) {
      var data = payload.charts[Number(canvas.dataset.chartIndex)];
      if (data) { draw(canvas, data, payload.annotations); }
    });
  }

  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); } else { init(); }
})();
