"use strict";
(function () {
  // Filtering the findings by text and severity; the page shows every finding without it.
  var bar = document.querySelector(".filter");
  var findings = Array.prototype.slice.call(document.querySelectorAll("#findings article.finding"));
  if (bar && findings.length) {
    bar.hidden = false;
    var input = document.getElementById("filter");
    var severity = document.getElementById("severity");
    var shown = document.getElementById("shown");
    var texts = null;
    var apply = function () {
      if (!texts) {
        texts = findings.map(function (f) { return f.textContent.toLowerCase(); });
      }
      var words = input.value.toLowerCase().trim();
      var level = severity.value;
      var count = 0;
      findings.forEach(function (f, i) {
        var show = (!level || f.classList.contains(level)) && (!words || texts[i].indexOf(words) >= 0);
        f.hidden = !show;
        if (show) { count += 1; }
      });
      document.querySelectorAll("#findings section.file, #findings section.tenant").forEach(function (s) {
        s.hidden = !s.querySelector("article.finding:not([hidden])");
      });
      shown.textContent = count + " of " + findings.length + " shown";
    };
    var timer = 0;
    input.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(apply, 150); });
    severity.addEventListener("change", apply);
  }
  // Sorting a table by a column: a click on its header; a second click reverses the order.
  document.querySelectorAll("table.sortable").forEach(function (table) {
    table.querySelectorAll("thead th").forEach(function (th, column) {
      th.title = "Sort by this column";
      th.addEventListener("click", function () {
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        var down = th.getAttribute("aria-sort") !== "ascending";
        table.querySelectorAll("thead th").forEach(function (h) { h.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", down ? "ascending" : "descending");
        rows.sort(function (a, b) {
          var x = a.cells[column].textContent.trim(), y = b.cells[column].textContent.trim();
          return (down ? 1 : -1) * x.localeCompare(y, undefined, { numeric: true });
        });
        rows.forEach(function (row) { body.appendChild(row); });
      });
    });
  });
  // A printout shows what is collapsed on screen.
  var closed = [];
  window.addEventListener("beforeprint", function () {
    closed = Array.prototype.slice.call(document.querySelectorAll("details:not([open])"));
    closed.forEach(function (d) { d.open = true; });
  });
  window.addEventListener("afterprint", function () {
    closed.forEach(function (d) { d.open = false; });
  });
})();
