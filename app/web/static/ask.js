// Ask the playbook: post the question, stream the answer over SSE, show citations that open the passage.
// Without this script the form posts normally and the server renders the whole answer.
(() => {
  const form = document.getElementById("ask-form");
  if (!form) return;
  const result = document.getElementById("ask-result");
  const answer = document.getElementById("ask-answer");
  const mode = document.getElementById("ask-mode");
  const notice = document.getElementById("ask-notice");
  const sources = document.getElementById("ask-sources");
  const citations = document.getElementById("ask-citations");
  const chipTemplate = document.getElementById("ask-citation-template");
  const errorLine = document.getElementById("ask-error");
  const submit = document.getElementById("ask-submit");
  let source = null;

  function show(element, text) {
    element.textContent = text;
    element.hidden = !text;
  }

  function setBusy(busy) {
    submit.disabled = busy;
    submit.setAttribute("aria-busy", busy ? "true" : "false");
  }

  function reset() {
    show(errorLine, "");
    show(notice, "");
    answer.textContent = "";
    citations.replaceChildren();
    sources.hidden = true;
    mode.hidden = true;
    mode.dataset.mode = "";
    result.hidden = false;
    answer.dataset.placeholder = result.dataset.answering;
  }

  function addCitation(citation) {
    const item = chipTemplate.content.firstElementChild.cloneNode(true);
    const link = item.querySelector("a");
    const url = `/ask/passages/${encodeURIComponent(citation.id)}`;
    link.href = url;
    link.setAttribute("hx-get", url);
    link.title = citation.excerpt;
    link.textContent = citation.title;
    item.querySelector(".ask-chip-source").textContent = citation.source;
    citations.append(item);
  }

  function fail(message) {
    if (source) source.close();
    source = null;
    show(errorLine, message || result.dataset.failed);
    setBusy(false);
  }

  function stream(url) {
    source = new EventSource(url);
    source.addEventListener("token", (event) => {
      answer.textContent += JSON.parse(event.data).text;
    });
    source.addEventListener("citations", (event) => {
      JSON.parse(event.data).forEach(addCitation);
      sources.hidden = citations.children.length === 0;
      if (window.htmx) window.htmx.process(citations);
    });
    source.addEventListener("done", (event) => {
      const done = JSON.parse(event.data);
      mode.dataset.mode = done.mode;
      show(mode, done.mode === "llm" ? result.dataset.modeLlm : result.dataset.modeOffline);
      if (done.notice) show(notice, done.notice);
      source.close();
      source = null;
      setBusy(false);
    });
    // The server's `error` event carries data (the model failed, the offline answer follows);
    // the browser's own error event (connection lost) does not.
    source.addEventListener("error", (event) => {
      if (event.data) {
        answer.textContent = "";
        show(notice, JSON.parse(event.data).message);
      } else {
        fail();
      }
    });
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (source) source.close();
    reset();
    setBusy(true);
    try {
      const response = await fetch(form.dataset.startUrl, {
        method: "POST",
        body: new FormData(form),
        headers: { "X-CSRF-Token": form.elements.csrf_token.value, Accept: "application/json" },
      });
      const body = await response.json();
      if (!response.ok) {
        result.hidden = true;
        fail(typeof body.detail === "string" ? body.detail : "");
        return;
      }
      stream(body.stream_url);
    } catch {
      fail();
    }
  });

  // Mark the chip whose passage is open in the side panel.
  citations.addEventListener("click", (event) => {
    const chip = event.target.closest(".ask-chip");
    if (!chip) return;
    citations.querySelectorAll(".ask-chip.active").forEach((other) => other.classList.remove("active"));
    chip.classList.add("active");
  });
})();
