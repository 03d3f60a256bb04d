import { initAll } from "../build/govuk/govuk-frontend.min.js";

initAll();

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
