// Sales Coach front end: htmx does the work; this file only wires small conveniences.
document.addEventListener("htmx:afterSwap", (event) => {
  // Keep chat windows scrolled to the newest message.
  document.querySelectorAll(".chat").forEach((chat) => { chat.scrollTop = chat.scrollHeight; });
});

// Forms that change something hard to undo ask first: <form data-confirm="...">.
document.addEventListener("submit", (event) => {
  const message = event.target.dataset && event.target.dataset.confirm;
  if (message && !window.confirm(message)) event.preventDefault();
});
