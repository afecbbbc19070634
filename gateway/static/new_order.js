// The seller's new order (payment request) form: line and request totals, adding and removing
// lines, and the chosen member's name and phone as the default recipient.
"use strict";
(() => {
  const form = document.getElementById("new-order-form");
  if (!form) return;
  const ko = document.documentElement.lang === "ko", tbody = document.querySelector("#lines tbody");
  function money(n) { const s = Math.abs(n).toLocaleString("ko-KR"); return (n < 0 ? "−" : "") + (ko ? `${s}원` : `₩${s}`); }
  const int = (el) => Math.max(0, parseInt(el.value, 10) || 0);
  function update() {
    let sum = 0;
    tbody.querySelectorAll("tr.line").forEach((tr) => {
      const o = tr.querySelector("select.sku").selectedOptions[0], q = int(tr.querySelector(".qty"));
      const price = o && o.dataset.price ? parseInt(o.dataset.price, 10) : 0;
      tr.querySelector(".line-sum").textContent = price ? money(price * q) : "—";
      sum += price * q;
    });
    document.getElementById("items-total").textContent = money(sum);
    document.getElementById("request-total").textContent =
      money(sum + int(document.getElementById("shipping_fee")) - int(document.getElementById("discount")));
  }
  document.getElementById("add-line").addEventListener("click", () => {
    const tr = tbody.querySelector("tr.line").cloneNode(true);
    tr.querySelector("select.sku").value = "";
    tr.querySelector(".qty").value = 1;
    tbody.appendChild(tr);
    update();
    tr.querySelector("select.sku").focus();
  });
  tbody.addEventListener("click", (e) => {
    if (!e.target.closest(".remove-line")) return;
    if (tbody.querySelectorAll("tr.line").length > 1) { e.target.closest("tr").remove(); update(); }
  });
  form.addEventListener("input", update);
  form.addEventListener("change", update);
  document.getElementById("member_id").addEventListener("change", (e) => {
    const o = e.target.selectedOptions[0];
    if (!o || !o.dataset.name) return;
    const name = document.getElementById("ship_name"), phone = document.getElementById("ship_phone");
    if (!name.value) name.value = o.dataset.name;
    if (!phone.value) phone.value = o.dataset.phone || "";
  });
  update();
})();
