/* Targeting charts: draw the Plotly figures embedded with json_script ([data-chart] → its data id).
   Offline: the vendored plotly bundle, no downloads. Re-runs after HTMX swaps. */
(function () {
  "use strict";
  function init(root) {
    if (!window.Plotly || !root.querySelectorAll) return;
    root.querySelectorAll("[data-chart]").forEach(function (el) {
      var src = document.getElementById(el.dataset.chart);
      if (!src || el.dataset.chartReady) return;
      el.dataset.chartReady = "1";
      var fig = JSON.parse(src.textContent);
      Plotly.newPlot(el, fig.data, fig.layout, { displaylogo: false, responsive: true });
    });
  }
  document.addEventListener("DOMContentLoaded", function () { init(document); });
  document.addEventListener("htmx:load", function (ev) { init(ev.detail.elt); });
})();
