// The day's plan (logistics/plan_day.html): its map, the confirmations, the planning spinner.
// The map draws each route in its colour, its depot and numbered stops, from the JSON the
// page carries (#plan-map-data, json_script: no inline script under the CSP). With a tile
// server set (#plan-map-settings) the stops lie on its tiles; without one, on a plain
// coordinate canvas: a grid of latitude and longitude every 0.05° and a scale.
(function () {
  "use strict";
  let map = null;
  let layer = null;

  function json(id) {
    const node = document.getElementById(id);
    return node ? JSON.parse(node.textContent) : null;
  }

  function numbered(text, colour, extra) {
    return L.divIcon({
      className: "plan-stop" + (extra ? " " + extra : ""),
      html: '<span style="background:' + colour + '">' + text + "</span>",
      iconSize: [26, 26],
      iconAnchor: [13, 13],
    });
  }

  function grid(bounds) {
    const lines = L.layerGroup();
    const step = 0.05;
    const south = Math.floor(bounds.getSouth() / step - 2) * step;
    const north = Math.ceil(bounds.getNorth() / step + 2) * step;
    const west = Math.floor(bounds.getWest() / step - 2) * step;
    const east = Math.ceil(bounds.getEast() / step + 2) * step;
    const style = { color: "#c8ccd2", weight: 1, interactive: false };
    for (let lat = south; lat <= north + 1e-9; lat += step) {
      L.polyline([[lat, west], [lat, east]], style).addTo(lines);
    }
    for (let lon = west; lon <= east + 1e-9; lon += step) {
      L.polyline([[south, lon], [north, lon]], style).addTo(lines);
    }
    return lines;
  }

  function draw() {
    const box = document.getElementById("plan-map");
    const data = json("plan-map-data");
    if (!box || !data || typeof L === "undefined") return;
    const settings = json("plan-map-settings") || {};
    if (map === null) {
      map = L.map(box, { zoomSnap: 0.25 });
      if (settings.tiles) {
        L.tileLayer(settings.tiles, { attribution: settings.attribution, maxZoom: 19 }).addTo(map);
      } else {
        box.classList.add("plain");
      }
      L.control.scale({ imperial: false }).addTo(map);
    }
    if (layer !== null) layer.remove();
    layer = L.layerGroup().addTo(map);
    const points = [];
    data.routes.forEach(function (route) {
      const path = [route.depot].concat(route.stops.map(function (stop) { return stop.at; }));
      path.push(route.depot);
      L.polyline(path, { color: route.colour, weight: 3, opacity: 0.8 }).addTo(layer);
      L.marker(route.depot, { icon: numbered("■", route.colour, "depot"), title: route.depot_name })
        .addTo(layer);
      route.stops.forEach(function (stop) {
        L.marker(stop.at, { icon: numbered(stop.n, route.colour), title: stop.order })
          .bindPopup(route.truck + " · " + stop.n + ". " + stop.order + " " + stop.arrives)
          .addTo(layer);
        points.push(stop.at);
      });
      points.push(route.depot);
    });
    data.unplanned.forEach(function (stop) {
      L.marker(stop.at, { icon: numbered("?", "#6c757d", "unplanned"), title: stop.order })
        .addTo(layer);
      points.push(stop.at);
    });
    if (points.length === 0) {
      map.setView([23.02, 113.75], 9);
    } else {
      map.fitBounds(L.latLngBounds(points).pad(0.1));
    }
    if (!settings.tiles) grid(map.getBounds()).addTo(layer);
  }

  // Publishing and reopening ask first; planning shows the seconds it may still take.
  document.addEventListener("submit", function (event) {
    const form = event.target;
    if (form.dataset.planConfirm && !window.confirm(form.dataset.planConfirm)) {
      event.preventDefault();
      return;
    }
    if (form.classList.contains("plan-make")) planning(form);
  });

  function planning(form) {
    const note = form.querySelector(".planning");
    const left = form.querySelector("[data-seconds-left]");
    form.querySelector("button").setAttribute("aria-busy", "true");
    if (!note || !left) return;
    note.hidden = false;
    let seconds = Number(form.dataset.planSeconds) || 0;
    const timer = window.setInterval(function () {
      seconds = Math.max(0, seconds - 1);
      left.textContent = String(seconds);
      if (seconds === 0) window.clearInterval(timer);
    }, 1000);
  }

  document.addEventListener("DOMContentLoaded", draw);
  document.addEventListener("htmx:afterSettle", function (event) {
    if (event.target && event.target.id === "plan-routes") draw();
  });
})();
