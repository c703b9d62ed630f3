// The call list (O-43): "Copy" puts a drop's message on the clipboard, to paste into a chat or
// a text message. Rows come back from htmx after "Told", so the click is listened for on the
// page, not on each button. Without the clipboard (an old phone, plain http) the text is
// selected for the phone's own copy.
(() => {
  document.addEventListener("click", async (event) => {
    const button = event.target.closest("button[data-copy]");
    if (!button) return;
    const field = document.querySelector(button.dataset.copy);
    if (!field) return;
    try {
      await navigator.clipboard.writeText(field.value);
      const label = button.textContent;
      button.textContent = button.dataset.copied;
      setTimeout(() => { button.textContent = label; }, 1500);
    } catch {
      field.focus();
      field.select();
    }
  });
})();
