// An element that ends at the window's bottom edge (its page's bottom
// padding kept), however tall what is above it is (controls that wrap at a
// narrow window, a lab's bar), so a log's newest line or a terminal's last
// row is in sight; at least 18rem. Measured as if the page were not
// scrolled, again on each resize and when the action's argument changes.

function edgeHeight(el: HTMLElement): number {
  const page = el.closest("main");
  const pad = page ? parseFloat(getComputedStyle(page).paddingBottom) || 0 : 0;
  const rem = parseFloat(getComputedStyle(document.documentElement).fontSize) || 16;
  const top = el.getBoundingClientRect().top + (page?.scrollTop ?? 0);
  return Math.max(18 * rem, Math.floor(window.innerHeight - top - pad));
}

/** A Svelte action: `use:toWindowEdge={what}`, `what` being anything
 *  above the element that changes its place. */
export function toWindowEdge(el: HTMLElement, what?: unknown) {
  void what; // only its changes matter: each calls `update`
  const fit = () => {
    el.style.height = `${edgeHeight(el)}px`;
  };
  fit();
  window.addEventListener("resize", fit);
  return {
    update: fit,
    destroy: () => window.removeEventListener("resize", fit),
  };
}
