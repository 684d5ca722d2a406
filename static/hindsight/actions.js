// The actions dashboard: the backlog chart, drawn from data the page embeds with json_script.
(function () {
  "use strict";
  function drawBacklog() {
    var canvas = document.getElementById("backlog-chart");
    var source = document.getElementById("backlog-data");
    if (!canvas || !source || typeof window.Chart === "undefined") return;
    var data = JSON.parse(source.textContent);
    var styles = getComputedStyle(document.documentElement);
    var colour = styles.getPropertyValue("--brand-2").trim() || "#2d5a8e";
    new window.Chart(canvas, {
      type: "line",
      data: {
        labels: data.labels,
        datasets: [{
          label: "Open actions",
          data: data.open,
          borderColor: colour,
          backgroundColor: "rgba(45, 90, 142, 0.12)",
          fill: true,
          tension: 0.25,
          pointRadius: 2,
        }],
      },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        plugins: { legend: { display: false } },
        scales: {
          y: { beginAtZero: true, ticks: { precision: 0 } },
          x: { ticks: { maxRotation: 0, autoSkip: true, maxTicksLimit: 9 } },
        },
      },
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", drawBacklog);
  } else {
    drawBacklog();
  }
})();
