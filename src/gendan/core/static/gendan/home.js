// The managers' figures on the home page (issue 12): each a bar or pie chart whose bars and
// slices open the orders behind them, as the links listed under each chart do.
(function () {
  const data = document.getElementById("home-figures");
  if (!data || !window.echarts) return;
  const figures = JSON.parse(data.textContent);

  function option(figure) {
    const items = figure.items.map((item) => ({ name: item.label, value: item.value, url: item.url }));
    if (figure.kind === "pie") {
      return {
        tooltip: { trigger: "item" },
        series: [{ type: "pie", radius: ["35%", "65%"], data: items, label: { formatter: "{b}: {d}%" } }],
      };
    }
    if (figure.kind === "hbar") {
      return {
        tooltip: { trigger: "axis" },
        grid: { left: 170, right: 20, top: 10, bottom: 30 },
        xAxis: { type: "value", minInterval: 1 },
        yAxis: {
          type: "category", inverse: true, data: items.map((i) => i.name),
          axisLabel: { interval: 0, width: 160, overflow: "truncate" },
        },
        series: [{ type: "bar", data: items }],
      };
    }
    return {
      tooltip: { trigger: "axis" },
      grid: { left: 50, right: 10, bottom: 70 },
      xAxis: { type: "category", axisLabel: { interval: 0, rotate: items.length > 4 ? 30 : 0 }, data: items.map((i) => i.name) },
      yAxis: { type: "value", minInterval: figure.by_amount ? 0 : 1 },
      series: [{ type: "bar", data: items }],
    };
  }

  figures.forEach((figure) => {
    const element = document.getElementById(figure.id);
    if (!element) return;
    const chart = window.echarts.init(element);
    // Said on the element once drawn (animations ended): a test knows when bars stand still.
    chart.on("finished", () => { element.dataset.drawn = "true"; });
    chart.setOption(option(figure));
    chart.on("click", (params) => {
      if (params.data && params.data.url) window.location.assign(params.data.url);
    });
    window.addEventListener("resize", () => chart.resize());
  });
})();
