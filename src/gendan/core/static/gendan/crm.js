// The dashboard's trend chart: new people per day, week or month in each group (E-1).
(function () {
  const element = document.getElementById("trend");
  if (!element || !window.echarts) return;
  const trends = JSON.parse(document.getElementById("crm-trends").textContent);
  const labels = JSON.parse(document.getElementById("crm-labels").textContent);
  const chart = window.echarts.init(element);
  const shown = ["interested", "buyers", "members", "cards"];

  function draw(period) {
    const days = [...new Set(shown.flatMap((key) => trends[key][period].map((row) => row[0])))].sort();
    chart.setOption({
      tooltip: { trigger: "axis" },
      legend: { data: shown.map((key) => labels[key]) },
      xAxis: { type: "category", data: days },
      yAxis: { type: "value", minInterval: 1 },
      series: shown.map((key) => {
        const counts = Object.fromEntries(trends[key][period]);
        return { name: labels[key], type: "line", data: days.map((day) => counts[day] || 0) };
      }),
    }, true);
  }

  document.querySelectorAll(".periods button").forEach((button) => {
    button.addEventListener("click", () => {
      document.querySelectorAll(".periods button").forEach((b) => b.classList.add("outline"));
      button.classList.remove("outline");
      draw(button.dataset.period);
    });
  });
  window.addEventListener("resize", () => chart.resize());
  draw("day");
})();

// Bulk actions on a list of people (E-5, E-6): show only the inputs the chosen action
// needs, and ask before people are taken out of a tag or group.
(function () {
  const form = document.getElementById("bulk");
  if (!form) return;
  const action = form.querySelector('select[name="action"]');
  function show() {
    form.querySelectorAll("[data-for]").forEach((input) => {
      const wanted = input.dataset.for.split(" ").includes(action.value);
      input.hidden = !wanted;
      input.disabled = !wanted;
    });
  }
  action.addEventListener("change", show);
  form.addEventListener("submit", (event) => {
    const risky = form.dataset.confirmActions.split(" ").includes(action.value);
    if (risky && !window.confirm(form.dataset.confirm)) event.preventDefault();
  });
  show();
})();

// E-12: the items most often added to a cart, last 7 days beside the cumulative count.
(function () {
  const element = document.getElementById("items-chart");
  if (!element || !window.echarts) return;
  const top = JSON.parse(document.getElementById("items-top").textContent);
  const labels = JSON.parse(document.getElementById("items-labels").textContent);
  const chart = window.echarts.init(element);
  chart.setOption({
    tooltip: { trigger: "axis" },
    legend: { data: [labels.new, labels.total] },
    grid: { left: 120 },
    xAxis: { type: "value", minInterval: 1 },
    yAxis: { type: "category", inverse: true, axisLabel: { interval: 0 }, data: top.map((row) => row.item) },
    series: [
      { name: labels.new, type: "bar", data: top.map((row) => row.new) },
      { name: labels.total, type: "bar", data: top.map((row) => row.total) },
    ],
  });
  window.addEventListener("resize", () => chart.resize());
})();

// E-7: the profile's three charts: ages by gender, regions ranked, interested against buying.
(function () {
  const data = document.getElementById("profile-charts");
  if (!data || !window.echarts) return;
  const charts = JSON.parse(data.textContent);
  const words = charts.labels;
  const draw = (id, option) => {
    const chart = window.echarts.init(document.getElementById(id));
    chart.setOption(option);
    window.addEventListener("resize", () => chart.resize());
  };
  const bands = charts.ages.map((row) => row[0]);
  draw("profile-ages", {
    tooltip: { trigger: "axis" },
    legend: { data: [words.women, words.men, words.unknown] },
    xAxis: { type: "category", data: bands },
    yAxis: { type: "value", minInterval: 1 },
    series: [words.women, words.men, words.unknown].map((name, index) => ({
      name, type: "bar", stack: "people", data: charts.ages.map((row) => row[index + 1]),
    })),
  });
  draw("profile-regions", {
    tooltip: { trigger: "axis" },
    grid: { left: 90 },
    xAxis: { type: "value", minInterval: 1 },
    yAxis: {
      type: "category", inverse: true, axisLabel: { interval: 0 },
      data: charts.regions.map((row) => row[0] || "—"),
    },
    series: [{ type: "bar", data: charts.regions.map((row) => row[1]) }],
  });
  draw("profile-conversion", {
    tooltip: { trigger: "axis" },
    legend: { data: [words.interested, words.buying] },
    xAxis: {
      type: "category", axisLabel: { interval: 0, rotate: 30 },
      data: charts.conversion.map((row) => row[0] || "—"),
    },
    yAxis: { type: "value", minInterval: 1 },
    series: [
      { name: words.interested, type: "bar", data: charts.conversion.map((row) => row[1]) },
      { name: words.buying, type: "bar", data: charts.conversion.map((row) => row[2]) },
    ],
  });
})();
