/* Type-ahead in open dropdowns (issue 17.7).
 *
 * Dash 4's dropdown searches when letters are typed on the CLOSED dropdown, but once the list is
 * open (Enter or ArrowDown moves the focus onto an option) typed letters went nowhere. Here a
 * printable key pressed on an open list goes into the list's search field, so "Nid" finds
 * Nideggen either way; Enter in the search field picks the first match (Dash's own behaviour).
 */
(function () {
  "use strict";
  var setValue = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, "value").set;
  document.addEventListener(
    "keydown",
    function (e) {
      if (!e.key || e.key.length !== 1 || e.ctrlKey || e.metaKey || e.altKey) { return; }
      var content = e.target && e.target.closest ? e.target.closest(".dash-dropdown-content") : null;
      if (!content) { return; }
      var search = content.querySelector("input.dash-dropdown-search");
      if (!search || e.target === search) { return; }
      e.preventDefault();
      e.stopPropagation();
      search.focus();
      setValue.call(search, search.value + e.key); // React listens to "input" events
      search.dispatchEvent(new Event("input", { bubbles: true }));
    },
    true
  );
})();
