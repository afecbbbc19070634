// An invoice upload's report while its bulk jobs run: follows each job's progress
// (.job-line[data-job]) and reloads the page when every job is done.
"use strict";
(() => {
  const summary = document.getElementById("upload-summary");
  if (!summary || summary.dataset.finished === "yes") return;
  const ids = [...document.querySelectorAll(".job-line[data-job]")].map((e) => e.dataset.job);
  function tick() {
    Promise.all(ids.map((id) => fetch(`/api/admin/bulk-jobs/${encodeURIComponent(id)}`,
                                      {credentials: "same-origin"}).then((r) => r.json())))
      .then((js) => {
        js.forEach((j) => {
          const line = document.querySelector(`.job-line[data-job="${CSS.escape(j.job_id)}"]`);
          const tot = j.total || 1;
          line.querySelector(".progress .done").style.width = `${j.done * 100 / tot}%`;
          line.querySelector(".progress .failed").style.width = `${j.failed * 100 / tot}%`;
          line.querySelector(".tnum").textContent = `${j.done + j.failed}/${j.total}`;
        });
        if (js.every((j) => j.status === "DONE")) { location.reload(); return; }
        setTimeout(tick, 500);
      }).catch(() => setTimeout(tick, 1000));
  }
  setTimeout(tick, 500);
})();
