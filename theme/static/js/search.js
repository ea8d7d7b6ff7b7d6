/*
 * Full-text search over the static index written by plugins/epaper_search, and the
 * highlighting of ?hl= terms on article pages.  Plain JavaScript, no framework, no
 * inline script (the site's CSP is script-src 'self'); data is only ever put into the
 * page with textContent and DOM nodes, never innerHTML.
 *
 * The algorithm mirrors plugins/epaper_search/query.py (the reference the tests check):
 * NFKC + lower case; terms split on spaces and quotes; each term looked up by the CJK
 * bigrams covering it (or its Latin/digit words); AND within and across terms; rank newest
 * day first, then by headline, whole word, frequency; check the exact substring in each
 * candidate's text before showing it.  Segments are read newest first and only until a
 * page is full (older years on "更多结果").  Index files (.bin) are zlib streams, inflated
 * with the browser's DecompressionStream; a candidate's headline and byline come from its
 * segment's metadata block, its body and caption from its article page (fetched and
 * parsed with DOMParser: the `.story-body`), which also gives the snippet.
 */
(function () {
  "use strict";

  var CJK = "\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff";
  var RUN_RE = new RegExp("[" + CJK + "]+|[a-z0-9]+", "g");
  var CJK_START = new RegExp("^[" + CJK + "]");
  var TERM_SPLIT_RE = /[\s"'\u201c\u201d\u2018\u2019\u300c\u300d\u300e\u300f\u300a\u300b()\uff08\uff09\u3010\u3011[\]]+/;
  var PAGE_SIZE = 10;
  var BATCH = 10;

  // ---- text: the same cuts as plugins/epaper_search/text.py ---------------------------
  function normalize(s) {
    return String(s).normalize("NFKC").toLowerCase();
  }

  function queryTerms(q) {
    return normalize(q).split(TERM_SPLIT_RE).filter(function (t) {
      RUN_RE.lastIndex = 0;
      return t && RUN_RE.test(t);
    });
  }

  function termTokens(term) {
    var out = [];
    var m;
    RUN_RE.lastIndex = 0;
    while ((m = RUN_RE.exec(term)) !== null) {
      var run = m[0];
      if (CJK_START.test(run)) {
        if (run.length < 2) continue;
        var picks = [];
        for (var i = 0; i < run.length - 1; i += 2) picks.push(i);
        if (run.length % 2 === 1) picks.push(run.length - 2);
        picks.forEach(function (p) { out.push(run.slice(p, p + 2)); });
      } else {
        out.push(run);
      }
    }
    return out.filter(function (t, i) { return out.indexOf(t) === i; });
  }

  // As text.py lookup_tokens(): at most the first, middle and last covering bigram.
  var MAX_LOOKUP = 3;
  function lookupTokens(term) {
    var toks = termTokens(term);
    if (toks.length <= MAX_LOOKUP) return toks;
    return [toks[0], toks[Math.floor(toks.length / 2)], toks[toks.length - 1]];
  }

  // As text.py junction_tokens(): the first and last bigram not looked up.
  function junctionTokens(term) {
    var picked = new Set(lookupTokens(term));
    var skipped = [];
    var m;
    RUN_RE.lastIndex = 0;
    while ((m = RUN_RE.exec(term)) !== null) {
      var run = m[0];
      if (!CJK_START.test(run)) continue;
      for (var i = 0; i < run.length - 1; i++) {
        var b = run.slice(i, i + 2);
        if (!picked.has(b)) skipped.push(b);
      }
    }
    if (!skipped.length) return [];
    var out = [skipped[0]];
    if (skipped[skipped.length - 1] !== skipped[0]) out.push(skipped[skipped.length - 1]);
    return out;
  }

  // As text.py whole_word_term(): only such terms can have w: postings.
  var WHOLE_WORD_RE = new RegExp("^[" + CJK + "]{3,}$");

  // As format.py bucket_of(): w:<word> lives with the bigram of its first two characters.
  function bucketOf(term, n) {
    if (term.slice(0, 2) === "w:") term = term.slice(2, 4);
    return fnv1a(term) & (n - 1);
  }

  var encoder = new TextEncoder();
  function fnv1a(term) {
    var bytes = encoder.encode(term);
    var h = 0x811c9dc5;
    for (var i = 0; i < bytes.length; i++) {
      h ^= bytes[i];
      h = Math.imul(h, 0x01000193) >>> 0;
    }
    return h >>> 0;
  }

  function varintReader(bytes, start) {
    var r = { i: start || 0 };
    r.next = function () {
      var value = 0;
      var shift = 0;
      var b;
      do {
        b = bytes[r.i++];
        value += (b & 0x7f) * Math.pow(2, shift);
        shift += 7;
      } while (b >= 0x80);
      return value;
    };
    return r;
  }

  // varint(n), n varint gaps between ids, n info bytes (format.py encode_postings).
  function decodePostings(bytes) {
    var out = new Map();
    if (!bytes.length) return out;
    var r = varintReader(bytes, 0);
    var n = r.next();
    var docs = [];
    var prev = -1;
    for (var k = 0; k < n; k++) {
      prev = prev + 1 + r.next();
      docs.push(prev);
    }
    for (k = 0; k < n; k++) out.set(docs[k], bytes[r.i + k]);
    return out;
  }

  var decoder = new TextDecoder();
  // A bucket: (varint length, UTF-8 term, varint length, postings)*, as format.py writes it.
  function decodeBucket(bytes) {
    var out = new Map();
    var r = varintReader(bytes, 0);
    while (r.i < bytes.length) {
      var n = r.next();
      var term = decoder.decode(bytes.subarray(r.i, r.i + n));
      r.i += n;
      n = r.next();
      out.set(term, bytes.subarray(r.i, r.i + n));
      r.i += n;
    }
    return out;
  }

  // ---- the article page: the text the index was built from --------------------------------
  // As plugins/epaper_search/query.py page_text(): block elements end lines, white space
  // runs become one space, empty lines go.
  var BLOCKS = new Set(["P", "DIV", "H1", "H2", "H3", "H4", "H5", "H6", "LI", "BR", "TR",
    "BLOCKQUOTE", "FIGCAPTION", "SECTION", "ARTICLE", "PRE", "TD", "TH"]);

  function collectText(node, out, skip) {
    for (var c = node.firstChild; c; c = c.nextSibling) {
      if (c.nodeType === 3) {
        out.push(c.data);
      } else if (c.nodeType === 1) {
        if (skip && skip(c)) continue;
        var block = BLOCKS.has(c.nodeName.toUpperCase());
        if (block) out.push("\n");
        collectText(c, out, skip);
        if (block) out.push("\n");
      }
    }
  }

  function joinLines(parts) {
    return parts.join("").split("\n").map(function (line) {
      return line.split(/\s+/).filter(Boolean).join(" ");
    }).filter(Boolean).join("\n");
  }

  function pageText(html) {
    var doc = new DOMParser().parseFromString(html, "text/html");
    var body = [];
    var caption = [];
    doc.querySelectorAll(".story-body").forEach(function (e) {
      body.push("\n");
      collectText(e, body);
      body.push("\n");
    });
    doc.querySelectorAll("figure.caption figcaption").forEach(function (e) {
      caption.push("\n");
      collectText(e, caption, function (n) { return n.classList && n.classList.contains("label"); });
      caption.push("\n");
    });
    return { c: joinLines(caption), b: joinLines(body) };
  }

  // ---- where the site and the index live ----------------------------------------------
  function scriptRoot() {
    var el = document.currentScript ||
      document.querySelector('script[src$="js/search.js"]');
    if (!el) return new URL("./", document.baseURI);
    var src = new URL(el.getAttribute("src"), document.baseURI);
    // <root>/<THEME_STATIC_DIR>/js/search.js -> <root>/
    return new URL("../../", src);
  }
  var SCRIPT_ROOT = scriptRoot();

  function siteRoot() {
    var holder = document.querySelector("[data-siteurl]");
    if (holder) return new URL(holder.getAttribute("data-siteurl") || "./", document.baseURI);
    return SCRIPT_ROOT;
  }

  function indexRoot() {
    var holder = document.querySelector("[data-search-index]");
    if (holder) return new URL(holder.getAttribute("data-search-index"), document.baseURI);
    return new URL("search/data/", siteRoot());
  }

  var cache = new Map();
  function cached(url, load) {
    if (!cache.has(url)) cache.set(url, load(url));
    return cache.get(url);
  }

  function get(url) {
    return fetch(url).then(function (r) {
      if (!r.ok) throw new Error(r.status + " " + url);
      return r;
    });
  }

  function fetchJSON(base, rel) {
    return cached(new URL(rel, base).href, function (url) {
      return get(url).then(function (r) { return r.json(); });
    });
  }

  // An index file: a zlib stream (format.py writes them with zlib.compress).
  function fetchBin(base, rel) {
    return cached(new URL(rel, base).href, function (url) {
      return get(url).then(function (r) {
        if (typeof DecompressionStream === "undefined") throw new Error("DecompressionStream");
        return new Response(r.body.pipeThrough(new DecompressionStream("deflate"))).arrayBuffer();
      }).then(function (buf) { return new Uint8Array(buf); });
    });
  }

  function fetchPage(url) {
    return cached(url, function () {
      return get(url).then(function (r) { return r.text(); }).then(pageText);
    });
  }

  // ---- the query: as plugins/epaper_search/query.py -----------------------------------
  // Newest day first; within a day headline matches, whole words, frequency, reading order.
  function compareHits(a, b) {
    return (a.date > b.date ? -1 : a.date < b.date ? 1 : 0) || (b.headline - a.headline) ||
      (b.words - a.words) || (b.tf - a.tf) || (a.doc - b.doc);
  }

  function intersect(docs, got) {
    return docs === null ? new Set(got.keys()) : new Set(Array.from(docs).filter(function (d) { return got.has(d); }));
  }

  // As query.py _candidates(): the segment's documents holding every token of every term
  // and filter, within the date range, with their probable rank.
  function candidates(seg, days, terms, filters, from, to, postings) {
    var plan = terms.map(function (t) { return lookupTokens(t); });
    var lo = 0;
    var hi = seg.n - 1;
    var dayList = Object.keys(days);
    if (from) {
      lo = seg.n;
      dayList.forEach(function (d) { if (d >= from) lo = Math.min(lo, days[d][0]); });
    }
    if (to) {
      hi = -1;
      dayList.forEach(function (d) { if (d <= to) hi = Math.max(hi, days[d][1]); });
    }
    var dateOf = new Map();
    dayList.forEach(function (d) {
      for (var i = days[d][0]; i <= days[d][1]; i++) dateOf.set(i, d);
    });
    var docs = null;
    filters.forEach(function (f) { docs = intersect(docs, postings(f)); });
    var perTerm = terms.map(function (term, k) {
      var toks = plan[k];
      var lists = toks.map(postings);
      var found = null;
      lists.forEach(function (l) { found = intersect(found, l); });
      docs = intersect(docs, found);
      return { term: term, toks: toks, lists: lists, whole: WHOLE_WORD_RE.test(term) ? postings("w:" + term) : new Map() };
    });
    var hits = [];
    Array.from(docs || []).sort(function (a, b) { return a - b; }).forEach(function (doc) {
      if (doc < lo || doc > hi) return;
      var hit = { segment: seg.id, doc: doc, date: dateOf.get(doc) || "", headline: 0, words: 0, tf: 0,
        certain: true, unsure: [] };
      perTerm.forEach(function (p, k) {
        var infos = p.lists.map(function (l) { return l.get(doc); });
        var exact = p.toks.length === 1 && p.toks[0] === p.term;
        if (infos.every(function (i) { return i & 2; })) hit.headline++;
        if (exact) {
          hit.words += infos[0] & 1;
          hit.tf += infos[0] >> 2;
        } else if (p.whole.has(doc)) {
          hit.words++;
          hit.tf += p.whole.get(doc) >> 2;
        } else {
          hit.certain = false;
          hit.unsure.push(k);
          hit.tf += Math.min.apply(null, infos.map(function (i) { return i >> 2; }));
        }
      });
      hits.push(hit);
    });
    return hits;
  }

  function inRange(seg, from, to) {
    return !((from && seg.to < from) || (to && seg.from > to));
  }

  function fulltext(rec) {
    return ["k", "t", "s", "a", "c", "b"].filter(function (k) { return rec[k]; })
      .map(function (k) { return rec[k]; }).join("\n");
  }

  function headlineText(rec) {
    return ["k", "t", "s"].filter(function (k) { return rec[k]; })
      .map(function (k) { return rec[k]; }).join("\n");
  }

  // One query, read page by page as query.py's Search reads it: segments newest first,
  // only while the page is not full, at most one year's segments per page.
  function Search(base, root, manifest, terms, params) {
    var p = params;
    this.base = base;
    this.root = root;
    this.block = manifest.block;
    this.terms = terms;
    this.from = p.from;
    this.to = p.to;
    this.filters = [];
    if (p.city) this.filters.push("c:" + normalize(p.city));
    if (p.topic) this.filters.push("t:" + normalize(p.topic));
    this.todo = manifest.segments.filter(function (s) { return s.n && inRange(s, p.from, p.to); })
      .sort(function (a, b) { return a.id < b.id ? 1 : a.id > b.id ? -1 : 0; });
    this.read = [];
    this.pending = [];
    this.confirmed = [];
    this.candidates = 0;
    this.shown = 0;
  }

  // The checked hits that rank before every candidate not checked yet.
  Search.prototype.ready = function () {
    if (!this.pending.length) return this.confirmed;
    var first = this.pending[0];
    return this.confirmed.filter(function (h) { return compareHits(h, first) < 0; });
  };

  Search.prototype.done = function () {
    return !this.todo.length && !this.pending.length && this.shown >= this.confirmed.length;
  };

  // [hits known to exist, whether that is all]
  Search.prototype.count = function () {
    var known = this.confirmed.length + this.pending.filter(function (h) { return h.certain; }).length;
    return [known, !this.todo.length && this.pending.every(function (h) { return h.certain; })];
  };

  Search.prototype.more = function () {
    var self = this;
    var target = self.shown + PAGE_SIZE;
    var year = "";
    function step() {
      var ready = self.ready().length;
      if (ready >= target) return Promise.resolve();
      if (self.pending.length) return self.check(self.pending.slice(0, Math.max(BATCH, target - ready))).then(step);
      if (self.todo.length && (!year || self.todo[0].id.slice(0, 4) === year)) {
        year = year || self.todo[0].id.slice(0, 4);
        var seg = self.todo.shift();
        return self.load(seg).then(function (cands) { self.add(seg, cands); }).then(step);
      }
      return Promise.resolve();
    }
    return step().then(function () {
      var hits = self.ready().slice(self.shown, target);
      self.shown += hits.length;
      return hits;
    });
  };

  // Read every segment left and check every candidate in doubt: the exact count.
  Search.prototype.countAll = function () {
    var self = this;
    var segs = self.todo;
    self.todo = [];
    return Promise.all(segs.map(function (s) { return self.load(s); })).then(function (lists) {
      lists.forEach(function (cands, i) { self.add(segs[i], cands); });
      function step() {
        var unsure = self.pending.filter(function (h) { return !h.certain; });
        if (!unsure.length) return Promise.resolve();
        return self.check(unsure.slice(0, BATCH)).then(step);
      }
      return step();
    }).then(function () { return self.count(); });
  };

  Search.prototype.add = function (seg, cands) {
    this.read.push(seg.id);
    this.since = this.from && this.from > seg.from ? this.from : seg.from;
    this.candidates += cands.length;
    this.pending = this.pending.concat(cands);
  };

  Search.prototype.postings = function (seg, tokens) {
    var base = this.base;
    var n = seg.buckets;
    var ids = Array.from(new Set(Array.from(tokens).map(function (t) { return bucketOf(t, n); })));
    return Promise.all(ids.map(function (b) {
      return fetchBin(base, seg.id + "/b/" + b + ".bin").then(function (bytes) { return decoded(seg.id + "/b/" + b, bytes); });
    })).then(function (loaded) {
      var buckets = new Map();
      ids.forEach(function (b, i) { buckets.set(b, loaded[i]); });
      return function (tok) {
        var data = buckets.get(bucketOf(tok, n)).get(tok);
        return data ? decodePostings(data) : new Map();
      };
    });
  };

  // A segment's candidates, ranked and narrowed (query.py Search._read and _narrow).
  Search.prototype.load = function (seg) {
    var self = this;
    var terms = self.terms;
    var wanted = new Set(self.filters);
    terms.forEach(function (t) {
      lookupTokens(t).forEach(function (tok) { wanted.add(tok); });
      if (WHOLE_WORD_RE.test(t)) wanted.add("w:" + t);
    });
    var daysP = fetchBin(self.base, seg.id + "/days.bin").then(function (bytes) { return JSON.parse(decoder.decode(bytes)); });
    return Promise.all([daysP, self.postings(seg, wanted)]).then(function (got) {
      var cands = candidates(seg, got[0], terms, self.filters, self.from, self.to, got[1]).sort(compareHits);
      return self.narrow(seg, cands);
    });
  };

  // As query.py _narrow(): when one of the segment's best NARROW_WINDOW candidates needs
  // the text check, fetch the junction bigrams of the terms in doubt and drop candidates lacking them.
  var NARROW_WINDOW = 20;
  Search.prototype.narrow = function (seg, cands) {
    var self = this;
    var need = new Set();
    cands.slice(0, NARROW_WINDOW).forEach(function (h) { h.unsure.forEach(function (k) { need.add(k); }); });
    var extra = new Map();
    Array.from(need).sort().forEach(function (k) {
      var toks = junctionTokens(self.terms[k]);
      if (toks.length) extra.set(k, toks);
    });
    if (!extra.size) return Promise.resolve(cands);
    var tokens = new Set();
    extra.forEach(function (toks) { toks.forEach(function (t) { tokens.add(t); }); });
    return self.postings(seg, tokens).then(function (postings) {
      var keep = new Map();
      extra.forEach(function (toks, k) {
        var docs = null;
        toks.forEach(function (t) { docs = intersect(docs, postings(t)); });
        keep.set(k, docs || new Set());
      });
      return cands.filter(function (h) {
        return h.unsure.every(function (k) { return !extra.has(k) || keep.get(k).has(h.doc); });
      });
    });
  };

  // Check candidates against their text (metadata block and article page); keep the hits.
  Search.prototype.check = function (batch) {
    var self = this;
    var inBatch = new Set(batch);
    self.pending = self.pending.filter(function (h) { return !inBatch.has(h); });
    return Promise.all(batch.map(function (h) {
      var b = Math.floor(h.doc / self.block);
      return fetchBin(self.base, h.segment + "/m/" + b + ".bin").then(function (bytes) {
        var meta = decoded(h.segment + "/m/" + b, bytes, true)[h.doc % self.block];
        return fetchPage(new URL(meta.u, self.root).href).then(function (page) {
          var rec = Object.assign({}, meta);
          rec.c = page.c;
          rec.b = page.b;
          return rec;
        });
      });
    })).then(function (recs) {
      recs.forEach(function (rec, i) {
        var h = batch[i];
        var text = normalize(fulltext(rec));
        if (!self.terms.every(function (t) { return text.indexOf(t) >= 0; })) return;
        var head = normalize(headlineText(rec));
        h.headline = self.terms.filter(function (t) { return head.indexOf(t) >= 0; }).length;
        h.record = rec;
        self.confirmed.push(h);
      });
      self.confirmed.sort(compareHits);
    });
  };

  // Decoded index files, once per file: buckets (term -> postings) and metadata blocks.
  var decodedFiles = new Map();
  function decoded(key, bytes, json) {
    if (!decodedFiles.has(key)) decodedFiles.set(key, json ? JSON.parse(decoder.decode(bytes)) : decodeBucket(bytes));
    return decodedFiles.get(key);
  }

  // ---- highlighting ---------------------------------------------------------------------
  // Normalised text with a map back to the original, so hits found on NFKC/lower-case
  // text are marked on the text as printed.
  function normMap(text) {
    var norm = "";
    var starts = [];
    var ends = [];
    var offset = 0;
    for (var ch of text) {
      var n = normalize(ch);
      for (var k = 0; k < n.length; k++) { starts.push(offset); ends.push(offset + ch.length); }
      norm += n;
      offset += ch.length;
    }
    return { norm: norm, starts: starts, ends: ends };
  }

  function findRanges(text, terms) {
    var m = normMap(text);
    var ranges = [];
    terms.forEach(function (t) {
      if (!t) return;
      var i = m.norm.indexOf(t);
      while (i >= 0) {
        ranges.push([m.starts[i], m.ends[i + t.length - 1]]);
        i = m.norm.indexOf(t, i + t.length);
      }
    });
    ranges.sort(function (a, b) { return a[0] - b[0] || b[1] - a[1]; });
    var merged = [];
    ranges.forEach(function (r) {
      var last = merged[merged.length - 1];
      if (last && r[0] <= last[1]) last[1] = Math.max(last[1], r[1]);
      else merged.push([r[0], r[1]]);
    });
    return merged;
  }

  function markedFragment(text, terms) {
    var frag = document.createDocumentFragment();
    var pos = 0;
    findRanges(text, terms).forEach(function (r) {
      if (r[0] > pos) frag.appendChild(document.createTextNode(text.slice(pos, r[0])));
      var mark = document.createElement("mark");
      mark.className = "search-hit";
      mark.textContent = text.slice(r[0], r[1]);
      frag.appendChild(mark);
      pos = r[1];
    });
    if (pos < text.length) frag.appendChild(document.createTextNode(text.slice(pos)));
    return frag;
  }

  function snippet(rec, terms) {
    var body = rec.b || rec.c || "";
    var ranges = findRanges(body, terms);
    var start = 0;
    if (ranges.length) start = Math.max(0, ranges[0][0] - 30);
    var end = Math.min(body.length, start + 120);
    var text = body.slice(start, end).replace(/\n/g, " ");
    return (start > 0 ? "…" : "") + text + (end < body.length ? "…" : "");
  }

  // ---- the results page -------------------------------------------------------------------
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function dateCN(d) {
    var p = d.split("-");
    return p.length === 3 ? (+p[0]) + "年" + (+p[1]) + "月" + (+p[2]) + "日" : d;
  }

  function renderHit(hit, terms, rawQuery, root) {
    var rec = hit.record;
    var li = el("li", "result");
    li.setAttribute("data-url", rec.u);
    if (rec.k) li.appendChild(el("p", "result-kicker")).appendChild(markedFragment(rec.k, terms));
    var h = li.appendChild(el("h2", "result-title"));
    var a = h.appendChild(el("a"));
    var href = new URL(rec.u, root);
    href.searchParams.set("hl", rawQuery);
    if (href.protocol === "http:" || href.protocol === "https:" || href.protocol === "file:") a.href = href.href;
    a.appendChild(markedFragment(rec.t, terms));
    if (rec.s) li.appendChild(el("p", "result-kicker")).appendChild(markedFragment("——" + rec.s, terms));
    var meta = [dateCN(rec.d), "第" + (rec.p < 10 ? "0" : "") + rec.p + "版"];  // 第01版, as every page says
    if (rec.a) meta.push(rec.a);
    if (rec.ci && rec.ci.length) meta.push(rec.ci.join("、"));
    var metaP = li.appendChild(el("p", "result-meta"));
    var time = metaP.appendChild(el("time", "", meta[0]));
    time.setAttribute("datetime", rec.d);
    metaP.appendChild(document.createTextNode(" · " + meta.slice(1).join(" · ")));
    li.appendChild(el("p", "result-snippet")).appendChild(markedFragment(snippet(rec, terms), terms));
    return li;
  }

  function fillSelect(select, items, current) {
    if (!select) return;
    items.forEach(function (it) {
      var o = el("option", "", it[0] + "（" + it[1] + "）");
      o.value = it[0];
      if (it[0] === current) o.selected = true;
      select.appendChild(o);
    });
  }

  function searchPage(form) {
    var status = document.getElementById("search-status");
    var list = document.getElementById("search-results");
    var more = document.getElementById("search-more");
    var countButton = document.getElementById("search-count");
    var params = new URLSearchParams(location.search);
    var p = {
      q: params.get("q") || "",
      city: params.get("city") || "",
      topic: params.get("topic") || "",
      from: params.get("from") || "",
      to: params.get("to") || ""
    };
    var ids = { q: "search-q", from: "search-from", to: "search-to" };
    Object.keys(ids).forEach(function (k) {
      var input = document.getElementById(ids[k]);
      if (input) input.value = p[k];
    });
    var boxes = document.querySelectorAll('input[name="q"]');
    boxes.forEach(function (b) { if (!b.value) b.value = p.q; });
    var root = siteRoot();
    var base = indexRoot();
    var started = performance.now();

    function setStatus(text, state) {
      status.textContent = text;
      status.setAttribute("data-state", state);
    }

    var manifestP = fetchJSON(base, "index.json");
    manifestP.then(function (m) {
      fillSelect(document.getElementById("search-city"), m.cities || [], p.city);
      fillSelect(document.getElementById("search-topic"), m.topics || [], p.topic);
    }).catch(function () { /* reported below when a query needs it */ });

    var terms = queryTerms(p.q);
    if (!terms.length) {
      setStatus("请输入要搜索的词。", "idle");
      return;
    }
    if (terms.some(function (t) { return termTokens(t).length === 0; })) {
      setStatus("每个搜索词至少需要两个汉字（或一个完整的英文词、数字）。", "too-short");
      return;
    }
    if (typeof DecompressionStream === "undefined") {
      setStatus("此浏览器不支持全文搜索（需要 DecompressionStream），请更新浏览器，或按日期、城市、话题浏览。", "error");
      return;
    }
    setStatus("正在搜索…", "busy");
    var search;
    var round = 0;
    manifestP.then(function (manifest) {
      search = new Search(base, root, manifest, terms, p);
      return search.more();
    }).then(function () {
      render();
      status.setAttribute("data-ms", String(Math.round(performance.now() - started)));
    }).catch(fail);

    function fail(err) {
      setStatus("搜索索引加载失败，请稍后再试。（" + err.message + "）", "error");
    }

    // The count as known: checked hits and candidates whose postings prove them; "N+"
    // until every segment in range is read and no candidate is in doubt, then exact.
    function render() {
      list.textContent = "";
      var shown = search.ready().slice(0, search.shown);
      shown.forEach(function (h) { list.appendChild(renderHit(h, terms, p.q, root)); });
      var c = search.count();
      var what = "包含“" + terms.join(" ") + "”的文章";
      var since = search.since ? dateCN(search.since) + "以来" : "";
      if (!shown.length && search.done()) {
        setStatus("没有找到" + what + "。", "none");
      } else if (!shown.length) {
        setStatus(since + "的报纸中没有找到" + what + "；更早的报纸还没有搜索。", "partial");
      } else {
        setStatus("找到 " + groupDigits(c[0]) + (c[1] ? "" : "+") + " 篇" + what +
          (shown.length < c[0] || !c[1] ? "，显示前 " + shown.length + " 篇" : "") + "。" +
          (search.todo.length ? "（已搜索" + since + "的报纸。）" : ""), "done");
      }
      round += 1;
      status.setAttribute("data-round", String(round));
      status.setAttribute("data-count", String(c[0]));
      status.setAttribute("data-exact", c[1] ? "true" : "false");
      status.setAttribute("data-shown", String(shown.length));
      status.setAttribute("data-read", search.read.join(" "));
      more.hidden = search.done();
      more.disabled = false;
      more.textContent = search.pending.length || search.ready().length > search.shown ? "更多结果" : "搜索更早的报纸";
      if (countButton) {
        countButton.hidden = c[1];
        countButton.disabled = false;
      }
    }

    more.addEventListener("click", function () {
      more.disabled = true;
      search.more().then(render).catch(fail);
    });
    if (countButton) {
      countButton.addEventListener("click", function () {
        countButton.disabled = true;
        setStatus("正在统计全部结果…", "busy");
        search.countAll().then(render).catch(fail);
      });
    }
  }

  function groupDigits(n) {
    return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  }

  // ---- article pages: mark ?hl= terms ----------------------------------------------------
  function highlightArticle(q) {
    var terms = queryTerms(q).filter(function (t) { return termTokens(t).length; });
    if (!terms.length) return;
    var scope = document.querySelector("article") || document.querySelector("main");
    if (!scope) return;
    var walker = document.createTreeWalker(scope, NodeFilter.SHOW_TEXT, {
      acceptNode: function (n) {
        var parent = n.parentNode;
        if (!parent || /^(SCRIPT|STYLE|MARK)$/.test(parent.nodeName)) return NodeFilter.FILTER_REJECT;
        return NodeFilter.FILTER_ACCEPT;
      }
    });
    var nodes = [];
    while (walker.nextNode()) nodes.push(walker.currentNode);
    var first = null;
    nodes.forEach(function (node) {
      if (!findRanges(node.nodeValue, terms).length) return;
      var frag = markedFragment(node.nodeValue, terms);
      if (!first) first = frag.querySelector("mark");
      node.parentNode.replaceChild(frag, node);
    });
    if (first && first.scrollIntoView) first.scrollIntoView({ block: "center" });
  }

  function main() {
    var form = document.getElementById("search-form");
    if (form && document.getElementById("search-results")) {
      searchPage(form);
      return;
    }
    var hl = new URLSearchParams(location.search).get("hl");
    if (hl) {
      document.querySelectorAll('input[name="q"]').forEach(function (b) { if (!b.value) b.value = hl; });
      highlightArticle(hl);
    }
  }

  // Exposed for tests and for the console; the page never needs it.
  window.epaperSearch = { normalize: normalize, queryTerms: queryTerms, termTokens: termTokens, fnv1a: fnv1a,
    lookupTokens: lookupTokens, junctionTokens: junctionTokens };

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", main);
  else main();
})();
