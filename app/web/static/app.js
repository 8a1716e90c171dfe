// Sales Coach front end: htmx does the work; this file only wires small conveniences.
document.addEventListener("htmx:afterSwap", (event) => {
  // Keep chat windows scrolled to the newest message.
  document.querySelectorAll(".chat").forEach((chat) => { chat.scrollTop = chat.scrollHeight; });
});
