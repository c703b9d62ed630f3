// The stock page of a product: available and reserved by batch, stacked bars (O-58: a
// customer's product comes from one batch, so the tallest bar says what one order can have).
(function () {
  const data = document.getElementById("stock-batches");
  const labels = document.getElementById("stock-batches-labels");
  const element = document.getElementById("stock-batches-chart");
  if (!data || !element || !window.echarts) return;
  const chart = JSON.parse(data.textContent);
  const names = labels ? JSON.parse(labels.textContent) : { available: "", reserved: "" };
  const drawing = window.echarts.init(element);
  drawing.on("finished", () => { element.dataset.drawn = "true"; });
  drawing.setOption({
    tooltip: { trigger: "axis" },
    legend: { top: 0 },
    grid: { left: 50, right: 10, top: 30, bottom: 60 },
    xAxis: { type: "category", data: chart.batches, axisLabel: { interval: 0, rotate: chart.batches.length > 4 ? 30 : 0 } },
    yAxis: { type: "value" },
    series: [
      { name: names.available, type: "bar", stack: "stock", data: chart.available },
      { name: names.reserved, type: "bar", stack: "stock", data: chart.reserved },
    ],
  });
  // A bar opens its batch: its places and the moves behind them.
  drawing.on("click", (params) => {
    const url = chart.urls && chart.urls[params.dataIndex];
    if (url) window.location.assign(url);
  });
  window.addEventListener("resize", () => drawing.resize());
})();
