// Draws causal-factor charts with the vendored Mermaid, under Hindsight's strict CSP.
//
// Mermaid writes `style` attributes and a <style> element into its SVG, and parses
// markup with DOMParser along the way; the CSP refuses all of those unless they
// carry the page's nonce. So, only while Mermaid renders, style attributes go
// through the CSSOM (which the CSP allows), and <style> elements get the nonce
// read from <meta name="csp-nonce">. Nothing is loosened in the policy itself.
(function () {
  "use strict";

  function pageNonce() {
    var meta = document.querySelector('meta[name="csp-nonce"]');
    return meta ? meta.getAttribute("content") : "";
  }

  // Markup → markup whose style attributes are parked in data-csp-style, and whose <style> carry the nonce.
  function parkStyles(markup, nonce) {
    return String(markup)
      .replace(/(\s)style=(["'])/g, "$1data-csp-style=$2")
      .replace(/<style(?=[\s>])/g, '<style nonce="' + nonce + '"');
  }

  // Move parked style attributes back through the CSSOM.
  function restoreStyles(root) {
    var parked = Array.prototype.slice.call(root.querySelectorAll("[data-csp-style]"));
    if (root.hasAttribute && root.hasAttribute("data-csp-style")) parked.push(root);
    parked.forEach(function (el) {
      el.style.cssText = el.getAttribute("data-csp-style");
      el.removeAttribute("data-csp-style");
    });
  }

  function isStyle(name) {
    return String(name).toLowerCase() === "style";
  }

  async function renderWithinPolicy(id, text) {
    var nonce = pageNonce();
    var original = {
      setAttribute: Element.prototype.setAttribute,
      setAttributeNS: Element.prototype.setAttributeNS,
      createElement: Document.prototype.createElement,
      createElementNS: Document.prototype.createElementNS,
      parseFromString: DOMParser.prototype.parseFromString,
    };
    Element.prototype.setAttribute = function (name, value) {
      if (isStyle(name)) { this.style.cssText = value; return; }
      return original.setAttribute.call(this, name, value);
    };
    Element.prototype.setAttributeNS = function (ns, name, value) {
      if (isStyle(name)) { this.style.cssText = value; return; }
      return original.setAttributeNS.call(this, ns, name, value);
    };
    Document.prototype.createElement = function (name) {
      var el = original.createElement.apply(this, arguments);
      if (isStyle(name)) el.nonce = nonce;
      return el;
    };
    Document.prototype.createElementNS = function (ns, name) {
      var el = original.createElementNS.apply(this, arguments);
      if (isStyle(name)) el.nonce = nonce;
      return el;
    };
    DOMParser.prototype.parseFromString = function (markup, type) {
      var doc = original.parseFromString.call(this, parkStyles(markup, nonce), type);
      restoreStyles(doc);
      return doc;
    };
    try {
      return await window.mermaid.render(id, text);
    } finally {
      Element.prototype.setAttribute = original.setAttribute;
      Element.prototype.setAttributeNS = original.setAttributeNS;
      Document.prototype.createElement = original.createElement;
      Document.prototype.createElementNS = original.createElementNS;
      DOMParser.prototype.parseFromString = original.parseFromString;
    }
  }

  function insertSvg(container, svgMarkup) {
    var doc = new DOMParser().parseFromString(parkStyles(svgMarkup, pageNonce()), "text/html");
    var svg = document.importNode(doc.body.querySelector("svg"), true);
    restoreStyles(svg);
    // On a phone the chart is drawn at its own size and panned, not shrunk until unreadable (reviews.css).
    var box = svg.viewBox && svg.viewBox.baseVal;
    if (box && box.width) svg.style.setProperty("--natural-width", Math.ceil(box.width) + "px");
    container.replaceChildren(svg);
    markClickableNodes(svg);
  }

  // --- A factor's node in the drawing opens the same "Add a cause / Add an effect" as its row in the list.

  function factorIdOf(node) {
    var match = /(?:^|-)f(\d+)-\d+$/.exec(node.id || "");
    return match ? match[1] : null;
  }

  function markClickableNodes(svg) {
    svg.querySelectorAll("g.node").forEach(function (node) {
      var id = factorIdOf(node);
      if (id && document.querySelector('.relate-button[data-factor="' + id + '"]')) node.classList.add("is-clickable");
    });
  }

  function closeNodeMenu() {
    var menu = document.querySelector(".node-menu");
    if (menu) menu.remove();
  }

  function openNodeMenu(node, event) {
    closeNodeMenu();
    var id = factorIdOf(node);
    var figure = node.closest("[data-causal-chart]");
    var buttons = document.querySelectorAll('.relate-button[data-factor="' + id + '"]');
    if (!id || !figure || !buttons.length) return;
    var row = document.getElementById("factor-" + id);
    var name = row ? row.querySelector(".factor-description").textContent : "";
    var menu = document.createElement("div");
    menu.className = "node-menu";
    menu.setAttribute("role", "group");
    menu.setAttribute("aria-label", name);
    var title = document.createElement("p");
    title.className = "node-menu-title";
    title.textContent = name;
    menu.appendChild(title);
    buttons.forEach(function (original) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "button small-button";
      button.textContent = original.textContent;
      button.setAttribute("aria-label", original.getAttribute("aria-label"));
      button.addEventListener("click", function () {
        closeNodeMenu();
        original.click();
      });
      menu.appendChild(button);
    });
    var place = figure.getBoundingClientRect();
    menu.style.left = Math.max(0, Math.min(event.clientX - place.left, place.width - 220)) + "px";
    menu.style.top = (event.clientY - place.top + 8) + "px";
    figure.appendChild(menu);
    menu.querySelector("button").focus();
  }

  document.addEventListener("click", function (event) {
    var node = event.target.closest && event.target.closest("[data-causal-chart] g.node.is-clickable");
    if (node) { openNodeMenu(node, event); return; }
    if (!event.target.closest || !event.target.closest(".node-menu")) closeNodeMenu();
  });

  // --- The one-step "add a cause / an effect" form under a factor.

  function closeRelateForms(except) {
    document.querySelectorAll(".relate-slot").forEach(function (slot) {
      if (slot !== except) slot.replaceChildren();
    });
  }

  document.addEventListener("htmx:beforeRequest", function (event) {
    var target = event.detail.target;
    if (target && target.classList && target.classList.contains("relate-slot")) closeRelateForms(target);
  });
  document.addEventListener("htmx:afterSettle", function (event) {
    var target = event.detail.target;
    if (!target || !target.classList || !target.classList.contains("relate-slot")) return;
    var field = target.querySelector("input[name=description]");
    if (field) field.focus();
  });

  function cancelRelate(form) {
    var factor = form.getAttribute("data-factor");
    var direction = form.getAttribute("data-direction");
    var slot = form.closest(".relate-slot");
    if (slot) slot.replaceChildren();
    var button = document.querySelector('.relate-button[data-factor="' + factor + '"][data-relate="' + direction + '"]');
    if (button) button.focus();
  }

  document.addEventListener("click", function (event) {
    var cancel = event.target.closest && event.target.closest("[data-relate-cancel]");
    if (!cancel) return;
    event.preventDefault();
    cancelRelate(cancel.closest(".relate-form"));
  });
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    if (document.querySelector(".node-menu")) { closeNodeMenu(); return; }
    var form = event.target.closest && event.target.closest(".relate-form");
    if (form) cancelRelate(form);
  });

  var counter = 0;
  var queue = Promise.resolve();

  function drawChart(figure) {
    var source = figure.querySelector(".mermaid-source");
    var target = figure.querySelector(".chart-canvas");
    if (!source || !target) return;
    var text = source.textContent;
    if (!text.trim()) return;
    counter += 1;
    var id = "causal-chart-" + counter;
    // Mermaid renders one chart at a time.
    queue = queue.then(async function () {
      try {
        var result = await renderWithinPolicy(id, text);
        insertSvg(target, result.svg);
        figure.dataset.rendered = "true";
      } catch (error) {
        target.textContent = "The chart could not be drawn: " + (error && error.message ? error.message : error);
        figure.dataset.rendered = "error";
      } finally {
        var leftover = document.getElementById("d" + id);
        if (leftover) leftover.remove();
      }
    });
    return queue;
  }

  function drawAll(root) {
    if (!window.mermaid) return;
    (root || document).querySelectorAll("[data-causal-chart]:not([data-rendered])").forEach(function (figure) {
      figure.dataset.rendered = "pending";
      drawChart(figure);
    });
  }

  window.hindsightCharts = { draw: drawAll, parse: function (text) { return window.mermaid.parse(text); } };

  document.addEventListener("DOMContentLoaded", function () {
    if (!window.mermaid) return;
    window.mermaid.initialize({
      startOnLoad: false,
      securityLevel: "strict",
      theme: "base",
      themeVariables: { fontFamily: "system-ui, -apple-system, Segoe UI, Roboto, sans-serif", fontSize: "14px" },
      flowchart: { useMaxWidth: true, htmlLabels: true, wrappingWidth: 180 },
    });
    drawAll(document);
  });
  document.addEventListener("htmx:afterSettle", function () {
    drawAll(document);
  });
})();
