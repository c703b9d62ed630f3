// The booking page (O-42): each of the next days' booked load as a share of the fleet's
// capacity, by area and by weight; a day past 100% is full (book a 3 to 5 day window).
(function () {
  const data = document.getElementById("booking-days");
  const element = document.getElementById("booking-days-chart");
  if (!data || !element || !window.echarts) return;
  const chart = JSON.parse(data.textContent);
  const full = (value, index) => (chart.full[index] ? { value: value, itemStyle: { color: "#c62828" } } : value);
  const drawing = window.echarts.init(element);
  drawing.on("finished", () => { element.dataset.drawn = "true"; });
  drawing.setOption({
    tooltip: { trigger: "axis", valueFormatter: (value) => (value === null ? "—" : value + "%") },
    legend: { top: 0 },
    grid: { left: 45, right: 10, top: 30, bottom: 40 },
    xAxis: { type: "category", data: chart.days, axisLabel: { rotate: chart.days.length > 7 ? 45 : 0 } },
    yAxis: { type: "value", axisLabel: { formatter: "{value}%" } },
    series: [
      {
        name: chart.labels.m2, type: "bar", data: chart.m2.map(full),
        markLine: { symbol: "none", data: [{ yAxis: 100, name: chart.labels.capacity }], label: { formatter: chart.labels.capacity } },
      },
      { name: chart.labels.kg, type: "bar", data: chart.kg.map(full) },
    ],
  });
  window.addEventListener("resize", () => drawing.resize());
})();
