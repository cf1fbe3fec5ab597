// convenantgen: every table scrolls inside a box of its own that the keyboard can reach.
(function () {
  function boxes() {
    document.querySelectorAll(".md-typeset table").forEach(function (table) {
      var box = table.closest(".md-typeset__scrollwrap");
      if (!box) {
        if (table.parentElement.classList.contains("cg-scroll")) {
          box = table.parentElement;
        } else {
          box = document.createElement("div");
          box.className = "cg-scroll";
          table.parentNode.insertBefore(box, table);
          box.appendChild(table);
        }
      }
      if (box.hasAttribute("tabindex")) return;
      var heading = null;
      for (var el = box.previousElementSibling; el; el = el.previousElementSibling) {
        if (/^H[1-6]$/.test(el.tagName)) { heading = el; break; }
      }
      box.setAttribute("tabindex", "0");
      box.setAttribute("role", "region");
      box.setAttribute("aria-label", "Tabel" + (heading ? ": " + heading.textContent.trim() : ""));
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", boxes);
  } else {
    boxes();
  }
})();

// convenantgen: the register on the home page (.cg-register), sortable by each column and
// filtered by a search box. Without JavaScript it stays a plain table. The words come from the
// page (data-* attributes of .cg-register, written by the template), not from this file.
(function () {
  function key(cell) {
    var time = cell.querySelector("time[datetime]");
    var text = time ? time.getAttribute("datetime") : cell.textContent.trim();
    return text === "—" ? "" : text;
  }
  function compare(a, b) {
    // Empty cells last; numbers as numbers; the rest in Dutch order.
    if (a === "" || b === "") return a === b ? 0 : a === "" ? 1 : -1;
    if (/^\d+$/.test(a) && /^\d+$/.test(b)) return Number(a) - Number(b);
    return a.localeCompare(b, "nl");
  }
  function setUp(box) {
    var table = box.querySelector("table");
    if (!table || !table.tBodies.length || box.classList.contains("cg-js")) return;
    box.classList.add("cg-js");
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    var headers = Array.prototype.slice.call(table.tHead.rows[0].cells);
    rows.forEach(function (row) {
      Array.prototype.forEach.call(row.cells, function (cell, i) {
        cell.setAttribute("data-label", headers[i].textContent.trim());
      });
    });
    var label = document.createElement("label");
    label.className = "cg-register-filter";
    label.textContent = box.getAttribute("data-filter-label") || "";
    var input = document.createElement("input");
    input.type = "search";
    label.appendChild(input);
    var count = document.createElement("p");
    count.className = "cg-register-count";
    count.setAttribute("role", "status");
    box.insertBefore(count, box.firstChild);
    box.insertBefore(label, count);
    function shown(n) {
      count.textContent = (box.getAttribute("data-count-label") || "{n}/{total}")
        .replace("{n}", n).replace("{total}", rows.length);
    }
    input.addEventListener("input", function () {
      var words = input.value.toLocaleLowerCase("nl").split(/\s+/).filter(Boolean);
      var n = 0;
      rows.forEach(function (row) {
        var text = row.textContent.toLocaleLowerCase("nl");
        var hit = words.every(function (w) { return text.indexOf(w) >= 0; });
        row.hidden = !hit;
        if (hit) n++;
      });
      shown(n);
    });
    headers.forEach(function (th, column) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "cg-sort";
      while (th.firstChild) button.appendChild(th.firstChild);
      th.appendChild(button);
      button.addEventListener("click", function () {
        var ascending = th.getAttribute("aria-sort") !== "ascending";
        headers.forEach(function (other) { other.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        rows.sort(function (a, b) {
          var ka = key(a.cells[column]), kb = key(b.cells[column]);
          var order = compare(ka, kb);
          // Descending reverses the values; empty cells stay last.
          if (!ascending && ka !== "" && kb !== "") order = -order;
          // Ties keep the page's order (by dossier), both ways.
          return order || Number(a.dataset.cgIndex) - Number(b.dataset.cgIndex);
        });
        rows.forEach(function (row) { body.appendChild(row); });
      });
    });
    rows.forEach(function (row, i) { row.dataset.cgIndex = String(i); });
    shown(rows.length);
  }
  function all() { document.querySelectorAll(".cg-register").forEach(setUp); }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", all);
  } else {
    all();
  }
  // Material's instant navigation swaps pages without a reload.
  if (window.document$ && window.document$.subscribe) window.document$.subscribe(all);
})();
