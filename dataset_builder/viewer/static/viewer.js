/* news-edc viewer: filters and claim highlighting on document pages, search on the
   index. No library, no network: the search data is a local script (search-index.js)
   because browsers refuse fetch() of local files. Text is only ever set through
   textContent, never innerHTML, so document text cannot inject markup. */
(function () {
  "use strict";
  var body = document.body;

  // Layer and origin filters: each checkbox owns one class on <body>; the CSS does the rest.
  Array.prototype.forEach.call(document.querySelectorAll("input[data-hide]"), function (box) {
    var apply = function () { body.classList.toggle(box.getAttribute("data-hide"), !box.checked); };
    box.addEventListener("change", apply);
    apply(); // a reloaded page keeps the browser's remembered checkbox state
  });

  // Hovering any part of a claim (in the text or in the list) outlines all its parts.
  var current = null;
  function mark(i, on) {
    var sel = '[data-layer="claims"][data-i="' + i + '"], .claim-item[data-i="' + i + '"]';
    Array.prototype.forEach.call(document.querySelectorAll(sel), function (el) { el.classList.toggle("hl", on); });
  }
  document.addEventListener("mouseover", function (event) {
    var el = event.target.closest ? event.target.closest('[data-layer="claims"], .claim-item') : null;
    var i = el ? el.getAttribute("data-i") : null;
    if (i === current) { return; }
    if (current !== null) { mark(current, false); }
    current = i;
    if (i !== null) { mark(i, true); }
  });

  // Client-side search over every document (index pages only).
  var input = document.getElementById("search");
  if (!input) { return; }
  var results = document.getElementById("results");
  var listing = document.getElementById("listing");
  var status = document.getElementById("search-status");
  var LIMIT = 200;
  var haystacks = null;
  var loading = false;

  // Entry: [number, href, title, id, publisher, published, split, entities, timexes, claims, origin, words]
  function prepare() {
    haystacks = window.NEWS_EDC_INDEX.map(function (e) {
      return [e[2], e[3], e[4], e[5], e[6], e[10], e[11]].join(" ").toLowerCase();
    });
  }
  function load(then) {
    if (haystacks) { then(); return; }
    if (loading) { return; }
    loading = true;
    status.textContent = "loading the search index…";
    var script = document.createElement("script");
    script.src = input.getAttribute("data-index");
    script.onload = function () { prepare(); then(); };
    script.onerror = function () { status.textContent = "the search index could not be loaded"; };
    document.head.appendChild(script);
  }
  function cell(row, text, cls) {
    var td = document.createElement("td");
    if (cls) { td.className = cls; }
    td.textContent = text;
    row.appendChild(td);
    return td;
  }
  function run() {
    var query = input.value.trim().toLowerCase();
    var tbody = results.tBodies[0];
    tbody.textContent = "";
    if (!query) { results.hidden = true; listing.hidden = false; status.textContent = ""; return; }
    var terms = query.split(/\s+/);
    var found = [];
    for (var i = 0; i < haystacks.length; i++) {
      var hay = haystacks[i];
      if (terms.every(function (t) { return hay.indexOf(t) !== -1; })) { found.push(i); }
    }
    found.slice(0, LIMIT).forEach(function (i) {
      var e = window.NEWS_EDC_INDEX[i];
      var row = document.createElement("tr");
      cell(row, String(e[0]), "n");
      var td = cell(row, "");
      var a = document.createElement("a");
      a.href = e[1];
      a.textContent = e[2];
      td.appendChild(a);
      td.appendChild(document.createElement("br"));
      var code = document.createElement("code");
      code.textContent = e[3];
      td.appendChild(code);
      cell(row, e[4]); cell(row, e[5], "d"); cell(row, e[6]);
      cell(row, String(e[7]), "n"); cell(row, String(e[8]), "n"); cell(row, String(e[9]), "n");
      cell(row, e[10]);
      tbody.appendChild(row);
    });
    results.hidden = false;
    listing.hidden = true;
    status.textContent = found.length + " match" + (found.length === 1 ? "" : "es") +
      (found.length > LIMIT ? " (first " + LIMIT + " shown)" : "");
  }
  input.addEventListener("input", function () { load(run); });
  if (input.value) { load(run); }
})();
