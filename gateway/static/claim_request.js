// A claim request (cancel, return, exchange): the refund estimate, asked of #claim-form's
// data-estimate URL whenever the chosen items, reason or fee method change.
"use strict";
(() => {
  const form = document.getElementById("claim-form");
  if (!form || !document.getElementById("estimate")) return;
  const ko = form.dataset.lang !== "en";
  const money = (n) => (ko ? `${n.toLocaleString("ko-KR")}원` : `₩${n.toLocaleString("en-US")}`);
  const set = (id, text) => { const el = document.getElementById(id); if (el) el.textContent = text; };
  let seq = 0;
  async function refresh() {
    const data = new FormData(form), items = [];
    for (const [k, v] of data.entries()) {
      if (!k.startsWith("qty__") || !Number(v)) continue;
      const [, section_id, line_id] = k.split("__");
      items.push({section_id, line_id, quantity: Number(v),
                  new_sku_id: data.get(`new_sku__${section_id}__${line_id}`) || ""});
    }
    const mine = ++seq;
    let q = {items: 0, discount: 0, shipping: 0, difference: 0, fee_deducted: 0, refund: 0, payment: 0, points: 0, due: 0};
    if (items.length) {
      const resp = await fetch(form.dataset.estimate, {method: "POST", headers: {"content-type": "application/json"},
        body: JSON.stringify({kind: data.get("kind"), items, reason_code: data.get("reason_code") || "OTHER",
                              reason: data.get("reason") || "", deduct_fee: (data.get("deduct_fee") || "1") === "1"})});
      if (resp.ok) q = await resp.json();
    }
    if (mine !== seq) return;
    const fee = document.getElementById("fee-box");
    if (fee) fee.hidden = data.get("reason_code") !== "CHANGE_OF_MIND";
    set("e-items", money(q.items));
    for (const k of ["discount", "shipping", "difference", "fee_deducted"]) {
      const row = form.querySelector(`[data-row="${k}"]`);
      row.hidden = !q[k];
      const sign = (k === "discount" || k === "fee_deducted" || q[k] > 0 && k === "difference") ? "−" : "+";
      set(`e-${k}`, `${sign}${money(Math.abs(q[k]))}`);
    }
    set("e-refund", money(q.refund)); set("e-payment", money(q.payment)); set("e-points", money(q.points));
    document.getElementById("e-due").hidden = !q.due;
    set("e-due-amount", money(q.due));
  }
  form.addEventListener("change", refresh);
  refresh();
})();
