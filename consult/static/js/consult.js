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

    // Character counters for fields with a maximum length.
    document.querySelectorAll("[data-counter]").forEach(function (field) {
      var out = document.getElementById(field.getAttribute("data-counter"));
      var max = parseInt(field.getAttribute("maxlength") || field.getAttribute("data-maxlength") || "0", 10);
      if (!out || !max) { return; }
      var template = out.getAttribute("data-template") || "%(left)s / %(max)s";
      var overTemplate = out.getAttribute("data-template-over") || template;
      function update() {
        var left = max - field.value.length;
        if (left < 0) {  // "1.234 tekens te veel", not "Nog -1234 van 2000 tekens over"
          out.textContent = overTemplate.replace("%(over)s", (-left).toLocaleString(document.documentElement.lang || undefined));
        } else {
          out.textContent = template.replace("%(left)s", String(left)).replace("%(max)s", String(max));
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
