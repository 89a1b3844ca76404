/* The progress of a batch (cerfa/batch/web.py), without reloading the page: each call to
   the progress address does a step of the work and says how far it is; the bar and its
   text follow, and the table opens when every row is checked. Without this script the
   page reloads itself (<meta http-equiv="refresh"> inside <noscript>). */
(function () {
  "use strict";

  var box = document.getElementById("avancement");
  if (!box || !window.fetch) {
    return;
  }
  var bar = document.getElementById("barre-avancement");
  var text = document.getElementById("avancement-texte");
  var address = box.getAttribute("data-etat");
  var failures = 0;

  function plural(count, word) {
    return count > 1 ? word + "s" : word;
  }

  function show(state) {
    bar.max = state.total;
    bar.value = state.faites;
    text.textContent = state.faites + " " + plural(state.faites, "ligne") + " " +
      plural(state.faites, "vérifiée") + " sur " + state.total + ".";
  }

  function poll() {
    window.fetch(address, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) {
          throw new Error(String(response.status));
        }
        return response.json();
      })
      .then(function (state) {
        failures = 0;
        show(state);
        if (state.termine) {
          window.location.assign(state.tableau);
        } else {
          window.setTimeout(poll, 300);
        }
      })
      .catch(function () {
        // A lost connection: try again a little later, then let the page be reloaded.
        failures += 1;
        if (failures < 5) {
          window.setTimeout(poll, 2000);
        } else {
          text.textContent = "La vérification ne répond plus : actualisez la page.";
        }
      });
  }

  poll();
})();
