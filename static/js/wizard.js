/* Progressive enhancement only: the wizard works the same without this file.
   A SIRET fills the empty boxes of its block; a postal code offers its communes.
   Nothing the user typed is ever overwritten. The lookups answer from /api/ (cerfa/lookups). */
(function () {
  "use strict";

  var SIRET_BLOCKS = {
    "employeur__siret": { prefix: "employeur__", role: "" },
    "formation__cfa__siret": { prefix: "formation__cfa__", role: "cfa" },
    "formation__lieu_principal__siret": { prefix: "formation__lieu_principal__", role: "cfa" }
  };

  function status(input, text) {
    var id = input.id + "-lookup";
    var node = document.getElementById(id);
    if (!node) {
      node = document.createElement("p");
      node.id = id;
      node.className = "fr-text--sm fr-mt-1w";
      node.setAttribute("aria-live", "polite");
      input.insertAdjacentElement("afterend", node);
    }
    node.textContent = text;
  }

  function lookup(url) {
    return fetch(url, { headers: { "Accept": "application/json" }, credentials: "same-origin" })
      .then(function (r) { return r.json(); });
  }

  function fillEmpty(form, prefix, values) {
    // Values nest like the dossier (adresse: {code_postal: …}); box names join with "__".
    var filled = 0;
    Object.keys(values).forEach(function (key) {
      var name = prefix + key.split(".").join("__");
      var value = values[key];
      if (value !== null && typeof value === "object") {
        filled += fillEmpty(form, name + "__", value);
        return;
      }
      var box = form.elements[name];
      if (!box || value === null || value === undefined || box.value) { return; }
      box.value = String(value);
      if (box.value === String(value)) { filled += 1; }
    });
    return filled;
  }

  function onSiret(input, block) {
    var value = input.value.replace(/\s/g, "");
    if (!/^\d{14}$/.test(value)) { return; }
    // The value goes in the query string: the server logs paths, never what was typed.
    var url = "/api/siret/?value=" + value + (block.role ? "&role=" + block.role : "");
    lookup(url).then(function (data) {
      var text = (data.messages || []).join(" ");
      if (data.status === "ok") {
        var n = fillEmpty(input.form, block.prefix, data.values || {});
        text = (n ? n + " champ(s) rempli(s) d’après le SIRET. " : "") + text;
        if (data.source) { text += " Source : " + data.source + "."; }
      }
      status(input, text.trim());
    }).catch(function () { /* the user simply types */ });
  }

  function onPostalCode(input) {
    var value = input.value.trim();
    if (!/^\d{5}$/.test(value)) { return; }
    var commune = input.form.elements[input.name.replace(/code_postal$/, "commune")];
    if (!commune) { return; }
    lookup("/api/communes/?value=" + value).then(function (data) {
      if (data.status !== "ok") { status(input, (data.messages || []).join(" ")); return; }
      var names = (data.choices || []).map(function (c) { return c.commune; }).filter(Boolean);
      if (!names.length && data.values && data.values.commune) { names = [data.values.commune]; }
      if (names.length === 1 && !commune.value) { commune.value = names[0]; }
      if (names.length > 1) {
        var list = document.getElementById(commune.id + "-choix") || document.createElement("datalist");
        list.id = commune.id + "-choix";
        list.innerHTML = "";
        names.forEach(function (n) { var o = document.createElement("option"); o.value = n; list.appendChild(o); });
        commune.insertAdjacentElement("afterend", list);
        commune.setAttribute("list", list.id);
        status(input, "Plusieurs communes ont ce code postal : choisissez la vôtre dans la case Commune.");
      }
    }).catch(function () { /* the user simply types */ });
  }

  document.addEventListener("change", function (event) {
    var input = event.target;
    if (!input.name) { return; }
    if (SIRET_BLOCKS[input.name]) { onSiret(input, SIRET_BLOCKS[input.name]); }
    else if (/__adresse__code_postal$/.test(input.name)) { onPostalCode(input); }
  });
})();
