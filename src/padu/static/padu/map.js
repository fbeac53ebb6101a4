/* Padu maps: draw the Plotly figures embedded with json_script (see wilayah/_map.html);
   clicking a region opens the page in its customdata[2]. Offline: no tiles, no downloads. */
(function () {
  "use strict";
  function init(root) {
    if (!window.Plotly || !root.querySelectorAll) return;
    // geo.visible is false, so plotly never draws a base map; registering an empty topology
    // keeps it from fetching one (its default is the plotly CDN).
    var assets = (window.PlotlyGeoAssets = window.PlotlyGeoAssets || {});
    var topo = (assets.topojson = assets.topojson || {});
    ["world_110m", "world_50m"].forEach(function (name) {
      topo[name] = topo[name] || { type: "Topology", objects: {}, arcs: [] };
    });
    root.querySelectorAll("[data-map-figure]").forEach(function (el) {
      var src = document.getElementById(el.dataset.mapFigure);
      if (!src || el.dataset.mapReady) return;
      el.dataset.mapReady = "1";
      var fig = JSON.parse(src.textContent);
      Plotly.newPlot(el, fig.data, fig.layout, fig.config).then(function () {
        el.on("plotly_click", function (ev) {
          var p = ev.points && ev.points[0];
          var url = p && p.customdata && p.customdata[2];
          if (url) window.location.href = url;
        });
      });
    });
  }
  document.addEventListener("DOMContentLoaded", function () { init(document); });
  document.addEventListener("htmx:load", function (ev) { init(ev.detail.elt); });
})();
