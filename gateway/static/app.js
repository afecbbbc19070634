// Page behaviour shared by every gateway page, wired by data- attributes (no inline handlers,
// so the Content-Security-Policy can forbid inline script).
//   data-row-href="/x"  a table row that opens /x when clicked outside its own links and controls
//                       (a cell holding a control, e.g. a row's checkbox, counts as the control)
//   data-confirm="..."  a form (on submit) or button (on click) that asks first
//   data-autosubmit     a select that submits its form when changed
//   data-sortdir        a select of "field:dir" that fills the form's sort and dir, then submits
"use strict";
document.addEventListener("click", (event) => {
  const button = event.target.closest("button[data-confirm], input[data-confirm]");
  if (button && !window.confirm(button.dataset.confirm)) {
    event.preventDefault();
    return;
  }
  const row = event.target.closest("[data-row-href]");
  if (!row || event.target.closest("a, button, input, select, textarea, label")) return;
  const cell = event.target.closest("td, th");
  if (cell && row.contains(cell) && cell.querySelector("button, input, select, textarea")) return;
  window.location = row.dataset.rowHref;
});
document.addEventListener("submit", (event) => {
  const form = event.target;
  if (form.matches("form[data-confirm]") && !window.confirm(form.dataset.confirm)) {
    event.preventDefault();
  }
});
document.addEventListener("change", (event) => {
  const select = event.target;
  if (select.matches("select[data-sortdir]")) {
    const [sort, dir] = select.value.split(":");
    select.form.sort.value = sort;
    select.form.dir.value = dir;
    select.form.submit();
  } else if (select.matches("select[data-autosubmit]")) {
    select.form.submit();
  }
});
