/* Progressive enhancement only: without this file the step is checked on « Suivant ».
   When a field is left with a new value, or a choice changes, the step's values are sent
   to the server, which runs the same rules as the review page (nothing is stored) and
   answers with each field's findings and the step's summary, rendered by the page's own
   templates. The summary is a polite live region; each field's findings replace its own. */
(function () {
  "use strict";

  var form = document.getElementById("wizard-form");
  var summary = document.getElementById("verification-etape");

  // The summary of a refused « Suivant » takes the focus (autofocus does in most browsers).
  var stopped = document.getElementById("resume-etape") || document.getElementById("erreurs-saisie");
  if (stopped && document.activeElement !== stopped) { stopped.focus(); }

  var link = document.getElementById("effacer-lien");
  if (link && window.dsfr) {
    link.addEventListener("click", function (event) {
      var modal = document.getElementById(link.getAttribute("data-modal"));
      if (!modal) { return; }
      event.preventDefault();
      window.dsfr(modal).modal.disclose();
    });
  }

  if (!form || !summary || !form.getAttribute("data-verification") || !window.fetch) { return; }

  var flag = form.getAttribute("data-verification");
  var sent = null;   // the values last checked: leaving a field unchanged asks nothing
  var counter = 0;   // only the answer to the latest question is shown
  var timer = null;

  function values() {
    var data = new FormData(form);
    data.delete("wizard_goto_step");
    return data;
  }

  function signature(data) {
    var parts = [];
    data.forEach(function (value, key) { parts.push(key + "=" + value); });
    return parts.join("&");
  }

  function show(answer) {
    Object.keys(answer.fields || {}).forEach(function (name) {
      var box = document.getElementById("id_" + name + "-findings");
      if (box && box.outerHTML !== answer.fields[name]) { box.outerHTML = answer.fields[name]; }
    });
    if (summary.innerHTML !== answer.summary) { summary.innerHTML = answer.summary || ""; }
  }

  function check() {
    var data = values();
    var now = signature(data);
    if (now === sent) { return; }
    sent = now;
    data.append(flag, "1");
    var mine = ++counter;
    fetch(form.action || window.location.href, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { "Accept": "application/json" }
    }).then(function (response) {
      if (!response.ok) { throw new Error(String(response.status)); }
      return response.json();
    }).then(function (answer) {
      if (mine === counter) { show(answer); }
    }).catch(function () { sent = null; /* checked on « Suivant » instead */ });
  }

  function soon() {
    if (timer) { window.clearTimeout(timer); }
    timer = window.setTimeout(check, 150);
  }

  form.addEventListener("focusout", function (event) {
    if (event.target.name && event.target.name.indexOf("cerfa_") !== 0) { soon(); }
  });
  form.addEventListener("change", function (event) {
    var kind = event.target.type;
    if (kind === "radio" || kind === "checkbox" || event.target.tagName === "SELECT") { soon(); }
  });
})();
