// Keyboard shortcuts of the review queue: t = Terima, x = Tolak, b = Bukan orang yang sama,
// j = next, k = previous, u = undo the last decision. Each key clicks the element carrying data-key inside the review panel.
(function () {
  "use strict";
  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    var target = event.target;
    if (target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))) return;
    var panel = document.getElementById("review-panel");
    if (!panel) return;
    var element = panel.querySelector('[data-key="' + event.key.toLowerCase() + '"]');
    if (!element) return;
    event.preventDefault();
    element.click();
  });
})();
