// Ask before a form deletes rows the user ticked (formsets mark them with -DELETE).
document.addEventListener("submit", (event) => {
  const form = event.target;
  const question = form.dataset.confirmDelete;
  if (!question) return;
  const ticked = form.querySelectorAll('input[type="checkbox"][name$="-DELETE"]:checked');
  if (ticked.length > 0 && !window.confirm(question)) event.preventDefault();
});

// A select that submits its form when changed (the language switch), without an inline onchange=
// that the Content-Security-Policy would block.
document.addEventListener("change", (event) => {
  const field = event.target;
  if (field.matches && field.matches("[data-submit-on-change]") && field.form) field.form.submit();
});
