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
  const input = document.getElementById("ask-question");
  const panel = document.getElementById("passage-panel");
  const mightHelp = document.getElementById("ask-might-help");
  const mightHelpList = document.getElementById("ask-might-help-list");
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
    mightHelpList.replaceChildren();
    mightHelp.hidden = true;
    // The side panel belongs to the previous question: back to the hint until this answer's passage loads.
    const hint = document.createElement("p");
    hint.className = "muted";
    hint.textContent = panel.dataset.hint;
    panel.replaceChildren(hint);
    mode.hidden = true;
    mode.dataset.mode = "";
    result.hidden = false;
    answer.dataset.placeholder = result.dataset.answering;
  }

  const originLabels = {
    manual: result.dataset.originManual, general: result.dataset.originGeneral, team: result.dataset.originTeam,
  };

  function addCitation(citation, list = citations) {
    const item = chipTemplate.content.firstElementChild.cloneNode(true);
    const link = item.querySelector("a");
    const url = `/ask/passages/${encodeURIComponent(citation.id)}`;
    link.href = url;
    link.setAttribute("hx-get", url);
    link.title = citation.excerpt;
    link.textContent = citation.title;
    const origin = item.querySelector(".ask-origin");
    origin.dataset.origin = citation.origin;
    origin.textContent = originLabels[citation.origin] || "";
    item.querySelector(".ask-chip-source-title").textContent = citation.source_title;
    list.append(item);
  }

  // Open a chip's passage in the side panel and mark it as the open one.
  function openPassage(chip) {
    document.querySelectorAll(".ask-chip.active").forEach((other) => other.classList.remove("active"));
    chip.classList.add("active");
    if (window.htmx) window.htmx.ajax("GET", chip.getAttribute("href"), { target: "#passage-panel" });
  }

  function fail(message) {
    if (source) source.close();
    source = null;
    show(errorLine, message || result.dataset.failed);
    setBusy(false);
  }

  // The playbook's **bold** phrases, shown bold once the whole answer is in (a piece may end inside a marker);
  // the same pattern as render_emphasis in app/web/markdown.py, built from text nodes only.
  function emphasise(element) {
    const parts = element.textContent.split(/\*\*([^*\n]+?)\*\*/);
    if (parts.length === 1) return;
    element.textContent = "";
    parts.forEach((part, index) => {
      if (index % 2 === 0) {
        element.append(part);
        return;
      }
      const strong = document.createElement("strong");
      strong.textContent = part;
      element.append(strong);
    });
  }

  function stream(url) {
    source = new EventSource(url);
    source.addEventListener("token", (event) => {
      answer.textContent += JSON.parse(event.data).text;
    });
    source.addEventListener("citations", (event) => {
      JSON.parse(event.data).forEach((citation) => addCitation(citation));
      sources.hidden = citations.children.length === 0;
      if (window.htmx) window.htmx.process(citations);
      const first = citations.querySelector(".ask-chip");
      if (first) openPassage(first);  // the panel follows the current question
    });
    source.addEventListener("done", (event) => {
      const done = JSON.parse(event.data);
      (done.might_help || []).forEach((citation) => addCitation(citation, mightHelpList));
      mightHelp.hidden = mightHelpList.children.length === 0;
      if (window.htmx) window.htmx.process(mightHelpList);
      mode.dataset.mode = done.mode;
      show(mode, done.mode === "llm" ? result.dataset.modeLlm : result.dataset.modeOffline);
      if (done.notice) show(notice, done.notice);
      emphasise(answer);
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

  // Mark the chip whose passage is open in the side panel (htmx loads it).
  result.addEventListener("click", (event) => {
    const chip = event.target.closest(".ask-chip");
    if (!chip) return;
    document.querySelectorAll(".ask-chip.active").forEach((other) => other.classList.remove("active"));
    chip.classList.add("active");
  });

  // An example asks its question at once (without this script the link only fills the box).
  document.querySelectorAll(".ask-example").forEach((example) => {
    example.addEventListener("click", (event) => {
      event.preventDefault();
      input.value = example.dataset.question;
      form.requestSubmit();
    });
  });
})();
