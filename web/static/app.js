// Small helpers without any external library: confirm before issuing or voiding.
document.addEventListener("submit", (event) => {
  const form = event.target;
  const kind = form.querySelector("select[name=kind]");
  if (kind && kind.value === "record.voided" && !window.confirm("Hủy bản ghi này? Thao tác được lưu vĩnh viễn.")) {
    event.preventDefault();
  }
});
