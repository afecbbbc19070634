// A product page's buy box: the chosen option's price, the line amount and its low-stock note.
"use strict";
(() => {
  const sku = document.getElementById("sku"), qty = document.getElementById("qty");
  const out = document.getElementById("line-total");
  if (!sku || !qty || !out) return;
  const ko = document.documentElement.lang === "ko";
  function money(n) { const s = n.toLocaleString("ko-KR"); return ko ? `${s}원` : `₩${s}`; }
  function update() {
    const o = sku.options[sku.selectedIndex];
    if (!o) { out.textContent = ""; return; }
    const max = parseInt(o.dataset.available, 10);
    if (max > 0) qty.max = Math.min(999, max);
    const q = Math.max(1, parseInt(qty.value, 10) || 1);
    out.textContent = money(parseInt(o.dataset.price, 10) * q);
    document.getElementById("price").textContent = money(parseInt(o.dataset.price, 10));
    document.getElementById("stock-note").textContent = o.dataset.low || "";
  }
  sku.addEventListener("change", update);
  qty.addEventListener("input", update);
  update();
})();
