import { initAll } from "../build/govuk/govuk-frontend.min.js";

initAll();

// A stacked record table is display: block on a phone, and some browsers then stop reading it
// as a table: name each part's role so screen readers keep rows, headers and cells.
const TABLE_ROLES = {
  TABLE: "table", THEAD: "rowgroup", TBODY: "rowgroup", TFOOT: "rowgroup", TR: "row", TD: "cell",
};
for (const table of document.querySelectorAll(".portal-table--stack")) {
  for (const part of [table, ...table.querySelectorAll("thead, tbody, tfoot, tr, th, td")]) {
    const role = part.tagName === "TH"
      ? (part.getAttribute("scope") === "row" ? "rowheader" : "columnheader")
      : TABLE_ROLES[part.tagName];
    part.setAttribute("role", role);
  }
}

// A wide table's "Scroll sideways" cue shows only while its table is wider than the screen.
// Without the script the cue shows on every narrow screen.
const scrollers = document.querySelectorAll(".portal-table-scroll");
function markTheTablesThatFit() {
  for (const scroller of scrollers) {
    const region = scroller.querySelector(".portal-table-scroll__region");
    // A pixel over is visually hidden text at the last column's edge, not a hidden column.
    const fits = region.scrollWidth <= region.clientWidth + 1;
    scroller.classList.toggle("portal-table-scroll--fits", fits);
  }
}
if (scrollers.length) {
  markTheTablesThatFit();
  window.addEventListener("resize", markTheTablesThatFit);
}

// A name box (data-names-url) suggests the names that contain what the reader has typed, in
// its <datalist>. Without the script the box still filters by any part of a name.
for (const input of document.querySelectorAll("input[data-names-url]")) {
  const list = document.getElementById(input.getAttribute("list"));
  let asked = "";
  input.addEventListener("input", async () => {
    const text = input.value.trim();
    if (!list || text.length < 2 || text === asked) return;
    asked = text;
    try {
      const response = await fetch(`${input.dataset.namesUrl}&q=${encodeURIComponent(text)}`);
      if (!response.ok || asked !== text) return;
      const { names } = await response.json();
      list.replaceChildren(...names.map((name) => new Option(name)));
    } catch {
      // no suggestions this time: the box works without them
    }
  });
}

// A paper being published in the background: its page follows the request and loads the new
// revision when it is ready. Without the script the page says to refresh it.
const publishing = document.querySelector("[data-publishing-status-url]");
if (publishing) {
  const state = publishing.querySelector("[data-publishing-state]");
  const follow = async () => {
    try {
      const response = await fetch(publishing.dataset.publishingStatusUrl, {
        headers: { Accept: "application/json" },
      });
      if (response.ok) {
        const status = await response.json();
        if (status.finished) {
          state.textContent = `${status.label}. Loading the paper…`;
          window.location.reload();
          return;
        }
        const attempt = status.attempts > 1 ? `, attempt ${status.attempts}` : "";
        state.textContent = `${status.label}${attempt}.`;
      }
    } catch {
      // asked again below: a dropped connection is not a failed publish
    }
    setTimeout(follow, 2000);
  };
  setTimeout(follow, 2000);
}
