// Draws every <canvas data-chart="ID"> with Chart.js from the JSON in <script id="ID">
// (Django's json_script). The numbers are also in a table on the page, so nothing is lost
// without JavaScript. Charts are redrawn after htmx swaps in new content.
(function () {
  "use strict";
  if (typeof window.Chart === "undefined") return;

  const palette = ["#3346d3", "#9aa3b5", "#f59e0b", "#15803d", "#b91c1c"];

  function build(spec) {
    const datasets = (spec.datasets || []).map((dataset, index) => {
      const color = dataset.color || palette[index % palette.length];
      return Object.assign(
        {
          borderColor: color,
          backgroundColor: dataset.type === "line" ? color : color + "cc",
          borderWidth: dataset.type === "line" ? 2 : 0,
          pointRadius: dataset.type === "line" ? 2 : 0,
          cubicInterpolationMode: "monotone", // never overshoots below zero between points
          data: (dataset.data || []).map(Number),
        },
        dataset,
        { data: (dataset.data || []).map(Number) }
      );
    });
    const scales = { x: { grid: { display: false } }, y: { beginAtZero: true, position: "left" } };
    Object.entries(spec.axes || {}).forEach(([axis, options]) => {
      scales[axis] = {
        beginAtZero: true,
        position: options.position || "right",
        grid: { drawOnChartArea: false },
        ticks: options.precision === undefined ? {} : { precision: options.precision },
      };
    });
    return {
      type: spec.type || "bar",
      data: { labels: spec.labels || [], datasets: datasets },
      options: {
        // Ticks and tooltips group digits the reader's way (<html lang>, the user's language).
        locale: document.documentElement.lang || undefined,
        responsive: true,
        maintainAspectRatio: false,
        interaction: { mode: "index", intersect: false },
        plugins: { legend: { position: "bottom" } },
        scales: scales,
      },
    };
  }

  function draw(root) {
    (root || document).querySelectorAll("canvas[data-chart]").forEach((canvas) => {
      const source = document.getElementById(canvas.dataset.chart);
      if (!source) return;
      const existing = window.Chart.getChart(canvas);
      if (existing) existing.destroy();
      new window.Chart(canvas, build(JSON.parse(source.textContent)));
    });
  }

  document.addEventListener("DOMContentLoaded", () => draw(document));
  if (document.readyState !== "loading") draw(document);
  document.body.addEventListener("htmx:afterSettle", (event) => draw(event.target));
})();
