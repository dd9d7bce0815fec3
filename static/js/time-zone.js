// Preselect the browser's time zone in a time-zone select that still shows the default.
// Progressive enhancement: without JavaScript the select works as rendered.
(function () {
  "use strict";
  var zone;
  try {
    zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  } catch (error) {
    return;
  }
  if (!zone) {
    return;
  }
  document.querySelectorAll("select[data-browser-time-zone]").forEach(function (select) {
    var selected = select.options[select.selectedIndex];
    // Only while the field still has the value it was rendered with (the default).
    if (!selected || !selected.defaultSelected) {
      return;
    }
    for (var i = 0; i < select.options.length; i += 1) {
      if (select.options[i].value === zone) {
        select.value = zone;
        return;
      }
    }
  });
})();
