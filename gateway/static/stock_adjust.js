// The stock adjustment form of /admin/stock/<sku>: previews the available count after the change
// (the count the page was rendered with is the form's expected_available).
"use strict";
(() => {
  const f = document.getElementById("adjust-form");
  if (!f) return;
  const cur = parseInt(f.expected_available.value, 10);
  function upd() {
    const m = f.querySelector("input[name=mode]:checked").value, q = parseInt(f.quantity.value, 10);
    const el = document.getElementById("adj-after");
    if (isNaN(q)) { el.textContent = cur; el.style.color = ""; return; }
    const a = m === "add" ? cur + q : m === "remove" ? cur - q : q;
    el.textContent = a;
    el.style.color = a < 0 ? "#c42b2b" : "";
    if (m === "set" && f.reason_code.value === "RECEIVED") f.reason_code.value = "COUNT";
  }
  f.addEventListener("input", upd);
  f.addEventListener("change", upd);
})();
