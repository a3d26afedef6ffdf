// Small helpers without any external library: table rows added and removed, the sub-counts of
// the chosen metric, a confirmation before voiding.
document.addEventListener("submit", (event) => {
  const form = event.target;
  const kind = form.querySelector("select[name=kind]");
  if (kind && kind.value === "record.voided" && !window.confirm("Hủy bản ghi này? Thao tác được lưu vĩnh viễn.")) {
    event.preventDefault();
  }
});

document.addEventListener("click", (event) => {
  const button = event.target.closest("button.add-row, button.remove-row");
  if (!button) return;
  const set = button.closest("fieldset.rows");
  const body = set.querySelector("tbody");
  if (button.classList.contains("remove-row")) {
    const row = button.closest("tr");
    row.querySelectorAll("input").forEach((input) => { input.value = ""; });
    if (body.rows.length > 1) row.remove();
    return;
  }
  const name = set.dataset.name;
  const last = body.rows[body.rows.length - 1];
  const copy = last.cloneNode(true);
  const used = Array.from(body.querySelectorAll("input")).map((i) => Number(i.name.split("-")[1]));
  const next = Math.max(-1, ...used) + 1;
  copy.querySelectorAll("input").forEach((input) => {
    const key = input.name.split("-").slice(2).join("-");
    input.name = `${name}-${next}-${key}`;
    input.value = "";
  });
  body.appendChild(copy);
  copy.querySelector("input").focus();
});

function showSubcounts() {
  const metric = document.querySelector("select[name=metric]");
  if (!metric) return;
  document.querySelectorAll(".subcount-group").forEach((group) => {
    group.hidden = group.dataset.metric !== metric.value;
  });
  const set = document.querySelector("fieldset.subcounts");
  if (set) set.hidden = !document.querySelector(`.subcount-group[data-metric="${CSS.escape(metric.value)}"]`);
}
document.addEventListener("change", (event) => {
  if (event.target.matches("select[name=metric]")) showSubcounts();
});
document.addEventListener("DOMContentLoaded", showSubcounts);

// "Quay lại": the page the user came from, when it is a page of this site (the page itself is
// the same for everyone, so it is kept whole on the server).
document.addEventListener("DOMContentLoaded", () => {
  const link = document.querySelector("a[data-back]");
  if (!link || !document.referrer) return;
  const from = new URL(document.referrer);
  if (from.origin !== window.location.origin || from.href === window.location.href) return;
  link.href = from.pathname + from.search;
  link.parentElement.hidden = false;
});

// The report page's document frame: as tall as the document it shows (same origin), so the
// page scrolls once, not the frame inside it.
document.querySelectorAll("iframe.document").forEach((frame) => {
  const fit = () => {
    try {
      const root = frame.contentDocument && frame.contentDocument.documentElement;
      if (root && root.scrollHeight) frame.style.height = `${root.scrollHeight + 24}px`;
    } catch (error) {
      // another origin: the frame keeps its height from the style sheet
    }
  };
  frame.addEventListener("load", fit);
  fit();
});
