// Insights charts: each <canvas data-chart="ID"> draws the JSON in <script id="ID"> (written by json_script).
// The table under each chart carries the same numbers, so nothing is only in the picture.
(function () {
  "use strict";
  var COLOURS = ["#2d5a8e", "#c2410c", "#1e7a46", "#7c3aed"];

  function draw(canvas) {
    var source = document.getElementById(canvas.dataset.chart);
    if (!source || typeof window.Chart === "undefined") return;
    var spec = JSON.parse(source.textContent);
    var datasets = spec.datasets.map(function (set, index) {
      var colour = COLOURS[index % COLOURS.length];
      return {
        label: set.label,
        data: set.data,
        borderColor: colour,
        backgroundColor: spec.type === "line" ? colour : colour + "cc",
        spanGaps: true,
        tension: 0.2,
        pointRadius: 3,
      };
    });
    new window.Chart(canvas, {
      type: spec.type,
      data: { labels: spec.labels, datasets: datasets },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        plugins: { legend: { display: datasets.length > 1, position: "bottom" } },
        scales: {
          y: { beginAtZero: true, title: { display: Boolean(spec.unit), text: spec.unit } },
          x: { ticks: { maxRotation: 0, autoSkip: true, maxTicksLimit: 8 } },
        },
      },
    });
  }

  function drawAll() {
    document.querySelectorAll("canvas[data-chart]").forEach(draw);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", drawAll);
  } else {
    drawAll();
  }
})();
