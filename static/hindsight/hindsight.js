// Hindsight's own behaviour. Loaded with `defer`; no inline scripts (the CSP forbids them).
(function () {
  "use strict";
  // Close the phone navigation after choosing a link.
  document.addEventListener("click", function (event) {
    var toggle = document.getElementById("nav-toggle");
    if (toggle && event.target.closest(".mainnav a")) toggle.checked = false;
  });
})();
