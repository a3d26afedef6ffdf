// Small helpers without any external library: table rows added and removed, the sub-counts of
// the chosen metric, a confirmation before voiding.
document.addEventListener("submit", (event) => {
  const form = event.target;
  if (event.submitter && event.submitter.name === "pick") return;  // only showing the fields
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

// A framed official document (the report page, an issue's confirmation, the draft editor's
// preview): laid out at the width of its sheet and scaled down to the frame on a narrow screen,
// as a PDF viewer fits a page; the report page's frame is as tall as its document, so the page
// scrolls once, not the frame inside it.
const SHEET_PX = 680; // the sheet of documents/official (165 mm of text) with a little margin

function fitDocument(frame) {
  let root;
  try {
    root = frame.contentDocument && frame.contentDocument.documentElement;
  } catch (error) {
    return; // another origin: the frame keeps its size from the style sheet
  }
  if (!root || !root.querySelector("body *")) return;
  const zoom = Math.min(1, frame.clientWidth / SHEET_PX);
  root.style.zoom = zoom < 1 ? String(zoom) : "";
  if (frame.classList.contains("document")) {
    // The body's box, as the frame shows it (zoomed); not the root's scroll height, which is
    // never less than the frame itself and would only grow.
    const body = frame.contentDocument.body;
    frame.style.height = `${Math.ceil(body.getBoundingClientRect().bottom) + 24}px`;
  }
}

document.querySelectorAll("iframe.document, iframe#preview, iframe#issue-preview").forEach((frame) => {
  frame.addEventListener("load", () => fitDocument(frame));
  fitDocument(frame);
});
let resizing;
window.addEventListener("resize", () => {
  clearTimeout(resizing);
  resizing = setTimeout(() => {
    document.querySelectorAll("iframe.document, iframe#preview, iframe#issue-preview").forEach(fitDocument);
  }, 150);
});

// The correction form: picking the record shows its fields to correct at once (the button
// "Hiện các trường để sửa" does the same without script).
document.addEventListener("change", (event) => {
  if (event.target.id !== "f-target") return;
  const pick = document.getElementById("f-target-pick");
  if (pick) pick.click();
});
