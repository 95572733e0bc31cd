// The dashboard's charts (ECharts, served by the app). The numbers come in the page as JSON
// (json_script: no inline script, the CSP allows none); a bar or a point opens its list of cases.
(function () {
  var holder = document.getElementById("dashboard-data");
  if (!holder || !window.echarts) return;
  var data = JSON.parse(holder.textContent);
  var BLUE = "#1d4f91", GREY = "#a0a8b4";
  var charts = [];

  function phone() { return window.innerWidth < 576; }

  function lines(el, months, thisYear, lastYear, unit) {
    var chart = echarts.init(el, null, { renderer: "svg" });
    chart.setOption({
      animation: false,
      grid: { left: 40, right: 12, top: 30, bottom: 28 },
      tooltip: { trigger: "axis", valueFormatter: function (v) { return v == null ? "—" : v + (unit || ""); } },
      legend: { data: ["本年", "上年"], top: 0 },
      xAxis: { type: "category", data: months, axisLabel: { interval: phone() ? 1 : 0 } },
      yAxis: { type: "value", minInterval: unit === "%" ? 0 : 1, axisLabel: { formatter: unit === "%" ? "{value}%" : "{value}" } },
      series: [
        { name: "本年", type: "line", data: thisYear, color: BLUE, connectNulls: false },
        { name: "上年", type: "line", data: lastYear, color: GREY, lineStyle: { type: "dashed" } },
      ],
    });
    return chart;
  }

  function bars(el, rows, withLastYear) {
    var chart = echarts.init(el, null, { renderer: "svg" });
    var names = rows.map(function (r) { return r.name; });
    var series = [{ name: "本期", type: "bar", data: rows.map(function (r) { return r.value; }), color: BLUE }];
    if (withLastYear) series.push({ name: "去年同期", type: "bar", data: rows.map(function (r) { return r.lastYear; }), color: GREY });
    chart.setOption({
      animation: false,
      grid: { left: 8, right: 16, top: withLastYear ? 28 : 8, bottom: 8, containLabel: true },
      tooltip: { trigger: "axis" },
      legend: withLastYear ? { top: 0 } : { show: false },
      xAxis: { type: "value", minInterval: 1 },
      yAxis: { type: "category", data: names, inverse: true, axisLabel: { width: phone() ? 72 : 120, overflow: "truncate" } },
      series: series,
    });
    chart.on("click", function (p) {
      var row = rows[p.dataIndex];
      if (row && row.url && p.seriesName === "本期") window.location.href = row.url;
    });
    return chart;
  }

  document.querySelectorAll("[data-chart]").forEach(function (el) {
    var kind = el.dataset.chart;
    if (kind === "trend" && data.trend.months) {
      charts.push(lines(el, data.trend.months, data.trend.this_year, data.trend.last_year, ""));
    } else if (kind === "metric") {
      var t = data.metricTrends[parseInt(el.dataset.index, 10)];
      if (t) charts.push(lines(el, data.trend.months, t.thisYear, t.lastYear, t.unit));
    } else if (data[kind] && data[kind].length) {
      el.style.height = Math.max(120, 30 * data[kind].length + 40) + "px";
      charts.push(bars(el, data[kind], kind === "categories"));
    } else {
      el.remove();
    }
  });
  var timer;
  window.addEventListener("resize", function () {
    clearTimeout(timer);
    timer = setTimeout(function () { charts.forEach(function (c) { c.resize(); }); }, 100);
  });

  // The period picker shows only the fields of the chosen kind of period.
  var kind = document.getElementById("f-period");
  function fields() {
    document.querySelectorAll("#dashboard-filters [data-period]").forEach(function (box) {
      var on = box.dataset.period.split(" ").indexOf(kind.value) >= 0;
      box.hidden = !on;
      box.querySelectorAll("input, select").forEach(function (i) { i.disabled = !on; });
    });
  }
  if (kind) { kind.addEventListener("change", fields); fields(); }
})();
