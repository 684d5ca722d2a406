// The header search box: `/` focuses it; arrow keys move through the quick results, Enter opens one.
(function () {
  "use strict";
  function box() { return document.getElementById("quick-results"); }
  function input() { return document.getElementById("header-q"); }
  function options() { return Array.from(box().querySelectorAll("li[role=option], li.quick-all")); }
  function select(index) {
    var items = options();
    items.forEach(function (item, i) { item.setAttribute("aria-selected", i === index ? "true" : "false"); });
    if (items[index]) {
      if (items[index].id) input().setAttribute("aria-activedescendant", items[index].id);
      items[index].scrollIntoView({ block: "nearest" });
    }
  }
  function selected() {
    return options().findIndex(function (item) { return item.getAttribute("aria-selected") === "true"; });
  }
  function close() {
    if (box()) box().innerHTML = "";
    if (input()) { input().setAttribute("aria-expanded", "false"); input().removeAttribute("aria-activedescendant"); }
  }

  document.addEventListener("keydown", function (event) {
    var field = input();
    if (!field) return;
    var typing = event.target.closest("input, textarea, select, [contenteditable]");
    if (event.key === "/" && !typing && !event.ctrlKey && !event.metaKey && !event.altKey) {
      event.preventDefault();
      field.focus();
      field.select();
      return;
    }
    if (event.target !== field) return;
    var count = options().length;
    if (event.key === "ArrowDown" && count) {
      event.preventDefault();
      select((selected() + 1) % count);
    } else if (event.key === "ArrowUp" && count) {
      event.preventDefault();
      select(selected() <= 0 ? count - 1 : selected() - 1);
    } else if (event.key === "Enter" && selected() >= 0) {
      event.preventDefault();
      var link = options()[selected()].querySelector("a");
      if (link) window.location.assign(link.href);
    } else if (event.key === "Escape") {
      close();
    }
  });

  document.addEventListener("htmx:afterSwap", function (event) {
    if (event.target === box()) input().setAttribute("aria-expanded", box().children.length ? "true" : "false");
  });
  document.addEventListener("click", function (event) {
    if (box() && !event.target.closest(".header-search")) close();
  });
})();
