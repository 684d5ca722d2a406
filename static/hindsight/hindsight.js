// Hindsight's own behaviour. Loaded with `defer`; no inline scripts (the CSP forbids them).
(function () {
  "use strict";
  // A button with aria-expanded and aria-controls opens and closes what it controls.
  document.addEventListener("click", function (event) {
    var button = event.target.closest("button[aria-expanded][aria-controls]");
    if (button) button.setAttribute("aria-expanded", button.getAttribute("aria-expanded") === "true" ? "false" : "true");
  });

  // Escape closes the phone menu and puts focus back on its button.
  document.addEventListener("keydown", function (event) {
    var button = document.querySelector(".nav-toggle[aria-expanded=true]");
    if (event.key !== "Escape" || !button) return;
    button.setAttribute("aria-expanded", "false");
    button.focus();
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
