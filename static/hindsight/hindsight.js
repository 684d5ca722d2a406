// Hindsight's own behaviour. Loaded with `defer`; no inline scripts (the CSP forbids them).
(function () {
  "use strict";
  // Close the phone navigation after choosing a link.
  document.addEventListener("click", function (event) {
    var toggle = document.getElementById("nav-toggle");
    if (toggle && event.target.closest(".mainnav a")) toggle.checked = false;
  });

  // Filter forms send (and put in the address bar) only the filters that are set:
  // `?team=search`, not `?q=&team=search&tier=`.
  document.addEventListener("htmx:configRequest", function (event) {
    var form = event.detail.formData;
    if (event.detail.verb !== "get" || !form) return;
    Array.from(new Set(form.keys())).forEach(function (name) {
      if (form.getAll(name).every(function (value) { return value === ""; })) form.delete(name);
    });
  });
})();
