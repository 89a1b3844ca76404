/* Progressive enhancement only: the wizard works the same without this file.
   One value typed fills the empty boxes it determines, from /api/ (cerfa/lookups), which
   answers from the public APIs or, when they are down, from the tables kept with the
   service:
   - a SIRET fills its block (employer, CFA, training place);
   - a UAI fills the CFA's or the training place's block;
   - a code diplôme or a code RNCP fills the other code, the title and the diploma type;
   - a postal code fills its commune, or offers its communes when several share it.
   Nothing the user typed is ever overwritten: a box is filled only when it is empty, or
   when it holds what an earlier lookup put there and the user has not touched it since
   (a corrected SIRET then replaces what the mistyped one had filled). What was filled is
   said in a polite live region beside the box typed. */
(function () {
  "use strict";

  var BLOCKS = {
    "employeur__siret": { prefix: "employeur__", url: "/api/siret/?value=", what: "le SIRET" },
    "formation__cfa__siret": {
      prefix: "formation__cfa__", url: "/api/siret/?role=cfa&value=", what: "le SIRET"
    },
    "formation__lieu_principal__siret": {
      prefix: "formation__lieu_principal__", url: "/api/siret/?role=cfa&value=", what: "le SIRET"
    },
    "formation__cfa__uai": {
      prefix: "formation__cfa__", url: "/api/cfa/?value=", what: "le numéro UAI", other: "siret"
    },
    "formation__lieu_principal__uai": {
      prefix: "formation__lieu_principal__", url: "/api/cfa/?value=", what: "le numéro UAI",
      other: "siret"
    },
    "formation__code_diplome": {
      prefix: "formation__", url: "/api/diplome/?value=", what: "le code diplôme",
      other: "code_rncp"
    },
    "formation__code_rncp": {
      prefix: "formation__", url: "/api/diplome/?value=", what: "le code RNCP",
      other: "code_diplome"
    }
  };
  // What each block's value must look like before anything is sent (the server checks it
  // again; these only spare a request for a value still being typed).
  var SHAPES = {
    "siret": /^\d{14}$/,
    "uai": /^\d{7}[A-Z]$/,
    "code_diplome": /^[0-9A-Z]{8}$/,
    "code_rncp": /^(RNCP|RS)?\d{1,6}$/
  };
  var ADRESSE = ["numero", "voie", "complement", "code_postal", "commune"];

  // Names of the boxes a lookup filled and the user has not touched since.
  var proposed = {};

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

  function free(box, name) {
    return !box.value || proposed[name] === box.value;
  }

  function put(box, name, value) {
    // A list without this option keeps its value: nothing is filled.
    var before = box.value;
    box.value = String(value);
    if (box.value !== String(value)) { box.value = before; return false; }
    proposed[name] = box.value;
    // The user is in this box (they tabbed into it while the answer came): the value is
    // selected, so that what they type next replaces it instead of joining it.
    if (box === document.activeElement && typeof box.select === "function") { box.select(); }
    return true;
  }

  function fill(form, prefix, values) {
    // Values nest like the dossier (adresse: {code_postal: …}); box names join with "__".
    // An address is filled whole or not at all: a register's number with the user's street
    // would describe a place that does not exist.
    var filled = 0;
    Object.keys(values).forEach(function (key) {
      var name = prefix + key;
      var value = values[key];
      if (value !== null && typeof value === "object") {
        if (key === "adresse" && !ADRESSE.every(function (part) {
          var box = form.elements[name + "__" + part];
          return !box || free(box, name + "__" + part);
        })) { return; }
        filled += fill(form, name + "__", value);
        return;
      }
      var box = form.elements[name];
      if (!box || value === null || value === undefined || value === "") { return; }
      if (!free(box, name) || box.value === String(value)) { return; }
      if (put(box, name, value)) { filled += 1; }
    });
    return filled;
  }

  function offer(box, options) {
    // A list of suggestions under a text box (the user may still type anything).
    var list = document.getElementById(box.id + "-choix") || document.createElement("datalist");
    list.id = box.id + "-choix";
    list.innerHTML = "";
    options.forEach(function (value) {
      var option = document.createElement("option");
      option.value = value;
      list.appendChild(option);
    });
    box.insertAdjacentElement("afterend", list);
    box.setAttribute("list", list.id);
  }

  function compact(value) {
    return String(value || "").replace(/\s/g, "").toUpperCase();
  }

  function onBlock(input, block) {
    var value = compact(input.value);
    var kind = input.name.slice(block.prefix.length);
    if (!SHAPES[kind].test(value)) { return; }
    // The value goes in the query string: the server logs paths, never what was typed.
    lookup(block.url + encodeURIComponent(value)).then(function (data) {
      var form = input.form;
      var text = (data.messages || []).join(" ");
      // A value that cannot be looked up: the step's live check says what is wrong.
      if (data.status === "invalid") { status(input, ""); return; }
      if (data.status !== "ok") { status(input, text); return; }
      var values = data.values || {};
      var choices = data.choices || [];
      if (choices.length && block.other) {
        // Several answers: the other code or number, if typed, says which one is meant.
        var otherBox = form.elements[block.prefix + block.other];
        var typed = otherBox ? compact(otherBox.value) : "";
        var mine = choices.filter(function (c) { return typed && compact(c[block.other]) === typed; });
        if (mine.length === 1) {
          values = mine[0];
          text = "";
        } else if (otherBox && !typed) {
          offer(otherBox, choices.map(function (c) { return c[block.other]; }).filter(Boolean));
        }
      }
      var n = fill(form, block.prefix, values);
      text = (n ? n + " champ(s) rempli(s) d’après " + block.what + ". " : "") + text;
      if (n && data.source) { text += " Source : " + data.source + "."; }
      status(input, text.trim());
    }).catch(function () { /* the user simply types */ });
  }

  function onPostalCode(input) {
    var value = input.value.trim();
    if (!/^\d{5}$/.test(value)) { return; }
    var name = input.name.replace(/code_postal$/, "commune");
    var commune = input.form.elements[name];
    if (!commune) { return; }
    lookup("/api/communes/?value=" + value).then(function (data) {
      if (data.status === "invalid") { status(input, ""); return; }
      if (data.status !== "ok") { status(input, (data.messages || []).join(" ")); return; }
      var names = (data.choices || []).map(function (c) { return c.commune; }).filter(Boolean);
      if (!names.length && data.values && data.values.commune) { names = [data.values.commune]; }
      var source = data.source ? " Source : " + data.source + "." : "";
      if (names.length === 1) {
        if (free(commune, name) && commune.value !== names[0] && put(commune, name, names[0])) {
          status(input, "Commune remplie d’après le code postal." + source);
        }
      } else if (names.length > 1) {
        offer(commune, names);
        status(input, "Plusieurs communes ont ce code postal : choisissez la vôtre dans la case Commune." + source);
      }
    }).catch(function () { /* the user simply types */ });
  }

  document.addEventListener("input", function (event) {
    // The user's own value from now on: no lookup replaces it.
    if (event.target.name) { delete proposed[event.target.name]; }
  });

  document.addEventListener("change", function (event) {
    var input = event.target;
    if (!input.name || !input.form) { return; }
    if (BLOCKS[input.name]) { onBlock(input, BLOCKS[input.name]); }
    else if (/__adresse__code_postal$/.test(input.name)) { onPostalCode(input); }
  });
})();
