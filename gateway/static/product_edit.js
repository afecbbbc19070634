// The product editor: option rows (add, remove, renumber their fields), the value counts and
// the "grid outdated" hint of combination options, sale prices and the stock total of the SKU
// grid, "apply to all", and TEXT independent options having no values (#product-form
// data-text-values-ph is the placeholder then).
"use strict";
(() => {
  const form = document.getElementById("product-form");
  if (!form) return;
  const ko = document.documentElement.lang === "ko";
  function num(v) { v = parseInt(String(v || "").replace(/[^0-9-]/g, ""), 10); return isNaN(v) ? 0 : v; }
  function money(n) { const s = n.toLocaleString("ko-KR"); return ko ? `${s}원` : `₩${s}`; }
  function renumber(rows, fields) {
    document.querySelectorAll(rows).forEach((tr, i) => {
      tr.querySelectorAll(fields).forEach((el) => {
        const b = el.dataset.name || el.name.replace(/_\d+$/, "");
        el.dataset.name = b;
        el.name = `${b}_${i}`;
      });
    });
  }
  function reindex() {
    renumber("#combination-options .co-row", "input");
    renumber("#independent-options .io-row", "input,select");
    const co = document.querySelectorAll("#combination-options .co-row").length;
    document.getElementById("co_count").value = co;
    document.getElementById("io_count").value = document.querySelectorAll("#independent-options .io-row").length;
    document.getElementById("add-combination").disabled = co >= 3;
  }
  const snapshot = () => [...document.querySelectorAll("#combination-options input")].map((i) => i.value.trim()).join("|");
  const initial = snapshot();
  function combos() {
    document.querySelectorAll("#combination-options .co-row").forEach((tr) => {
      const vals = tr.querySelectorAll("input")[1].value.split(",").map((x) => x.trim()).filter(Boolean);
      tr.querySelector(".count-hint").textContent = vals.length ? vals.length + (ko ? "개 값" : " values") : "";
    });
    const outdated = snapshot() !== initial;
    document.getElementById("grid-outdated").hidden = !outdated;
    document.getElementById("save-hint").hidden = !outdated;
  }
  function prices() {
    const base = num(document.getElementById("base_price").value);
    let total = 0;
    document.querySelectorAll("#sku-grid .sku-row").forEach((tr) => {
      tr.querySelector(".price").textContent = money(base + num(tr.querySelector(".delta").value));
      const st = tr.querySelector(".stock"), seen = tr.querySelector(".seen");
      total += num(st.value);
      tr.classList.toggle("changed", !!seen && String(num(st.value)) !== String(num(seen.value)));
    });
    document.getElementById("side-stock").textContent = total.toLocaleString("ko-KR");
  }
  function add(tbodySel, tplId) {
    const tb = document.querySelector(tbodySel);
    const row = document.getElementById(tplId).content.firstElementChild.cloneNode(true);
    tb.appendChild(row);
    reindex();
    row.querySelector("input").focus();
    combos();
  }
  document.getElementById("add-combination").addEventListener("click", () => add("#combination-options tbody", "co-template"));
  document.getElementById("add-independent").addEventListener("click", () => add("#independent-options tbody", "io-template"));
  form.addEventListener("click", (e) => {
    const b = e.target.closest(".del-row");
    if (b) { b.closest("tr").remove(); reindex(); combos(); }
  });
  form.addEventListener("input", (e) => {
    if (e.target.closest("#combination-options")) combos();
    prices();
  });
  form.addEventListener("change", (e) => {
    if (e.target.dataset.name !== "io_kind" && !/^io_kind_/.test(e.target.name)) return;
    const v = e.target.closest("tr").querySelector(".io-values"), txt = e.target.value === "TEXT";
    v.disabled = txt;
    v.placeholder = txt ? form.dataset.textValuesPh : "";
    if (txt) v.value = "";
  });
  document.getElementById("apply-all").addEventListener("click", () => {
    const d = document.getElementById("all-delta").value.trim(), s = document.getElementById("all-stock").value.trim();
    document.querySelectorAll("#sku-grid .sku-row").forEach((tr) => {
      if (d !== "") tr.querySelector(".delta").value = num(d);
      if (s !== "") tr.querySelector(".stock").value = num(s);
    });
    prices();
  });
  form.addEventListener("submit", reindex);
  reindex();
  combos();
  prices();
})();
