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
    grid: { left: 45, right: 60, top: 30, bottom: 40 },
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

// O-42: before the form is sent, warn when the day chosen is full with this order (the
// server refuses it as well): a single day only, not a window or a delivery with the installers.
(function () {
  const data = document.getElementById("booking-days");
  const warning = document.getElementById("booking-day-full");
  const first = document.getElementById("id_first_day");
  if (!data || !warning || !first) return;
  const chart = JSON.parse(data.textContent);
  const full = new Set(chart.full_with_order || []);
  const last = document.getElementById("id_last_day");
  const installers = document.getElementById("id_with_installers");
  const check = () => {
    const single = !(last && last.value && last.value !== first.value);
    const byTruck = !(installers && installers.checked);
    const shown = single && byTruck && full.has(first.value);
    warning.textContent = shown ? chart.full_warning.replace("%(day)s", first.value) : "";
    warning.hidden = !shown;
  };
  [first, last, installers].forEach((input) => input && input.addEventListener("input", check));
  [first, last, installers].forEach((input) => input && input.addEventListener("change", check));
  check();
})();
