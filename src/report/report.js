/* heapsnap report: draws the page from the JSON data embedded in it (heapsnap report).
   Text from snapshots goes into the page only as text nodes and attribute values, never as
   markup, so a hostile type name stays a name. No network: everything is drawn here. */
"use strict";
(function () {
  var SVGNS = "http://www.w3.org/2000/svg";
  var PALETTE = ["#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1",
                 "#ff9da7", "#9c755f", "#bab0ac"];
  var data = JSON.parse(document.getElementById("heapsnap-data").textContent);
  var root = document.getElementById("report");

  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    for (var k in attrs || {}) e.setAttribute(k, attrs[k]);
    if (text !== undefined) e.textContent = text;
    return e;
  }
  function svgEl(tag, attrs, text) {
    var e = document.createElementNS(SVGNS, tag);
    for (var k in attrs || {}) e.setAttribute(k, attrs[k]);
    if (text !== undefined) e.textContent = text;
    return e;
  }
  function add(parent, child) { parent.appendChild(child); return child; }
  /* Charts are drawn at the page's width, one unit a pixel, so their text stays legible. */
  function chartWidth() { return Math.max(300, root.clientWidth); }
  function bytes(n) {
    var units = ["B", "KiB", "MiB", "GiB", "TiB"], a = Math.abs(n), i = 0;
    while (a >= 1024 && i < units.length - 1) { a /= 1024; i++; }
    return (n < 0 ? "-" : "") + (i === 0 ? a : a.toFixed(a < 10 ? 2 : 1)) + " " + units[i];
  }
  function signed(n, f) { return (n > 0 ? "+" : "") + f(n); }
  function count(n) { return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ","); }
  function legend(parent, names) {
    var box = add(parent, el("div", { "class": "legend" }));
    names.forEach(function (name, i) {
      var item = add(box, el("span"));
      add(item, el("i", { style: "background:" + PALETTE[i % PALETTE.length] }));
      item.appendChild(document.createTextNode(name));
    });
  }

  /* A table whose numeric columns sort on a click of their header. */
  function table(parent, columns, rows) {
    var wrap = add(parent, el("div", { "class": "scroll" }));
    var t = add(wrap, el("table"));
    var head = add(add(t, el("thead")), el("tr"));
    var body = add(t, el("tbody"));
    function fill(list) {
      body.textContent = "";
      list.forEach(function (row) {
        var tr = add(body, el("tr"));
        columns.forEach(function (c) {
          var td = add(tr, el("td", {}, c.show ? c.show(row) : row[c.key]));
          if (c.tone) td.className = c.tone(row);
        });
      });
    }
    columns.forEach(function (c) {
      var th = add(head, el("th", { "class": "sortable", scope: "col" }, c.title));
      th.addEventListener("click", function () {
        var desc = th.getAttribute("aria-sort") !== "descending";
        head.querySelectorAll("th").forEach(function (h) { h.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", desc ? "descending" : "ascending");
        var get = c.value || function (r) { return r[c.key]; };
        fill(rows.slice().sort(function (a, b) {
          var x = get(a), y = get(b), o = x < y ? -1 : x > y ? 1 : 0;
          return desc ? -o : o;
        }));
      });
    });
    fill(rows);
    return t;
  }

  function header() {
    add(root, el("h1", {}, "heapsnap report"));
    data.snapshots.forEach(function (s, i) {
      add(root, el("div", { "class": "muted" },
        (data.snapshots.length > 1 ? "#" + (i + 1) + " " : "") + s.path +
        (s.label ? " \u2014 \u201c" + s.label + "\u201d" : "") + " \u2014 pid " + s.pid +
        ", taken " + s.taken_at));
    });
  }

  function totals(s) {
    add(root, el("h2", {}, "Totals" + (data.snapshots.length > 1 ? " (last snapshot)" : "")));
    var cards = add(root, el("div", { "class": "cards" }));
    [["live_bytes", "live bytes", bytes], ["live_blocks", "live blocks", count],
     ["system_bytes", "from the system", bytes], ["free_bytes", "free in bins", bytes],
     ["tcache_bytes", "in tcaches", bytes], ["fastbin_bytes", "in fastbins", bytes],
     ["top_bytes", "top chunks", bytes], ["mmapped_bytes", "mmapped", bytes],
     ["overhead_bytes", "overhead", bytes]].forEach(function (f) {
      var card = add(cards, el("div", { "class": "card" }));
      add(card, el("b", {}, f[2](s.totals[f[0]])));
      add(card, el("span", {}, f[1]));
    });
  }

  /* One stacked bar per arena: live chunks, free chunks, top, overhead. */
  function arenas(s) {
    if (!s.arenas.length) return;
    add(root, el("h2", {}, "Arenas"));
    var parts = [["live", function (t) { return t.live_chunk_bytes; }],
                 ["free", function (t) { return t.free_bytes + t.fastbin_bytes + t.tcache_bytes; }],
                 ["top", function (t) { return t.top_bytes; }],
                 ["overhead", function (t) { return t.overhead_bytes; }]];
    legend(root, parts.map(function (p) { return p[0]; }));
    var W = chartWidth(), LABEL = 16, BAR = 20, GAP = 10, ROW = LABEL + BAR + GAP;
    var svg = add(root, svgEl("svg", { viewBox: "0 0 " + W + " " + s.arenas.length * ROW,
                                       role: "img", "aria-label": "arenas", "class": "chart" }));
    s.arenas.forEach(function (a, i) {
      var y = i * ROW + LABEL, total = 0, x = 0;
      parts.forEach(function (p) { total += p[1](a.totals); });
      add(svg, svgEl("text", { x: 0, y: y - 4 }, "arena " + a.address + ": " + bytes(a.totals.system_bytes) +
                     " from the system, " + a.heaps + (a.heaps === 1 ? " heap" : " heaps")));
      parts.forEach(function (p, j) {
        var v = p[1](a.totals), w = total ? W * v / total : 0;
        var r = add(svg, svgEl("rect", { x: x, y: y, width: Math.max(w, 0), height: BAR,
                                         fill: PALETTE[j], "data-value": v }));
        add(r, svgEl("title", {}, p[0] + ": " + bytes(v)));
        x += w;
      });
    });
  }

  function types(s) {
    add(root, el("h2", {}, "Top types" + (data.snapshots.length > 1 ? " (last snapshot)" : "")));
    var live = s.totals.live_bytes;
    table(root, [
      { title: "type", key: "name" },
      { title: "bytes", key: "bytes", show: function (r) { return bytes(r.bytes); } },
      { title: "share", key: "bytes", show: function (r) { return live ? (100 * r.bytes / live).toFixed(1) + "%" : "-"; } },
      { title: "blocks", key: "blocks", show: function (r) { return count(r.blocks); } },
      { title: "avg", value: function (r) { return r.blocks ? r.bytes / r.blocks : 0; },
        show: function (r) { return bytes(r.blocks ? Math.floor(r.bytes / r.blocks) : 0); } }
    ], s.types);
    chartByType(s);
  }

  /* Horizontal bars of the largest types' bytes. */
  function chartByType(s) {
    var rows = s.types.slice(0, 20);
    if (!rows.length) return;
    add(root, el("h2", {}, "Heap by type"));
    var W = chartWidth(), LABEL = Math.min(330, Math.round(W * 0.4)), BAR = 18, GAP = 6;
    var max = rows[0].bytes || 1, chars = Math.floor(LABEL / 6.5);
    var svg = add(root, svgEl("svg", { viewBox: "0 0 " + W + " " + (rows.length * (BAR + GAP) + GAP),
                                       role: "img", "aria-label": "heap by type", "class": "chart" }));
    rows.forEach(function (r, i) {
      var y = GAP + i * (BAR + GAP), w = (W - LABEL - 70) * r.bytes / max;
      var name = r.name.length > chars ? r.name.slice(0, chars - 1) + "\u2026" : r.name;
      add(svg, svgEl("text", { x: LABEL - 6, y: y + 13, "text-anchor": "end" }, name));
      var bar = add(svg, svgEl("rect", { x: LABEL, y: y, width: Math.max(w, 1), height: BAR,
                                         fill: PALETTE[i % PALETTE.length], "data-value": r.bytes }));
      add(bar, svgEl("title", {}, r.name + ": " + bytes(r.bytes)));
      add(svg, svgEl("text", { x: LABEL + Math.max(w, 1) + 6, y: y + 13 }, bytes(r.bytes)));
    });
  }

  function diff() {
    var d = data.diff;
    if (!d) return;
    add(root, el("h2", {}, "Change from #1 to #" + data.snapshots.length + ": " +
                 signed(d.total_bytes, bytes) + ", " + signed(d.total_blocks, count) + " blocks"));
    table(root, [
      { title: "type", key: "name" },
      { title: "bytes", key: "new_bytes", show: function (r) { return bytes(r.new_bytes); } },
      { title: "+/-", value: function (r) { return r.new_bytes - r.old_bytes; },
        show: function (r) { return signed(r.new_bytes - r.old_bytes, bytes); },
        tone: function (r) { return r.new_bytes > r.old_bytes ? "up" : r.new_bytes < r.old_bytes ? "down" : ""; } },
      { title: "blocks", key: "new_blocks", show: function (r) { return count(r.new_blocks); } },
      { title: "+/-", value: function (r) { return r.new_blocks - r.old_blocks; },
        show: function (r) { return signed(r.new_blocks - r.old_blocks, count); } }
    ], d.rows);
  }

  /* Bytes of the most growing types in each snapshot, one line each. */
  function growth() {
    var g = data.growth;
    if (!g || !g.series.length) return;
    add(root, el("h2", {}, "Growing types over time"));
    legend(root, g.series.map(function (s) { return s.name; }));
    var W = chartWidth(), H = Math.min(360, Math.round(W * 0.6)), L = 70, R = 12, T = 10, B = 30, n = data.snapshots.length, max = 1;
    g.series.forEach(function (s) { s.bytes.forEach(function (v) { max = Math.max(max, v); }); });
    var svg = add(root, svgEl("svg", { viewBox: "0 0 " + W + " " + H, role: "img",
                                       "aria-label": "growing types over time", "class": "chart" }));
    function X(i) { return L + (n > 1 ? (W - L - R) * i / (n - 1) : 0); }
    function Y(v) { return T + (H - T - B) * (1 - v / max); }
    for (var k = 0; k <= 4; k++) {
      var v = max * k / 4;
      add(svg, svgEl("line", { x1: L, x2: W - R, y1: Y(v), y2: Y(v), stroke: "#d8dde6" }));
      add(svg, svgEl("text", { x: L - 6, y: Y(v) + 4, "text-anchor": "end" }, bytes(Math.round(v))));
    }
    data.snapshots.forEach(function (s, i) {
      add(svg, svgEl("text", { x: X(i), y: H - 10, "text-anchor": "middle" }, "#" + (i + 1)));
    });
    g.series.forEach(function (s, j) {
      var colour = PALETTE[j % PALETTE.length];
      var line = add(svg, svgEl("polyline", { fill: "none", stroke: colour, "stroke-width": 2.5,
        points: s.bytes.map(function (v, i) { return X(i) + "," + Y(v); }).join(" "),
        "data-value": s.bytes.join(" ") }));
      add(line, svgEl("title", {}, s.name));
      s.bytes.forEach(function (v, i) {
        add(svg, svgEl("circle", { cx: X(i), cy: Y(v), r: 3.5, fill: colour, "data-value": v }));
      });
    });
  }

  var last = data.snapshots[data.snapshots.length - 1];
  header();
  totals(last);
  arenas(last);
  types(last);
  diff();
  growth();
  root.setAttribute("data-drawn", "yes");
})();
