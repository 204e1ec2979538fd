/* Chart the rows of a "statistic across the years" result (read from the results table). */
(function () {
  "use strict";
  var canvas = document.getElementById("statistic-chart");
  if (!canvas || !window.Chart) { return; }

  function cell(row, column) {
    var td = row.querySelector("td.col-" + column);
    return td ? td.textContent.trim() : "";
  }

  var series = new Map();
  document.querySelectorAll("table.rows-and-columns tbody tr").forEach(function (row) {
    var year = parseInt(cell(row, "year"), 10);
    var value = parseFloat(cell(row, "value"));
    if (isNaN(year) || isNaN(value)) { return; }
    var name = [cell(row, "label") || "value", cell(row, "place"), cell(row, "unit")]
      .filter(Boolean).join(", ");
    var key = cell(row, "series_id") || name;
    if (!series.has(key)) { series.set(key, { label: name, data: [] }); }
    series.get(key).data.push({
      x: year, y: value,
      text: (cell(row, "value_text") || value) + (cell(row, "unit") ? " " + cell(row, "unit") : ""),
      source: [cell(row, "period"), cell(row, "document")].filter(Boolean).join(", ")
    });
  });
  if (!series.size) { return; }

  var datasets = Array.from(series.values()).map(function (s) {
    s.data.sort(function (a, b) { return a.x - b.x; });
    return { label: s.label, data: s.data, tension: 0, pointRadius: 4 };
  });
  new window.Chart(canvas, {
    type: "line",
    data: { datasets: datasets },
    options: {
      maintainAspectRatio: false,
      animation: false,
      parsing: false,
      scales: {
        x: { type: "linear", title: { display: true, text: "year" },
             ticks: { stepSize: 1, callback: function (v) { return String(v); } } },
        y: { title: { display: true, text: "value" } }
      },
      plugins: {
        tooltip: { callbacks: { label: function (ctx) {
          return ctx.raw.text + (ctx.raw.source ? " (" + ctx.raw.source + ")" : "");
        } } }
      }
    }
  });
}());
