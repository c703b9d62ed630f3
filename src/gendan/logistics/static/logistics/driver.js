// The driver's phone (issue 14 point 6). The customer signs on a canvas (signature_pad,
// vendored); on submit the drawing goes as a PNG data URL into the form's hidden field, which
// the server checks (a PNG by its content, not blank: O-21). Nothing drawn sends nothing, and
// the server says the signature is needed. The sheet's Print button prints the page.
(() => {
  document.querySelectorAll("[data-print]").forEach((button) =>
    button.addEventListener("click", () => window.print()),
  );

  const form = document.querySelector("form[data-deliver-form]");
  if (!form || !window.SignaturePad) return;
  const canvas = form.querySelector("canvas[data-signature-pad]");
  const value = form.querySelector("[data-signature-value]");
  const clear = form.querySelector("[data-signature-clear]");
  // Transparent background, dark strokes: the server counts the inked pixels.
  const pad = new window.SignaturePad(canvas, { penColor: "#111", minWidth: 1, maxWidth: 3 });

  // Draw at the screen's real resolution, so the strokes are sharp on a phone; resizing
  // empties a canvas, so the drawing is put back.
  const fit = () => {
    const ratio = Math.max(window.devicePixelRatio || 1, 1);
    const strokes = pad.toData();
    canvas.width = canvas.offsetWidth * ratio;
    canvas.height = canvas.offsetHeight * ratio;
    canvas.getContext("2d").scale(ratio, ratio);
    pad.clear();
    pad.fromData(strokes);
  };
  window.addEventListener("resize", fit);
  fit();

  clear.addEventListener("click", () => {
    pad.clear();
    value.value = "";
  });

  form.addEventListener("submit", () => {
    value.value = pad.isEmpty() ? "" : pad.toDataURL("image/png");
  });
})();
