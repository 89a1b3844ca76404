/* Progressive enhancement only: the wizard works the same without this file. */
(function () {
  "use strict";
})();
