// Role-play chat: the composer posts with htmx, replies stream over SSE (htmx SSE extension).
// This file only adds conveniences htmx does not do by itself: errors shown, sending re-enabled, Enter to send.
(() => {
  const chat = document.getElementById("chat");
  if (!chat) return;
  const errorLine = document.getElementById("chat-error");
  const scrollDown = () => { chat.scrollTop = chat.scrollHeight; };

  // Below the two-column width the scenario card starts folded (its summary line, the goal, stays pinned on top):
  // open, it would fill the screen and push the conversation out of view.
  const brief = document.getElementById("scenario-brief");
  if (brief && window.matchMedia("(max-width: 900px)").matches) brief.open = false;

  // One idempotency key per message: a double submit of the same text is stored once.
  const freshClientId = (form) => {
    const field = form && form.querySelector("input[name=client_id]");
    if (field) field.value = (crypto.randomUUID ? crypto.randomUUID() : String(Date.now()) + Math.random()).slice(0, 64);
  };
  const composer = () => document.getElementById("composer-form");
  const sendButton = () => document.getElementById("send-button");
  const setBusy = (busy) => {
    const button = sendButton();
    if (button) { button.disabled = busy; button.setAttribute("aria-busy", busy ? "true" : "false"); }
  };
  const showError = (text) => { errorLine.textContent = text; setBusy(false); };
  freshClientId(composer());
  if (chat.querySelector(".streaming")) setBusy(true);
  // A transcript (finished, or a manager reading a rep's call) opens at the top or at the #turn-N it links to.
  if (!chat.dataset.transcript) scrollDown();

  // The server's own message for an error reply: the chat's error fragment (HX-Retarget) or JSON's `message`.
  const messageOf = (xhr) => {
    try {
      const body = JSON.parse(xhr.responseText);
      if (body && typeof body.message === "string") return body.message;
    } catch (_) { /* not JSON */ }
    return xhr.status >= 500 ? errorLine.dataset.server : errorLine.dataset.other;
  };

  document.body.addEventListener("htmx:beforeSwap", (event) => {
    const xhr = event.detail.xhr;
    if (xhr.status < 400) return;
    if (xhr.getResponseHeader("HX-Retarget") === "#chat-error") {
      // 409 / 422 / 429 from the chat come back as a readable message for the error line.
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    } else {
      event.detail.shouldSwap = false;
      errorLine.textContent = messageOf(xhr);
    }
  });
  document.body.addEventListener("htmx:afterRequest", (event) => {
    const form = composer();
    if (!form || event.detail.elt !== form) return;
    const status = event.detail.xhr ? event.detail.xhr.status : 0;
    if (status >= 200 && status < 300) {
      form.reset();
      freshClientId(form);
      errorLine.textContent = "";
      setBusy(true);  // until the buyer's reply has streamed in
    } else {
      setBusy(false);  // the text stays in the box: nothing the rep typed is lost
      if (!errorLine.textContent.trim()) errorLine.textContent = status ? messageOf(event.detail.xhr) : errorLine.dataset.network;
    }
    scrollDown();
  });
  document.body.addEventListener("htmx:sendError", (event) => {
    if (event.detail.elt === composer()) showError(errorLine.dataset.network);
  });
  document.body.addEventListener("htmx:sseMessage", scrollDown);
  document.body.addEventListener("htmx:sseClose", () => { setBusy(false); scrollDown(); });
  document.body.addEventListener("htmx:sseError", () => {
    // The stream broke before its end: the reply is kept server-side; let the rep carry on.
    if (!chat.querySelector(".streaming")) setBusy(false);
  });

  // Desktop: Enter sends, Shift+Enter is a new line. Never while an input method is composing (Chinese pinyin
  // uses Enter to confirm a word), and not on touch screens, where the keyboard's Enter is the new line.
  const enterSends = window.matchMedia("(hover: hover) and (pointer: fine)");

  // The placeholder names the keys only where Enter sends and the longer text fits the box; else the short one
  // (a phone's box is narrow, and its Enter is a new line).
  const fitPlaceholder = () => {
    const box = document.querySelector("#composer-form textarea");
    if (!box || !box.dataset.placeholderKeys) return;
    box.dataset.placeholderShort = box.dataset.placeholderShort || box.placeholder;
    let fits = false;
    if (enterSends.matches && box.clientWidth > 0) {
      const style = getComputedStyle(box);
      const context = document.createElement("canvas").getContext("2d");
      context.font = style.font;
      const lineWidth = box.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
      const lines = Math.floor((box.clientHeight - parseFloat(style.paddingTop) - parseFloat(style.paddingBottom))
        / (parseFloat(style.lineHeight) || parseFloat(style.fontSize) * 1.5));
      // Wrapping breaks at words, not anywhere: leave a fifth of the room for that.
      fits = context.measureText(box.dataset.placeholderKeys).width <= lineWidth * Math.max(1, lines) * 0.8;
    }
    box.placeholder = fits ? box.dataset.placeholderKeys : box.dataset.placeholderShort;
  };
  fitPlaceholder();
  window.addEventListener("resize", fitPlaceholder);
  document.body.addEventListener("htmx:oobAfterSwap", fitPlaceholder);  // the composer is sometimes redrawn
  document.body.addEventListener("keydown", (event) => {
    const form = composer();
    if (!form || event.target.form !== form || event.key !== "Enter") return;
    if (event.isComposing || event.keyCode === 229) return;
    const send = event.ctrlKey || event.metaKey || (enterSends.matches && !event.shiftKey && !event.altKey);
    if (!send) return;
    event.preventDefault();
    const button = sendButton();
    if (button && !button.disabled) htmx.trigger(form, "submit");
  });

  // The finish form's data-confirm question is asked by app.js.
})();
