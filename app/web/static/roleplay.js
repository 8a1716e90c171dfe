// Role-play chat: the composer posts with htmx, replies stream over SSE (htmx SSE extension).
// This file only adds conveniences htmx does not do by itself.
(() => {
  const chat = document.getElementById("chat");
  if (!chat) return;
  const errorLine = document.getElementById("chat-error");
  const scrollDown = () => { chat.scrollTop = chat.scrollHeight; };

  // One idempotency key per message: a double submit of the same text is stored once.
  const freshClientId = (form) => {
    const field = form && form.querySelector("input[name=client_id]");
    if (field) field.value = (crypto.randomUUID ? crypto.randomUUID() : String(Date.now()) + Math.random()).slice(0, 64);
  };
  const composer = () => document.getElementById("composer-form");
  const setBusy = (busy) => {
    const button = document.getElementById("send-button");
    if (button) { button.disabled = busy; button.setAttribute("aria-busy", busy ? "true" : "false"); }
  };
  freshClientId(composer());
  if (chat.querySelector(".streaming")) setBusy(true);
  scrollDown();

  // 409 / 422 / 429 come back as a readable message for the error line (the server retargets them).
  document.body.addEventListener("htmx:beforeSwap", (event) => {
    if ([409, 422, 429].includes(event.detail.xhr.status)) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });
  document.body.addEventListener("htmx:afterRequest", (event) => {
    const form = composer();
    if (event.detail.elt !== form) return;
    if (event.detail.successful) {
      form.reset();
      freshClientId(form);
      errorLine.textContent = "";
      setBusy(true);
    }
    scrollDown();
  });
  document.body.addEventListener("htmx:sseMessage", scrollDown);
  document.body.addEventListener("htmx:sseClose", () => { setBusy(false); scrollDown(); });

  // Ctrl+Enter (or Cmd+Enter) sends.
  document.body.addEventListener("keydown", (event) => {
    const form = composer();
    if (form && event.target.form === form && event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      htmx.trigger(form, "submit");
    }
  });

  const finish = document.getElementById("finish-form");
  if (finish) {
    finish.addEventListener("submit", (event) => {
      if (!window.confirm(finish.dataset.confirm)) event.preventDefault();
    });
  }
})();
