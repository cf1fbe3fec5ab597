// convenantgen: the search page (zoeken/), the same under MkDocs Material and Zensical.
//
// Every page's search box (main.html) sends its query here as ?q=. This page searches the
// Pagefind bundle that convenantgen.site.search made from the built site (Dutch stemming, only
// the pages' articles, service pages left out) while the visitor types. In a query,
// a word the site does not have is searched as the nearest word it has (pagefind/words.txt, at
// most two letters apart), and the page says so: typo tolerance.
// The words shown come from the page (data-* of .cg-search, written by templates/site/
// search.md), not from this file. Result text is copied as text; only <mark> is kept.
(function () {
  var box = document.querySelector(".cg-search[data-bundle]");
  var input = document.getElementById("cg-search-input");
  if (!box || !input) return;
  var status = box.querySelector(".cg-search-status");
  var list = box.querySelector(".cg-search-list");
  var bundle = new URL(box.dataset.bundle, location.href).href;
  var engine = null;
  var vocabulary = null;
  var latest = 0;

  function say(key, values) {
    return (box.dataset[key] || "").replace(/\{(\w+)\}/g, function (_, name) {
      return values && name in values ? values[name] : "";
    });
  }

  function pagefind() {
    if (!engine) {
      engine = import(bundle + "pagefind.js").then(function (pf) {
        return pf.options({ excerptLength: 24 }).then(function () {
          return pf;
        });
      });
    }
    return engine;
  }

  function words() {
    if (!vocabulary) {
      vocabulary = fetch(new URL(box.dataset.words, location.href))
        .then(function (r) { return r.ok ? r.text() : ""; })
        .then(function (text) { return text.split("\n").filter(Boolean); })
        .catch(function () { return []; });
    }
    return vocabulary;
  }

  // Optimal string alignment distance, given up past `limit`.
  function distance(a, b, limit) {
    if (Math.abs(a.length - b.length) > limit) return limit + 1;
    var prev2 = null;
    var prev = [];
    for (var j = 0; j <= b.length; j++) prev.push(j);
    for (var i = 1; i <= a.length; i++) {
      var row = [i];
      var best = i;
      for (var k = 1; k <= b.length; k++) {
        var cost = a[i - 1] === b[k - 1] ? 0 : 1;
        var value = Math.min(prev[k] + 1, row[k - 1] + 1, prev[k - 1] + cost);
        if (prev2 && i > 1 && k > 1 && a[i - 1] === b[k - 2] && a[i - 2] === b[k - 1]) {
          value = Math.min(value, prev2[k - 2] + 1);
        }
        row.push(value);
        if (value < best) best = value;
      }
      if (best > limit) return limit + 1;
      prev2 = prev;
      prev = row;
    }
    return prev[b.length];
  }

  function nearest(word, known) {
    var limit = word.length >= 7 ? 2 : 1;
    var found = null;
    var score = limit + 1;
    known.forEach(function (candidate) {
      var d = distance(word, candidate, limit);
      if (d < score || (d === score && found !== null && candidate < found)) {
        score = d;
        found = candidate;
      }
    });
    return score <= limit ? found : null;
  }

  // Pagefind finds a compound by its first part ("onderwijsasistenten" finds "onderwijs"), so
  // "found something" does not tell a typo. A word is known when a word of the site starts
  // with it, or it is such a word with a Dutch ending ("schoolbestuuren": schoolbestuur + en,
  // which the stemmer finds); an unknown word is replaced by the nearest word of the site.
  var ENDINGS = ["s", "e", "n", "en", "er", "'s", "’s"];

  function known(word, list) {
    return list.some(function (candidate) {
      if (candidate.indexOf(word) === 0) return true;
      if (word.indexOf(candidate) !== 0) return false;
      return ENDINGS.indexOf(word.slice(candidate.length)) >= 0;
    });
  }

  function corrected(query, list) {
    var parts = query.toLowerCase().split(/[\s\-\u2010\u2011]+/).filter(Boolean);
    var changed = false;
    var lost = false;
    parts = parts.map(function (part) {
      if (part.length < 4 || !/^\p{L}+$/u.test(part) || known(part, list)) return part;
      var fix = nearest(part, list);
      if (fix) changed = true;
      else lost = true;
      return fix || part;
    });
    // A word far from every word of the site finds nothing (not pages that share a letter).
    if (lost && list.length) return false;
    return changed ? parts.join(" ") : null;
  }

  function excerpt(html) {
    // Pagefind's excerpt is HTML with <mark>; copy its text and marks only.
    var doc = new DOMParser().parseFromString("<p>" + html + "</p>", "text/html");
    var p = document.createElement("p");
    doc.body.firstChild.childNodes.forEach(function (node) {
      if (node.nodeName === "MARK") {
        var mark = document.createElement("mark");
        mark.textContent = node.textContent;
        p.appendChild(mark);
      } else {
        p.appendChild(document.createTextNode(node.textContent));
      }
    });
    return p;
  }

  // A best bet: the dossier whose title holds every word of the query comes first ("Almere"
  // finds the dossier G5 Almere before the organisation SOO Almere Poort).
  function bestBet(items, query) {
    var parts = query.toLowerCase().split(/[\s\-\u2010\u2011]+/).filter(Boolean);
    var at = items.findIndex(function (data) {
      var title = ((data.meta && data.meta.title) || "").toLowerCase();
      var words = title.split(/[^\p{L}\p{N}]+/u);
      return (data.meta && data.meta.kind === "dossier") && parts.every(function (part) {
        return words.some(function (word) { return word.indexOf(part) === 0; });
      });
    });
    if (at > 0) items.unshift(items.splice(at, 1)[0]);
    return items;
  }

  function show(items) {
    list.textContent = "";
    items.forEach(function (data) {
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = data.url;
      a.textContent = (data.meta && data.meta.title) || data.url;
      li.appendChild(a);
      li.appendChild(excerpt(data.excerpt || ""));
      list.appendChild(li);
    });
  }

  async function search(query) {
    var mine = ++latest;
    query = query.trim();
    if (!query) {
      status.textContent = say("idle");
      list.textContent = "";
      return;
    }
    status.textContent = say("busy");
    var pf = await pagefind();
    var both = await Promise.all([pf.search(query), words()]);
    var found = both[0];
    var typed = query;
    var fix = corrected(query, both[1]);
    if (fix === false) {
      found = { results: [] };
    } else if (fix) {
      found = await pf.search(fix);
      query = fix;
    }
    var data = await Promise.all(found.results.slice(0, 20).map(function (r) { return r.data(); }));
    if (mine !== latest) return; // a later query has started
    show(bestBet(data, query));
    var count = found.results.length;
    var text = say(count === 0 ? "none" : count === 1 ? "one" : "many", {
      count: String(count),
      query: count ? query : typed,
    });
    if (count && query !== typed) text = say("fixed", { typed: typed, query: query }) + " " + text;
    status.textContent = text;
    box.setAttribute("data-state", "done");
    box.setAttribute("data-query", typed);
  }

  var timer = null;
  input.addEventListener("input", function () {
    box.removeAttribute("data-state");
    clearTimeout(timer);
    timer = setTimeout(function () {
      var url = new URL(location.href);
      url.searchParams.set("q", input.value);
      history.replaceState(null, "", url);
      search(input.value);
    }, 150);
  });
  input.form.addEventListener("submit", function (event) {
    event.preventDefault();
    clearTimeout(timer);
    search(input.value);
  });
  var initial = new URLSearchParams(location.search).get("q") || "";
  input.value = initial;
  search(initial);
})();
