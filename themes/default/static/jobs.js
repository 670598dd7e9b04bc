// The jobs index: a box that hides the rows without all of the typed words. The pre-rendered
// views per state and per release work without it; this only narrows the list in place.
"use strict";
(function () {
  const box = document.getElementById("job-filter");
  const table = document.querySelector("table.jobs");
  const count = document.getElementById("job-count");
  if (!box || !table || !count) return;
  const rows = Array.from(table.tBodies[0].rows).filter((row) => row.dataset.state);
  const texts = rows.map((row) => row.textContent.toLowerCase().replace(/\s+/g, " "));
  const total = count.textContent;
  box.closest("[hidden]")?.removeAttribute("hidden");

  function apply() {
    const words = box.value.toLowerCase().split(/\s+/).filter(Boolean);
    let shown = 0;
    rows.forEach((row, i) => {
      const match = words.every((word) => texts[i].includes(word));
      row.hidden = !match;
      if (match) shown += 1;
    });
    count.textContent = words.length === 0
      ? total
      : shown + " of " + rows.length + " requests match “" + box.value.trim() + "”.";
  }
  box.addEventListener("input", apply);
  if (box.value) apply();
})();
