// convenantgen: Dutch queries for Material's search.
//
// Material's search worker parses the raw query itself. An inner hyphen splits "zij-instromers"
// into "zij" and "instromers", and every part that no hit contains is shown as missing
// ("Ontbreekt: zij") unless lunr's *English* stop-word filter drops it. The index, built with
// lunr.nl, never holds Dutch stop words such as "zij", "de" or "van", so they were shown as
// missing on every hit. Before a query reaches the worker, inner hyphens become spaces (as the
// index's separator splits them) and Dutch stop words are left out: the list of lunr.nl, which
// built the index (tests/test_site_browser.py checks that the two lists agree). A query of
// stop words only is passed on as typed. Zensical's own search sends no text query this way
// and is left alone.
(function () {
  var STOP_WORDS = (
    "aan al alles als altijd andere ben bij daar dan dat de der deze die dit doch doen door " +
    "dus een eens en er ge geen geweest haar had heb hebben heeft hem het hier hij hoe hun " +
    "iemand iets ik in is ja je kan kon kunnen maar me meer men met mij mijn moet na naar " +
    "niet niets nog nu of om omdat onder ons ook op over reeds te tegen toch toen tot u uit " +
    "uw van veel voor want waren was wat werd wezen wie wil worden wordt zal ze zelf zich zij " +
    "zijn zo zonder zou"
  ).split(" ");
  var stop = {};
  STOP_WORDS.forEach(function (word) { stop[word] = true; });
  var QUERY = 2; // Material's SearchMessageType.QUERY

  function normalise(query) {
    var words = query
      .replace(/([\p{L}\p{N}])[-\u2010\u2011](?=[\p{L}\p{N}])/gu, "$1 ")
      .split(/\s+/)
      .filter(Boolean);
    var kept = [];
    var found = false;
    words.forEach(function (word) {
      var core = word.replace(/^"+|"+$/g, "");
      if (stop[core.toLowerCase()]) {
        // Keep the quotation marks, so a quoted phrase stays balanced.
        var quotes = word.replace(core, "");
        if (quotes) kept.push(quotes);
      } else {
        kept.push(word);
        if (core) found = true;
      }
    });
    return found ? kept.join(" ") : query;
  }

  var post = Worker.prototype.postMessage;
  Worker.prototype.postMessage = function (message) {
    if (message && message.type === QUERY && typeof message.data === "string") {
      var args = Array.prototype.slice.call(arguments);
      args[0] = { type: QUERY, data: normalise(message.data) };
      return post.apply(this, args);
    }
    return post.apply(this, arguments);
  };
  window.convenantgenSearchQuery = normalise;
})();
