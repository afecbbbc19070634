// The seller's order list: picking rows (or every matching order), the bulk actions with their
// confirmation (#bulk-bar data-confirm-text, "%(n)s" and "%(action)s" filled in), the invoice panel
// of shipping actions, and Enter moving to the next picked row's invoice field.
"use strict";
(() => {
  const form = document.getElementById("bulk-form");
  if (!form) return;
  const picks = [...form.querySelectorAll("input.pick")], all = document.getElementById("pick-all");
  const bar = document.getElementById("bulk-bar"), total = +bar.dataset.total;
  const scope = document.getElementById("scope");
  const count = document.getElementById("sel-count"), offer = document.getElementById("sel-all-offer");
  const on = document.getElementById("sel-all-on");
  const panel = document.getElementById("ship-panel"), action = document.getElementById("bulk-action");
  const btns = [...form.querySelectorAll(".bulk-btn")];
  const n = (x) => x.toLocaleString("ko-KR");
  const chosen = () => picks.filter((p) => p.checked);
  function update() {
    const k = chosen().length;
    picks.forEach((p) => p.closest("tr").classList.toggle("checked", p.checked));
    all.checked = k > 0 && k === picks.length;
    all.indeterminate = k > 0 && k < picks.length;
    if (k < picks.length || k === 0) scope.value = "selected";
    const every = scope.value === "filter";
    count.textContent = n(every ? total : k);
    offer.hidden = every || !(k > 0 && k === picks.length && total > picks.length);
    on.hidden = !every;
    btns.forEach((b) => { b.disabled = (every ? total : k) === 0; });
    if (k === 0 && !every) { panel.hidden = true; form.classList.remove("ship-mode"); }
  }
  picks.forEach((p) => p.addEventListener("change", update));
  all.addEventListener("change", () => { picks.forEach((p) => { p.checked = all.checked; }); update(); });
  document.getElementById("select-matching").addEventListener("click", () => { scope.value = "filter"; update(); });
  document.getElementById("clear-selection").addEventListener("click", () => {
    scope.value = "selected";
    picks.forEach((p) => { p.checked = false; });
    update();
  });
  function run(a, label) {
    const k = scope.value === "filter" ? total : chosen().length;
    const msg = bar.dataset.confirmText.replace("%(n)s", n(k)).replace("%(action)s", label);
    if (!window.confirm(msg)) return;
    action.value = a;
    btns.forEach((b) => { b.disabled = true; });
    form.submit();
  }
  btns.forEach((b) => b.addEventListener("click", () => {
    if (b.dataset.invoice) {
      panel.hidden = false;
      form.classList.add("ship-mode");
      panel.dataset.action = b.dataset.action;
      panel.dataset.label = b.dataset.label;
      document.getElementById("ship-title").textContent = b.dataset.label;
      const first = form.querySelector("tr.checked input.inv");
      if (first) first.focus();
      return;
    }
    run(b.dataset.action, b.dataset.label);
  }));
  document.getElementById("ship-run").addEventListener("click", () => run(panel.dataset.action, panel.dataset.label));
  document.getElementById("ship-cancel").addEventListener("click", () => {
    panel.hidden = true;
    form.classList.remove("ship-mode");
  });
  form.addEventListener("keydown", (e) => {
    if (e.key !== "Enter" || !e.target.classList.contains("inv")) return;
    e.preventDefault();
    const ins = [...form.querySelectorAll("tr.checked input.inv")], i = ins.indexOf(e.target);
    if (i >= 0 && i < ins.length - 1) ins[i + 1].focus();
  });
  update();
})();
