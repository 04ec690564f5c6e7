// nnbook: the site's own script (loaded, deferred, by _ext/nnbook_site.py on every page).
// The colour-mode button's name follows the mode. Figures open full size when tapped or
// clicked (phones shrink a 1,000 px figure to a third), in a dialog that scrolls both ways;
// the close button, Escape or a tap outside close it.
(function () {
  "use strict";
  // The colour-mode button says which mode it is in ("Color mode: Dark"): its icons are
  // hidden from assistive technology (templates/theme-switcher.html).
  var MODES = {light: "Light", dark: "Dark", auto: "System Settings"};
  function nameModeButtons() {
    var mode = MODES[document.documentElement.dataset.mode];
    document.querySelectorAll(".theme-switch-button").forEach(function (button) {
      button.setAttribute("aria-label", mode ? "Color mode: " + mode : "Color mode");
    });
  }
  nameModeButtons();
  new MutationObserver(nameModeButtons).observe(document.documentElement, {attributeFilter: ["data-mode"]});

  function setup() {
    var images = document.querySelectorAll(
      "article .cell_output img, article .nnbook-demo-frame img, article figure img");
    if (!images.length) return;
    var dialog = document.createElement("dialog");
    dialog.className = "nnbook-zoom";
    dialog.setAttribute("aria-label", "Figure at full size");
    dialog.innerHTML = '<div class="nnbook-zoom-bar"><button type="button" class="nnbook-zoom-close">' +
      "Close full-size figure</button></div>" + '<div class="nnbook-zoom-body"><img alt=""></div>';
    document.body.appendChild(dialog);
    var big = dialog.querySelector("img");
    var close = function () { if (dialog.open) dialog.close(); };
    dialog.querySelector("button").addEventListener("click", close);
    dialog.addEventListener("click", function (event) { if (event.target === dialog) close(); });
    dialog.addEventListener("keydown", function (event) {
      if (event.key === "Escape") { event.preventDefault(); event.stopPropagation(); close(); }
    });
    var open = function (img) {
      big.src = img.currentSrc || img.src;
      big.alt = img.alt;
      dialog.showModal();
      dialog.querySelector("button").focus();
    };
    images.forEach(function (img) {
      img.classList.add("nnbook-zoomable");
      img.tabIndex = 0;
      img.title = "Open the figure at full size";
      img.addEventListener("click", function () { open(img); });
      img.addEventListener("keydown", function (event) {
        if (event.key === "Enter" || event.key === " ") { event.preventDefault(); open(img); }
      });
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setup);
  else setup();
})();
