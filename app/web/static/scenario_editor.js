// Scenario editor: add and remove hidden-fact rows per S / P / I / N. Without scripts the form shows every filled
// row and one empty row per category, so a fact can still be added one save at a time.
(() => {
  for (const group of document.querySelectorAll(".fact-group")) {
    const rows = group.querySelector(".fact-rows");
    const template = group.querySelector("template.fact-template");
    const addButton = group.querySelector(".add-fact");
    const label = group.dataset.label;
    const max = Number(group.dataset.max) || 12;
    if (!rows || !template || !addButton) continue;

    const refresh = () => {
      const count = rows.querySelectorAll(".fact-slot").length;
      addButton.hidden = count >= max;
      for (const button of rows.querySelectorAll(".remove-fact")) button.hidden = false;
    };
    const clear = (row) => {
      for (const field of row.querySelectorAll("input, textarea")) field.value = "";
    };
    rows.addEventListener("click", (event) => {
      const button = event.target.closest(".remove-fact");
      if (!button) return;
      const row = button.closest(".fact-slot");
      // The last row of a category is emptied rather than removed, so there is always one to type into.
      if (rows.querySelectorAll(".fact-slot").length > 1) row.remove(); else clear(row);
      refresh();
    });
    addButton.addEventListener("click", () => {
      const used = [...rows.querySelectorAll(".fact-slot")].map((row) => Number(row.dataset.index));
      const index = used.length ? Math.max(...used) + 1 : 0;
      const html = template.innerHTML.replaceAll("__i__", String(index));
      rows.insertAdjacentHTML("beforeend", html);
      const row = rows.lastElementChild;
      row.dataset.index = String(index);
      row.dataset.slot = label + (index + 1);
      row.querySelector(".fact-label").textContent = label + (index + 1);
      refresh();
      const text = row.querySelector("textarea");
      if (text) text.focus();
    });
    refresh();
  }
})();
