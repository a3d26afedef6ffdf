// The draft editor: the preview follows the text (debounced), through the form's own
// "Xem trước" button (its target is the preview frame); "Chèn" puts a figure at the cursor.
(() => {
  const form = document.querySelector("form[data-draft-editor]");
  if (!form) return;
  const button = form.querySelector("button[data-preview]");
  const body = form.querySelector("textarea[name=body]");
  const frame = document.getElementById("preview");
  let timer = null;
  const refresh = () => form.requestSubmit(button);
  form.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(refresh, 500);
  });
  if (frame && !frame.getAttribute("src")) refresh();
  document.querySelectorAll("button[data-insert]").forEach((item) => {
    item.addEventListener("click", () => {
      const text = item.dataset.insert;
      const start = body.selectionStart;
      body.setRangeText(text, start, body.selectionEnd, "end");
      body.focus();
      body.dispatchEvent(new Event("input", { bubbles: true }));
    });
  });
})();
