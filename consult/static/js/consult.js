/* Progressive enhancement only: every page works without this file. */
(function () {
  "use strict";
  function onReady(fn) {
    if (document.readyState !== "loading") { fn(); } else { document.addEventListener("DOMContentLoaded", fn); }
  }
  onReady(function () {
    // Move focus to a form's error summary so screen-reader and keyboard users hear it first.
    var summary = document.querySelector("[data-focus-on-load]");
    if (summary) { summary.focus(); }

    // On a phone the main menu folds behind one button (without JavaScript it stays open).
    var menuButton = document.querySelector(".menu-toggle");
    var nav = document.querySelector(".main-nav");
    if (menuButton && nav) {
      menuButton.hidden = false;
      nav.classList.add("has-menu-toggle");
      menuButton.addEventListener("click", function () {
        var open = menuButton.getAttribute("aria-expanded") !== "true";
        menuButton.setAttribute("aria-expanded", open ? "true" : "false");
        nav.classList.toggle("open", open);
      });
    }

    // A table wider than the screen scrolls inside its box: keyboard users must be able
    // to reach and scroll that box too, and screen readers hear it named after the table.
    function labelScrollingTables() {
      document.querySelectorAll(".table-scroll:not([tabindex])").forEach(function (box) {
        if (box.scrollWidth <= box.clientWidth + 1) { return; }
        var caption = box.querySelector("caption");
        box.setAttribute("tabindex", "0");
        box.setAttribute("role", "region");
        if (caption) { box.setAttribute("aria-label", caption.textContent.trim()); }
      });
    }
    labelScrollingTables();
    window.addEventListener("resize", labelScrollingTables);

    // Character counters for fields with a maximum length.
    document.querySelectorAll("[data-counter]").forEach(function (field) {
      var out = document.getElementById(field.getAttribute("data-counter"));
      var max = parseInt(field.getAttribute("maxlength") || field.getAttribute("data-maxlength") || "0", 10);
      if (!out || !max) { return; }
      var template = out.getAttribute("data-template") || "%(left)s / %(max)s";
      var overTemplate = out.getAttribute("data-template-over") || template;
      var pageLang = document.documentElement.lang || undefined;
      function number(n) { return n.toLocaleString(pageLang); }  // nl "1.800", en "1,800"
      function update() {
        var left = max - field.value.length;
        if (left < 0) {  // "1.234 tekens te veel", not "Nog -1234 van 2000 tekens over"
          out.textContent = overTemplate.replace("%(over)s", number(-left));
        } else {
          out.textContent = template.replace("%(left)s", number(left)).replace("%(max)s", number(max));
        }
        out.classList.toggle("over", left < 0);
      }
      field.addEventListener("input", update);
      update();
    });

    // Buttons that ask before doing something that cannot be undone.
    document.querySelectorAll("form[data-confirm]").forEach(function (form) {
      form.addEventListener("submit", function (event) {
        if (!window.confirm(form.getAttribute("data-confirm"))) { event.preventDefault(); }
      });
    });
  });
})();
