// Passerelle — progressive enhancement only: the pages work without it.
// Typeahead on the home search box (ARIA combobox + listbox).
(function () {
  "use strict";
  var input = document.getElementById("q");
  var list = document.getElementById("suggestions");
  var job = document.getElementById("job");
  if (!input || !list || !job) return;
  var timer = null, seq = 0, active = -1, items = [];

  function close() {
    list.hidden = true;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
    active = -1;
  }
  function highlight(i) {
    var lis = list.querySelectorAll("li");
    lis.forEach(function (li, k) { li.setAttribute("aria-selected", k === i ? "true" : "false"); });
    active = i;
    if (i >= 0 && lis[i]) { input.setAttribute("aria-activedescendant", lis[i].id); lis[i].scrollIntoView({ block: "nearest" }); }
  }
  function pick(i) {
    var h = items[i];
    if (!h) return;
    input.value = h.title;
    job.value = h.code;
    close();
  }
  function render(hits) {
    items = hits;
    list.textContent = "";
    hits.forEach(function (h, i) {
      var li = document.createElement("li");
      li.id = "suggestion-" + i;
      li.setAttribute("role", "option");
      li.setAttribute("aria-selected", "false");
      li.dataset.code = h.code;
      var t = document.createElement("span");
      t.textContent = h.title;
      var d = document.createElement("span");
      d.className = "detail";
      d.textContent = (h.kind === "fiche" ? "fiche " : h.kind === "poste" ? "profil de poste, fiche " : "fiche ") + h.rome + " — " + h.rome_title;
      li.appendChild(t);
      li.appendChild(d);
      li.addEventListener("mousedown", function (e) { e.preventDefault(); pick(i); });
      list.appendChild(li);
    });
    list.hidden = hits.length === 0;
    input.setAttribute("aria-expanded", hits.length ? "true" : "false");
    active = -1;
  }
  input.addEventListener("input", function () {
    job.value = "";
    clearTimeout(timer);
    var q = input.value.trim();
    if (q.length < 2) { close(); return; }
    timer = setTimeout(function () {
      var mine = ++seq;
      fetch("/api/v1/search?limit=8&q=" + encodeURIComponent(q), { headers: { Accept: "application/json" } })
        .then(function (r) { return r.ok ? r.json() : { hits: [] }; })
        .then(function (data) { if (mine === seq) render(data.hits || []); })
        .catch(function () { close(); });
    }, 120);
  });
  input.addEventListener("keydown", function (e) {
    if (list.hidden) return;
    var n = items.length;
    if (e.key === "ArrowDown") { e.preventDefault(); highlight((active + 1) % n); }
    else if (e.key === "ArrowUp") { e.preventDefault(); highlight((active - 1 + n) % n); }
    else if (e.key === "Enter" && active >= 0) { e.preventDefault(); pick(active); }
    else if (e.key === "Escape") { close(); }
  });
  input.addEventListener("blur", function () { setTimeout(close, 150); });
})();

// Variant form: recompute as soon as items are unticked (short delay so
// that several clicks make one request). Without JavaScript the button does it.
(function () {
  "use strict";
  var form = document.querySelector("form.variante-form");
  if (!form) return;
  var timer = null;
  form.addEventListener("change", function (e) {
    if (!e.target || e.target.type !== "checkbox") return;
    clearTimeout(timer);
    timer = setTimeout(function () {
      if (form.querySelector("input[type=checkbox]:checked")) form.submit();
    }, 900);
  });
})();

// Sources to detail: the document links follow the ticked boxes at once.
// Without JavaScript the "Détailler" button reloads the page with the links.
(function () {
  "use strict";
  var boxes = document.querySelectorAll("input[form=choix-sources][name=sources]");
  if (!boxes.length) return;
  function update() {
    var ids = [];
    boxes.forEach(function (b) { if (b.checked) ids.push(b.value); });
    document.querySelectorAll("a[data-document]").forEach(function (a) {
      var url = new URL(a.getAttribute("href"), window.location.href);
      if (ids.length) url.searchParams.set("sources", ids.join(","));
      else url.searchParams.delete("sources");
      a.setAttribute("href", url.pathname + url.search);
    });
  }
  boxes.forEach(function (b) { b.addEventListener("change", update); });
})();
