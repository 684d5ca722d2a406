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

  // After an inline (htmx) add, edit or delete, keep the keyboard where the person was: on the form's
  // error or first field in error if it came back refused, else on what the answer marks data-autofocus,
  // else on the first field of the same form (ready for the next entry), else on the first field or the
  // block that replaced what they used.
  // Filter forms (GET) are left alone: focus stays in the field being typed in.
  // What was sent rides on the request itself, so a second submit before the first settles keeps both.
  var FIELDS = "input:not([type=hidden]), select, textarea";
  document.addEventListener("htmx:beforeRequest", function (event) {
    var form = event.detail.elt.closest("form");
    var target = event.detail.target;
    event.detail.xhr.hindsightSent = form && form.matches("form[method=get]") ? null : {
      form: form && form.id, target: target && target.id, loads: event.detail.requestConfig.verb === "get"
    };
  });
  document.addEventListener("htmx:afterSettle", function (event) {
    var sent = event.detail.xhr && event.detail.xhr.hindsightSent;
    if (!sent) return;
    event.detail.xhr.hindsightSent = null;
    var form = sent.form && document.getElementById(sent.form);
    var block = document.getElementById(sent.target);
    var loads = sent.loads;
    var error = block && block.querySelector(".form-error, [aria-invalid=true]");
    // The server may name where the work goes on (data-autofocus), e.g. the factor a save just added.
    var wanted = block && block.querySelector("[data-autofocus]");
    var field = error || wanted || (form && form.querySelector(FIELDS)) || (loads && block && block.querySelector(FIELDS));
    if (error && error.matches(".form-error")) {
      error.setAttribute("tabindex", "-1");
      error.setAttribute("role", "alert");
    }
    if (field) { field.focus(); return; }
    if (!block) return;
    if (!block.hasAttribute("tabindex")) block.setAttribute("tabindex", "-1");
    block.focus();
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
