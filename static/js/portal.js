// Small behaviours shared by every page; pages work without them.
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-copy]");
  if (!button) return;
  navigator.clipboard.writeText(button.dataset.copy).then(() => {
    const original = button.innerHTML;
    button.innerHTML = button.dataset.copiedLabel || "✓";
    setTimeout(() => { button.innerHTML = original; }, 1500);
  });
});

// Confirm destructive plain forms; htmx requests use hx-confirm instead.
document.addEventListener("submit", (event) => {
  const form = event.target;
  if (window.htmx && form.hasAttribute("hx-confirm")) return; // htmx asked already
  if (form.dataset.confirm && !window.confirm(form.dataset.confirm)) event.preventDefault();
});

// Flash messages sent by htmx responses (HX-Trigger: {"showMessage": {...}}).
document.body.addEventListener("showMessage", (event) => {
  const box = document.getElementById("messages");
  if (!box || !event.detail) return;
  const alert = document.createElement("div");
  alert.className = `alert alert-${event.detail.level || "success"} alert-dismissible fade show`;
  alert.setAttribute("role", "alert");
  alert.textContent = event.detail.message || "";
  if (event.detail.link) {
    const link = document.createElement("a");
    link.className = "alert-link ms-1";
    link.href = event.detail.link;
    link.textContent = event.detail.linkLabel || event.detail.link;
    link.dataset.testid = "login-again";
    alert.appendChild(link);
  }
  const close = document.createElement("button");
  close.type = "button"; close.className = "btn-close"; close.dataset.bsDismiss = "alert";
  close.setAttribute("aria-label", box.dataset.closeLabel || "Close");
  alert.appendChild(close);
  box.appendChild(alert);
});

// Export buttons follow the filters: after htmx changes the address, point them at it.
document.body.addEventListener("htmx:pushedIntoHistory", () => {
  const params = new URLSearchParams(window.location.search);
  params.delete("page");
  params.set("format", "csv");
  document.querySelectorAll("a[data-csv-export]").forEach((link) => {
    link.href = `${window.location.pathname}?${params}`;
  });
});

// <details> menus: one open at a time; a click elsewhere or Escape closes them.
document.addEventListener("click", (event) => {
  document.querySelectorAll("details.menu[open]").forEach((menu) => {
    if (!menu.contains(event.target)) menu.removeAttribute("open");
  });
});
document.addEventListener("keydown", (event) => {
  if (event.key !== "Escape") return;
  document.querySelectorAll("details.menu[open]").forEach((menu) => {
    menu.removeAttribute("open");
    menu.querySelector("summary")?.focus();
  });
});

// CSV exports can take a while: the link says so until the download starts.
document.addEventListener("click", (event) => {
  const link = event.target.closest("a[data-csv-export]");
  if (!link || link.classList.contains("is-preparing")) return;
  const label = link.innerHTML;
  link.classList.add("is-preparing");
  link.setAttribute("aria-busy", "true");
  link.textContent = link.dataset.preparingLabel || "Preparing…";
  setTimeout(() => {
    link.classList.remove("is-preparing");
    link.removeAttribute("aria-busy");
    link.innerHTML = label;
  }, 4000);
});

// Assistive technology hears that an htmx action is under way, as sighted users see it.
document.body.addEventListener("htmx:beforeRequest", (event) => {
  event.target.setAttribute("aria-busy", "true");
});
document.body.addEventListener("htmx:afterRequest", (event) => {
  event.target.removeAttribute("aria-busy");
});

// An htmx action that did not reach its view: say so, and nothing is swapped. A session that
// expired answers 401 with the login address (accounts.middleware.HtmxSessionExpiredMiddleware).
function tellFailure(detail) {
  document.body.dispatchEvent(new CustomEvent("showMessage", { detail }));
}
document.body.addEventListener("htmx:responseError", (event) => {
  const box = document.getElementById("messages");
  if (!box) return;
  const xhr = event.detail.xhr;
  if (xhr.status === 401 && xhr.getResponseHeader("X-Login-URL")) {
    tellFailure({
      level: "warning",
      message: box.dataset.sessionExpired,
      link: xhr.getResponseHeader("X-Login-URL"),
      linkLabel: box.dataset.loginLabel,
    });
  } else if (xhr.status >= 500) {
    tellFailure({ level: "danger", message: box.dataset.serverError });
  }
});
document.body.addEventListener("htmx:sendError", () => {
  const box = document.getElementById("messages");
  if (box) tellFailure({ level: "danger", message: box.dataset.connectionLost });
});
