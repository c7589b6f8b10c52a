// The idle warning: the server ends a session after data-idle-timeout seconds without a
// request; this shows a notice data-idle-warning seconds before, with a button that counts
// as activity, and goes to the login page once the time is up.
(() => {
  const box = document.getElementById("idle-warning");
  if (!box) return;
  const timeout = Number(box.dataset.idleTimeout) * 1000;
  const warning = Number(box.dataset.idleWarning) * 1000;
  let last = Date.now();
  const reset = () => { last = Date.now(); box.hidden = true; };
  document.body.addEventListener("htmx:afterRequest", reset);
  box.querySelector("form").addEventListener("submit", (event) => {
    event.preventDefault();
    const form = event.target;
    fetch(form.action, { method: "POST", body: new FormData(form), credentials: "same-origin" })
      .then((response) => { if (response.ok) reset(); else window.location.assign(box.dataset.loginUrl); });
  });
  setInterval(() => {
    const idle = Date.now() - last;
    if (idle >= timeout) window.location.assign(box.dataset.loginUrl);
    else if (idle >= timeout - warning) box.hidden = false;
  }, 15000);
})();
