// The command bar: Ctrl/Cmd-K or the "Ask" button opens the dialog, Escape closes it, and
// focus returns to where it was. Answers are swapped in by htmx; without JavaScript the
// button is a link to the assistant's own page, where the same form works as a plain GET.
(function () {
  "use strict";
  const dialog = document.getElementById("assistant-dialog");
  if (!dialog || typeof dialog.showModal !== "function") return;
  const input = dialog.querySelector("#assistant-q");
  const answer = dialog.querySelector("#assistant-answer");
  let opener = null;

  function open(event) {
    if (event) event.preventDefault();
    if (dialog.open) {
      input.focus();
      input.select();
      return;
    }
    opener = document.activeElement;
    dialog.showModal();
    input.focus();
    input.select();
    if (!answer.hasChildNodes() && window.htmx) {
      window.htmx.ajax("GET", dialog.dataset.assistantUrl, { target: answer, swap: "innerHTML" });
    }
  }

  document.addEventListener("keydown", (event) => {
    if ((event.ctrlKey || event.metaKey) && !event.altKey && event.key.toLowerCase() === "k") {
      open(event);
    }
  });
  document.querySelectorAll("[data-assistant-open]").forEach((button) => {
    button.addEventListener("click", open);
  });
  dialog.querySelectorAll("[data-assistant-close]").forEach((button) => {
    button.addEventListener("click", () => dialog.close());
  });
  dialog.addEventListener("close", () => {
    if (opener && typeof opener.focus === "function") opener.focus();
  });
  // A click on the backdrop (outside the dialog's box) closes it.
  dialog.addEventListener("click", (event) => {
    if (event.target === dialog) dialog.close();
  });
  // An example or a recent request fills the box too, so it can be edited and asked again.
  dialog.addEventListener("click", (event) => {
    const link = event.target.closest("[data-assistant-request]");
    if (link) input.value = link.dataset.assistantRequest;
  });

  // A refusal (400, 403, 404, 409) carries its reason: show it in the answer.
  document.body.addEventListener("htmx:beforeSwap", (event) => {
    const target = event.detail.target;
    if (target && target.id === "assistant-answer" && event.detail.xhr.status >= 400 &&
        event.detail.xhr.status < 500) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });

  function loadCharts(root) {
    if (!root.querySelector("canvas[data-chart]") || window.Chart) return;
    const [library, drawer] = (dialog.dataset.chartScripts || "").split(" ");
    const script = document.createElement("script");
    script.src = library;
    script.onload = () => {
      const second = document.createElement("script");
      second.src = drawer;
      document.body.appendChild(second);
    };
    document.body.appendChild(script);
  }

  document.body.addEventListener("htmx:afterSwap", (event) => {
    const target = event.detail.target;
    if (!target || target.id !== "assistant-answer") return;
    loadCharts(target);
    // A question asks for a choice or a confirmation: go there; otherwise stay in the box.
    const next = target.querySelector("[data-assistant-confirm], .assistant-choices a");
    if (next && dialog.contains(next)) next.focus();
    else if (dialog.open) input.focus();
  });
})();
