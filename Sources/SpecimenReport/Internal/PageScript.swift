/// The page's only script: interaction on top of the SVG drawn in Swift (which stands alone
/// when scripts are off). It reads the data from `<script type="application/json"
/// id="report-data">`, never from HTML, and builds nodes with `textContent` and
/// `setAttribute`, never `innerHTML`. The page's Content-Security-Policy allows this script
/// by its SHA-256 and no other.
///
/// Its `niceStep`/`linTicks`/`logTicks` and `ema` follow `AxisTicks` and `Smoothing`.
enum PageScript {
    static let source = #"""
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("report-data").textContent);
  var W = 640, H = 240, ML = 64, MR = 12, MT = 10, MB = 30, PW = W - ML - MR, PH = H - MT - MB;
  var state = { axis: data.axis, smooth: 0, hidden: {}, zoom: null, log: {} };
  var charts = [];

  function niceStep(raw) {
    if (!isFinite(raw) || raw <= 0) return 1;
    var m = Math.pow(10, Math.floor(Math.log10(raw))), r = raw / m;
    return (r <= 1 ? 1 : r <= 2 ? 2 : r <= 5 ? 5 : 10) * m;
  }
  function clean(v, step) {
    var d = Math.max(0, -Math.floor(Math.log10(step)));
    return d > 0 && d < 100 ? parseFloat(v.toFixed(Math.min(d, 100))) : v;
  }
  function linTicks(lo, hi, n) {
    var M = Number.MAX_VALUE;
    lo = isFinite(lo) ? lo : (lo < 0 ? -M : M); hi = isFinite(hi) ? hi : (hi < 0 ? -M : M);
    if (lo > hi) { var t = lo; lo = hi; hi = t; }
    if (lo === hi) { var pad = lo === 0 ? 1 : Math.abs(lo) * 0.1; lo -= pad; hi += pad; }
    var half = hi / 2 - lo / 2, raw = half * 2 / n;
    var step = niceStep(isFinite(raw) ? raw : half / n * 2);
    var first = Math.floor(lo / step), last = Math.ceil(hi / step), values = [];
    if (!isFinite(first * step)) first += 1;
    if (!isFinite(last * step)) last -= 1;
    for (var i = first; i <= last && values.length < 50; i++) { var v = i * step; values.push(v === 0 ? 0 : clean(v, step)); }
    return { lower: Math.min(values[0], lo), upper: Math.max(values[values.length - 1], hi), values: values };
  }
  function logTicks(lo, hi) {
    lo = Math.max(lo, 2.2250738585072014e-308); hi = Math.max(hi, 2.2250738585072014e-308);
    var first = Math.floor(Math.log10(lo)), last = Math.ceil(Math.log10(hi)), values = [];
    if (first === last) { first -= 1; last += 1; }
    if (last - first <= 2) {
      for (var e = first; e <= last; e++) [1, 2, 5].forEach(function (f) { var v = f * Math.pow(10, e); if (v <= Math.pow(10, last)) values.push(v); });
    } else {
      var every = Math.max(1, Math.ceil((last - first) / 8));
      first = Math.floor(first / every) * every; last = Math.ceil(last / every) * every;
      for (var k = first; k <= last; k += every) values.push(Math.pow(10, k));
    }
    return { lower: Math.pow(10, first), upper: Math.pow(10, last), values: values };
  }
  function ema(ys, w) {
    if (!(w > 0) || ys.length === 0) return ys;
    if (ys.every(function (v) { return v === ys[0]; })) return ys;
    var last = 0, n = 0;
    return ys.map(function (v) {
      if (!Number.isFinite(v)) return v;
      last = last * w + (1 - w) * v; n += 1;
      return last / (w === 1 ? 1 : 1 - Math.pow(w, n));
    });
  }
  function compact(v, digits) {
    digits = digits || 4;
    if (v === 0) return "0";
    var a = Math.abs(v);
    if (a >= 1e-4 && a < 1e6) return String(parseFloat(v.toPrecision(digits)));
    var s = v.toExponential(digits - 1).split("e"), m = String(parseFloat(s[0]));
    return m + "e" + String(parseInt(s[1], 10));
  }
  function labels(values, format) {
    var out = values.map(function (v) { return format(v, 4); });
    for (var d = 5; d <= 15 && new Set(out).size < out.length; d++) out = values.map(function (v) { return format(v, d); });
    return out;
  }
  function timeText(v) {
    var d = new Date(v * 1000);
    return isNaN(d.getTime()) ? compact(v) : d.toISOString().slice(5, 19).replace("T", " ");
  }
  function xLabel(v, digits) { return state.axis === "time" ? timeText(v) : compact(v, digits); }
  function xsOf(series) {
    var run = data.runs[series.r];
    if (state.axis === "step" || !series.e) return series.s;
    if (state.axis === "elapsed") return series.e;
    return series.e.map(function (e) { return e === null || run.t0 === null ? null : run.t0 + e; });
  }
  function el(name, attrs, parent) {
    var node = document.createElementNS(parent.namespaceURI, name);
    for (var key in attrs) node.setAttribute(key, attrs[key]);
    parent.appendChild(node);
    return node;
  }
  function visible(series) { return !state.hidden[data.runs[series.r].id]; }

  // Lays out a chart (axis ranges for hover and zoom) and, when paint is not false, redraws
  // its axes and lines. On load without a linked view the SVG drawn in Swift already shows
  // this layout, so only the ranges are computed.
  function draw(chart, paint) {
    var metric = chart.metric, xmin = Infinity, xmax = -Infinity, ymin = Infinity, ymax = -Infinity;
    var logY = !!state.log[chart.index];
    var shown = metric.series.filter(visible);
    shown.forEach(function (s) {
      var xs = xsOf(s), ys = state.smooth > 0 ? ema(s.y, state.smooth) : s.y;
      for (var i = 0; i < xs.length; i++) {
        var x = xs[i], y = ys[i];
        if (!Number.isFinite(x)) continue;
        if (x < xmin) xmin = x; if (x > xmax) xmax = x;
        if (state.zoom && (x < state.zoom[0] || x > state.zoom[1])) continue;
        if (!Number.isFinite(y) || (logY && y <= 0)) continue;
        if (y < ymin) ymin = y; if (y > ymax) ymax = y;
      }
    });
    if (state.zoom) { xmin = state.zoom[0]; xmax = state.zoom[1]; }
    if (!isFinite(xmin)) { xmin = 0; xmax = 1; }
    if (!isFinite(ymin)) { ymin = logY ? 1 : 0; ymax = logY ? 10 : 1; }
    var xt = linTicks(xmin, xmax, 6);
    if (state.zoom) { xt.lower = xmin; xt.upper = xmax; xt.values = xt.values.filter(function (v) { return v >= xmin && v <= xmax; }); }
    var yt = logY ? logTicks(ymin, ymax) : linTicks(ymin, ymax, 5);
    var fx = function (x) { return ML + (x / 2 - xt.lower / 2) / (xt.upper / 2 - xt.lower / 2) * PW; };
    var ly = function (y) { return logY ? Math.log10(y) : y; };
    var y0 = ly(yt.lower), y1 = ly(yt.upper);
    var fy = function (y) { return MT + PH - (ly(y) / 2 - y0 / 2) / (y1 / 2 - y0 / 2) * PH; };
    chart.fx = fx; chart.xt = xt;
    if (paint === false) return;
    var axes = chart.svg.querySelector("g.axes");
    while (axes.firstChild) axes.removeChild(axes.firstChild);
    el("rect", { x: ML, y: MT, width: PW, height: PH, "class": "frame" }, axes);
    var xl = labels(xt.values, xLabel), yl = labels(yt.values, compact);
    xt.values.forEach(function (v, i) {
      var x = fx(v); if (x < ML - 0.5 || x > ML + PW + 0.5) return;
      el("line", { x1: x, x2: x, y1: MT, y2: MT + PH, "class": "grid" }, axes);
      el("text", { x: x, y: H - 10, "class": "tick x" }, axes).textContent = xl[i];
    });
    yt.values.forEach(function (v, i) {
      var y = fy(v); if (y < MT - 0.5 || y > MT + PH + 0.5) return;
      el("line", { x1: ML, x2: ML + PW, y1: y, y2: y, "class": "grid" }, axes);
      el("text", { x: ML - 6, y: y + 4, "class": "tick y" }, axes).textContent = yl[i];
    });
    var rawGroup = chart.svg.querySelector("g.raw");
    while (rawGroup.firstChild) rawGroup.removeChild(rawGroup.firstChild);
    metric.series.forEach(function (s, k) {
      var path = chart.paths[k];
      if (!visible(s)) { path.setAttribute("d", ""); return; }
      var xs = xsOf(s);
      var line = function (ys) {
        var d = "", pen = "M";
        for (var i = 0; i < xs.length; i++) {
          var y = ys[i];
          if (!Number.isFinite(y) || (logY && y <= 0) || !Number.isFinite(xs[i])) { pen = "M"; continue; }
          d += pen + fx(xs[i]).toFixed(1) + " " + fy(y).toFixed(1); pen = "L";
        }
        return xs.length === 1 && d ? d + "h0.1" : d;
      };
      if (state.smooth > 0) {
        el("path", { d: line(s.y), "class": "rawline", stroke: path.getAttribute("stroke") }, rawGroup);
        path.setAttribute("d", line(ema(s.y, state.smooth)));
      } else {
        path.setAttribute("d", line(s.y));
      }
    });
    var note = chart.section.querySelector(".zoom-note");
    if (note) note.textContent = state.zoom ? "zoomed: double-click to reset" : "";
  }
  function drawAll(paint) { charts.forEach(function (chart) { draw(chart, paint); }); }

  function highlight(id) {
    document.body.classList.toggle("hl-on", !!id);
    document.querySelectorAll(".hl").forEach(function (n) { n.classList.remove("hl"); });
    if (id) document.querySelectorAll('[data-run="' + CSS.escape(id) + '"], [data-legend-run="' + CSS.escape(id) + '"]').forEach(function (n) { n.classList.add("hl"); });
  }

  var tip = document.createElement("div");
  tip.className = "tip"; tip.hidden = true; document.body.appendChild(tip);
  function showTip(chart, event) {
    var rect = chart.svg.getBoundingClientRect(), px = (event.clientX - rect.left) * W / rect.width;
    if (px < ML || px > ML + PW) { tip.hidden = true; chart.cursor.setAttribute("visibility", "hidden"); return; }
    var xt = chart.xt, xv = xt.lower + (px - ML) / PW * (xt.upper - xt.lower);
    var rows = [];
    chart.metric.series.forEach(function (s) {
      if (!visible(s)) return;
      var xs = xsOf(s), ys = state.smooth > 0 ? ema(s.y, state.smooth) : s.y, best = -1, dist = Infinity;
      for (var i = 0; i < xs.length; i++) { if (!Number.isFinite(xs[i])) continue; var d = Math.abs(xs[i] - xv); if (d < dist) { dist = d; best = i; } }
      if (best < 0) return;
      rows.push({ run: data.runs[s.r], x: xs[best], y: ys[best], raw: s.y[best], sampled: s.n > s.y.length, n: s.n, drawn: s.y.length });
    });
    while (tip.firstChild) tip.removeChild(tip.firstChild);
    var head = document.createElement("div");
    head.className = "tip-head";
    head.textContent = chart.metric.name + " at " + state.axis + " " + xLabel(xv);
    tip.appendChild(head);
    rows.sort(function (a, b) { return b.y - a.y; });
    rows.slice(0, 24).forEach(function (row) {
      var line = document.createElement("div"), swatch = document.createElement("span");
      swatch.className = "swatch"; swatch.style.background = row.run.color;
      line.appendChild(swatch);
      var text = row.run.id + "  " + String(row.y) + (state.smooth > 0 ? " (raw " + String(row.raw) + ")" : "") +
        "  @" + xLabel(row.x);
      if (row.sampled) text += "  [downsampled: " + row.drawn + " of " + row.n + " points drawn]";
      line.appendChild(document.createTextNode(text));
      tip.appendChild(line);
    });
    if (rows.length > 24) { var more = document.createElement("div"); more.textContent = "… " + (rows.length - 24) + " more runs"; tip.appendChild(more); }
    tip.hidden = false;
    tip.style.left = Math.min(event.pageX + 14, window.scrollX + window.innerWidth - 360) + "px";
    tip.style.top = (event.pageY + 14) + "px";
    var cx = ML + (xv - xt.lower) / (xt.upper - xt.lower) * PW;
    chart.cursor.setAttribute("x1", cx); chart.cursor.setAttribute("x2", cx); chart.cursor.setAttribute("visibility", "visible");
  }

  document.querySelectorAll("section.chart").forEach(function (section) {
    var index = parseInt(section.getAttribute("data-chart"), 10), metric = data.metrics[index];
    var svg = section.querySelector("svg[data-metric]");
    var chart = { index: index, metric: metric, section: section, svg: svg, paths: [] };
    var lines = svg.querySelector("g.lines");
    metric.series.forEach(function (s, k) { chart.paths[k] = lines.children[k]; });
    chart.cursor = el("line", { x1: 0, x2: 0, y1: MT, y2: MT + PH, "class": "cursor", visibility: "hidden" }, svg);
    var band = el("rect", { x: 0, y: MT, width: 0, height: PH, "class": "band", visibility: "hidden" }, svg);
    var dragFrom = null;
    var toX = function (event) { var r = svg.getBoundingClientRect(); return Math.min(ML + PW, Math.max(ML, (event.clientX - r.left) * W / r.width)); };
    svg.addEventListener("mousedown", function (event) { dragFrom = toX(event); event.preventDefault(); });
    svg.addEventListener("mousemove", function (event) {
      showTip(chart, event);
      if (dragFrom !== null) {
        var x = toX(event);
        band.setAttribute("x", Math.min(x, dragFrom)); band.setAttribute("width", Math.abs(x - dragFrom)); band.setAttribute("visibility", "visible");
      }
    });
    svg.addEventListener("mouseleave", function () { tip.hidden = true; chart.cursor.setAttribute("visibility", "hidden"); highlight(null); });
    window.addEventListener("mouseup", function (event) {
      if (dragFrom === null) return;
      var x = toX(event), a = Math.min(x, dragFrom), b = Math.max(x, dragFrom);
      dragFrom = null; band.setAttribute("visibility", "hidden");
      if (b - a < 5) return;
      var xt = chart.xt, value = function (px) { return xt.lower + (px - ML) / PW * (xt.upper - xt.lower); };
      state.zoom = [value(a), value(b)]; drawAll();
    });
    svg.addEventListener("dblclick", function () { state.zoom = null; drawAll(); });
    lines.addEventListener("mouseover", function (event) { var id = event.target.getAttribute("data-run"); if (id) highlight(id); });
    lines.addEventListener("mouseout", function () { highlight(null); });
    var log = section.querySelector("input.logy");
    if (log) log.addEventListener("change", function () { state.log[index] = log.checked; draw(chart); });
    charts.push(chart);
  });

  document.querySelectorAll("[data-legend-run]").forEach(function (button) {
    var id = button.getAttribute("data-legend-run");
    button.addEventListener("click", function () {
      state.hidden[id] = !state.hidden[id];
      button.setAttribute("aria-pressed", state.hidden[id] ? "false" : "true");
      drawAll();
    });
    button.addEventListener("mouseenter", function () { highlight(id); });
    button.addEventListener("mouseleave", function () { highlight(null); });
  });
  var axis = document.getElementById("x-axis");
  if (axis) axis.addEventListener("change", function () { state.axis = axis.value; state.zoom = null; drawAll(); });
  var smooth = document.getElementById("smoothing"), smoothText = document.getElementById("smoothing-value");
  if (smooth) smooth.addEventListener("input", function () { state.smooth = parseFloat(smooth.value) || 0; smoothText.textContent = smooth.value; drawAll(); });
  document.querySelectorAll(".js-only").forEach(function (n) { n.hidden = false; });

  var table = document.querySelector('table[data-role="params"]');
  if (table) {
    var body = table.tBodies[0], direction = {};
    table.querySelectorAll("th button[data-col]").forEach(function (button) {
      button.addEventListener("click", function () {
        var col = parseInt(button.getAttribute("data-col"), 10), dir = direction[col] = -(direction[col] || -1);
        var rows = Array.prototype.slice.call(body.rows);
        var key = function (row) { var cell = row.cells[col]; return cell ? (cell.getAttribute("data-v") !== null ? cell.getAttribute("data-v") : cell.textContent) : ""; };
        rows.sort(function (a, b) {
          var x = key(a), y = key(b), nx = parseFloat(x), ny = parseFloat(y);
          var c = (x !== "" && y !== "" && !isNaN(nx) && !isNaN(ny) && isFinite(x) && isFinite(y)) ? nx - ny : String(x).localeCompare(String(y));
          return c * dir;
        });
        rows.forEach(function (row) { body.appendChild(row); });
      });
    });
    var filter = document.getElementById("params-filter");
    if (filter) filter.addEventListener("input", function () {
      var needle = filter.value.toLowerCase();
      Array.prototype.forEach.call(body.rows, function (row) { row.hidden = needle !== "" && row.textContent.toLowerCase().indexOf(needle) < 0; });
    });
    body.addEventListener("mouseover", function (event) { var row = event.target.closest("tr[data-run]"); if (row) highlight(row.getAttribute("data-run")); });
    body.addEventListener("mouseout", function () { highlight(null); });
  }
  var pc = document.getElementById("pc-metric");
  if (pc) pc.addEventListener("change", function () {
    document.querySelectorAll("svg[data-pc]").forEach(function (svg) {
      if (svg.getAttribute("data-pc") === pc.value) svg.removeAttribute("hidden"); else svg.setAttribute("hidden", "");
    });
  });
  var linked = false;
  // A view can be linked: #x=elapsed&smooth=0.6&log=loss,acc&hide=RUN,RUN&zoom=100,500
  // (names URL-encoded). Unknown keys and bad values are ignored.
  (location.hash || "").replace(/^#/, "").split("&").forEach(function (part) {
    var eq = part.indexOf("="); if (eq < 0) return;
    var key = part.slice(0, eq), value;
    try { value = decodeURIComponent(part.slice(eq + 1)); } catch (e) { return; }
    var list = value.split(",").filter(function (v) { return v !== ""; });
    if (["x", "smooth", "hide", "log", "zoom"].indexOf(key) >= 0) linked = true;
    if (key === "x" && (value === "step" || value === "time" || value === "elapsed")) { state.axis = value; if (axis) axis.value = value; }
    if (key === "smooth") { var w = parseFloat(value); if (w >= 0 && w < 1) { state.smooth = w; if (smooth) { smooth.value = String(w); smoothText.textContent = smooth.value; } } }
    if (key === "hide") list.forEach(function (id) {
      state.hidden[id] = true;
      document.querySelectorAll("[data-legend-run]").forEach(function (b) { if (b.getAttribute("data-legend-run") === id) b.setAttribute("aria-pressed", "false"); });
    });
    if (key === "log") charts.forEach(function (chart) {
      var box = chart.section.querySelector("input.logy");
      if (list.indexOf(chart.metric.name) >= 0 && box && !box.disabled) { box.checked = true; state.log[chart.index] = true; }
    });
    if (key === "zoom" && list.length === 2) { var a = parseFloat(list[0]), b = parseFloat(list[1]); if (isFinite(a) && isFinite(b) && a < b) state.zoom = [a, b]; }
  });
  drawAll(linked);
  document.documentElement.setAttribute("data-ready", "1");
})();
"""#
}
