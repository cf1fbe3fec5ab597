// convenantgen: a name for every section of the menu, under MkDocs Material and Zensical.
//
// With navigation.indexes a section's heading is a link to its index page, and the label its
// sub-menu is named by (aria-labelledby) holds only the arrow icon: each open sub-menu was a
// navigation landmark without a name, two of them indistinguishable (axe: landmark-unique).
// Such a sub-menu is named by its own title instead (the .md-nav__title inside it, which
// holds the section's name), so a screen reader announces "G5 Almere, navigatie".
(function () {
  document.querySelectorAll("nav.md-nav[aria-labelledby]").forEach(function (nav) {
    var by = nav.getAttribute("aria-labelledby");
    var label = document.getElementById(by);
    if (label && label.textContent.trim()) return;
    var title = nav.querySelector(":scope > .md-nav__title");
    if (!title || !title.textContent.trim()) return;
    if (!title.id) title.id = by + "_title";
    nav.setAttribute("aria-labelledby", title.id);
  });
})();
