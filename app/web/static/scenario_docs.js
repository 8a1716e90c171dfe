// Scenario editor, "from team documents": copy the checked key sentences of a team document into a form field.
document.addEventListener("click", (event) => {
  if (!event.target || event.target.id !== "insert-document-facts") return;
  const target = document.getElementById("document-facts-target");
  const field = target && document.querySelector(`#scenario-form [name="${target.value}"]`);
  if (!field) return;
  const chosen = Array.from(document.querySelectorAll("#document-facts-list .document-fact:checked"))
    .map((box) => box.value)
    .filter((sentence) => !field.value.includes(sentence));
  if (!chosen.length) return;
  const limit = Number(field.getAttribute("maxlength")) || 1000;
  const joined = [field.value.trim(), ...chosen].filter(Boolean).join(" ");
  field.value = joined.slice(0, limit);
  field.dispatchEvent(new Event("input", { bubbles: true }));
});

// The "draft a scenario from this document" form follows the document chosen in the picker.
document.addEventListener("change", (event) => {
  if (!event.target || event.target.id !== "document-choice") return;
  const hidden = document.getElementById("draft-document-id");
  if (hidden) hidden.value = event.target.value;
});
