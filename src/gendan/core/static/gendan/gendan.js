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

// ---------------------------------------------------------------------------------------------
// Signing a step (issue 12, point 2). The sign form (form[data-sign-confirm]) first opens its
// <dialog>, which shows what will be signed: the order, the step, the checks and the record as
// typed. Only the dialog's button sends the form, and a form once sent disables its buttons, so
// a double click signs nothing twice (the server refuses a second signature as well).
// Without script the form simply posts.
(() => {
  const SIGN_FORM = "form[data-sign-confirm]";

  // What a field of the form holds, as the dialog shows it.
  const shownValue = (form, name, cell, list) => {
    const fields = Array.from(form.elements).filter((field) => field.name === name);
    if (name === "items") {
      return `${fields.filter((field) => field.checked).length} / ${cell.dataset.signOf}`;
    }
    const field = fields[0];
    if (!field) return "—";
    if (field.type === "checkbox") return field.checked ? list.dataset.yes : list.dataset.no;
    if (field.type === "file") return field.files.length ? field.files[0].name : "—";
    return field.value.trim() || "—";
  };

  const dialogFill = (form, dialog) => {
    const list = dialog.querySelector("dl");
    dialog.querySelectorAll("[data-sign-value]").forEach((cell) => {
      cell.textContent = shownValue(form, cell.dataset.signValue, cell, list);
    });
  };

  const buttonsDisable = (form, disabled) => {
    form.querySelectorAll("button").forEach((button) => {
      button.disabled = disabled;
    });
    const ok = form.querySelector("[data-sign-ok]");
    if (ok) ok.setAttribute("aria-busy", disabled ? "true" : "false");
  };

  document.addEventListener("submit", (event) => {
    const form = event.target;
    if (!form.matches || !form.matches(SIGN_FORM)) return;
    if (form.dataset.sent) {
      event.preventDefault(); // sent already: the page it leads to is on its way
      return;
    }
    const dialog = form.querySelector("dialog");
    if (form.dataset.confirmed !== "yes" && dialog && dialog.showModal) {
      event.preventDefault();
      dialogFill(form, dialog);
      dialog.showModal();
      return;
    }
    form.dataset.sent = "yes";
    buttonsDisable(form, true);
  });

  document.addEventListener("click", (event) => {
    const button = event.target.closest && event.target.closest("[data-sign-ok], [data-sign-cancel]");
    if (!button) return;
    const form = button.closest(SIGN_FORM);
    const dialog = button.closest("dialog");
    if (!form || !dialog || form.dataset.sent) return;
    if (button.matches("[data-sign-cancel]")) {
      dialog.close();
      return;
    }
    // The dialog stays open, its button disabled, until the next page comes: a second click
    // lands on nothing that sends.
    form.dataset.confirmed = "yes";
    form.requestSubmit();
  });

  // A page brought back by the browser's Back button may be the one that was sent: sign again.
  window.addEventListener("pageshow", (event) => {
    if (!event.persisted) return;
    document.querySelectorAll(SIGN_FORM).forEach((form) => {
      delete form.dataset.sent;
      delete form.dataset.confirmed;
      buttonsDisable(form, false);
      const dialog = form.querySelector("dialog");
      if (dialog && dialog.open) dialog.close();
    });
  });
})();
