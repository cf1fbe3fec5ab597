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
