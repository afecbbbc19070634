// A running bulk job's page: follows its progress (#job[data-job], status labels in the
// #job-labels JSON block) and reloads the page, with its results, when it is done.
"use strict";
(() => {
  const job = document.getElementById("job");
  if (!job || job.dataset.status === "DONE") return;
  const id = job.dataset.job, labels = JSON.parse(document.getElementById("job-labels").textContent);
  const bar = document.querySelector(".progress[data-job]"), done = bar.querySelector(".done");
  const failed = bar.querySelector(".failed");
  const n = (x) => x.toLocaleString("ko-KR");
  function tick() {
    fetch(`/api/admin/bulk-jobs/${encodeURIComponent(id)}`,
          {credentials: "same-origin", headers: {accept: "application/json"}})
      .then((r) => (r.ok ? r.json() : null)).then((j) => {
        if (!j) { setTimeout(tick, 1000); return; }
        const p = j.done + j.failed, tot = j.total || 1;
        document.getElementById("job-processed").textContent = n(p);
        document.getElementById("job-total").textContent = n(j.total);
        document.getElementById("job-done").textContent = n(j.done);
        const f = document.getElementById("job-failed");
        f.textContent = n(j.failed);
        f.classList.toggle("fail-num", j.failed > 0);
        document.getElementById("job-percent").textContent = `${Math.floor(p * 100 / tot)}%`;
        done.style.width = `${j.done * 100 / tot}%`;
        failed.style.width = `${j.failed * 100 / tot}%`;
        bar.setAttribute("aria-valuenow", p);
        const st = document.querySelector("#job-status .jstatus");
        st.className = `jstatus ${j.status}`;
        st.textContent = labels[j.status] || j.status;
        document.getElementById("job-status").dataset.status = j.status;
        if (j.status === "DONE") { setTimeout(() => location.reload(), 400); return; }
        setTimeout(tick, 500);
      }).catch(() => setTimeout(tick, 1000));
  }
  setTimeout(tick, 500);
})();
