// Bar charts of the sales-rep pages; data comes from json_script, never inline JS.
(function () {
  function draw(canvasId, dataId) {
    const canvas = document.getElementById(canvasId);
    const source = document.getElementById(dataId);
    if (!canvas || !source || typeof Chart === "undefined") return;
    const data = JSON.parse(source.textContent);
    const datasets = [{ label: data.salesLabel, data: data.sales, backgroundColor: "#0d6efd", yAxisID: "y" }];
    const scales = { y: { beginAtZero: true, position: "left" } };
    if (data.customers) {
      datasets.push({ label: data.customersLabel, data: data.customers, backgroundColor: "#adb5bd", yAxisID: "y1" });
      scales.y1 = { beginAtZero: true, position: "right", grid: { drawOnChartArea: false }, ticks: { precision: 0 } };
    }
    new Chart(canvas, { type: "bar", data: { labels: data.labels, datasets: datasets }, options: { locale: document.documentElement.lang || undefined, responsive: true, scales: scales } });
  }
  draw("rep-chart", "rep-chart-data");
  draw("sales-chart", "sales-chart-data");
})();
