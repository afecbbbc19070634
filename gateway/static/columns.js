// The order list's column editor: ↑/↓ move a column, unticking one greys it out.
"use strict";
(() => {
  const list = document.getElementById("col-list");
  if (!list) return;
  list.addEventListener("click", (e) => {
    const b = e.target.closest("button");
    if (!b) return;
    const li = b.closest("li");
    if (b.classList.contains("col-up") && li.previousElementSibling) list.insertBefore(li, li.previousElementSibling);
    if (b.classList.contains("col-down") && li.nextElementSibling) list.insertBefore(li.nextElementSibling, li);
    b.focus();
  });
  list.addEventListener("change", (e) => {
    const li = e.target.closest("li");
    if (li) li.classList.toggle("off", !e.target.checked);
  });
})();
