// Live progress of a scan: poll its status JSON and update the stage; reload once it is done.
(function () {
  "use strict";
  var box = document.getElementById("scan-progress");
  if (!box) return;
  var words = { queued: "Queued", cloning: "Cloning", scoring: "Scoring", done: "Done", failed: "Failed" };
  var order = ["queued", "cloning", "scoring", "done"];
  var stateEl = box.querySelector("[data-role=state]");
  var errorEl = box.querySelector("[data-role=error]");

  function show(state, error) {
    box.dataset.state = state;
    stateEl.textContent = words[state] || state;
    stateEl.className = "state state-" + state;
    var reached = order.indexOf(state);
    box.querySelectorAll("[data-stage]").forEach(function (li, i) {
      li.classList.toggle("reached", reached >= 0 && i <= reached);
      if (li.dataset.stage === state) li.setAttribute("aria-current", "step");
      else li.removeAttribute("aria-current");
    });
    if (error) { errorEl.textContent = error; errorEl.hidden = false; }
  }

  function poll() {
    fetch(box.dataset.statusUrl, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
      .then(function (scan) {
        show(scan.state, scan.error);
        if (scan.state === "done") window.location.reload();
        else if (scan.state !== "failed") setTimeout(poll, 1500);
      })
      .catch(function () { setTimeout(poll, 5000); });  // a blip in the network: keep trying, slower
  }

  show(box.dataset.state, null);
  if (box.dataset.state !== "done" && box.dataset.state !== "failed") setTimeout(poll, 1000);
})();
