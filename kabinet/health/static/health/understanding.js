/* Understanding index charts of kabinet.health: Chart.js (vendored) reading the data the page
   passed through json_script (id "understanding-charts", an object keyed like the canvases'
   data-understanding-chart). No inline script. A dashed line marks the alarm threshold. */
(function () {
  "use strict";

  function draw(canvas, data) {
    var threshold = data.labels.map(function () { return data.threshold; });
    return new window.Chart(canvas, {
      type: "line",
      data: {
        labels: data.labels,
        datasets: [
          { label: data.name, data: data.values, borderColor: "#2f5bea", backgroundColor: "#2f5bea",
            tension: 0.2, spanGaps: true, pointRadius: 2 },
          { label: "", data: threshold, borderColor: "#d93025", borderDash: [5, 4], borderWidth: 1,
            pointRadius: 0 }
        ]
      },
      options: {
        animation: false, responsive: true, maintainAspectRatio: false,
        plugins: { legend: { display: false } },
        scales: { y: { min: 0, max: 10, ticks: { stepSize: 2 } } }
      }
    });
  }

  function init() {
    var source = document.getElementById("understanding-charts");
    if (!source || !window.Chart) { return; }
    var charts = JSON.parse(source.textContent);
    document.querySelectorAll("canvas[data-understanding-chart]").forEach(function (canvas) {
      var data = charts[canvas.getAttribute("data-understanding-chart")];
      if (data && data.values.length) { draw(canvas, data); }
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
}());
