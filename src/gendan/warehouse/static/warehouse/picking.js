// Picking on a phone (O-58): a box label read by the camera fills the code field and sends it,
// as a code typed there would be. The reader (vendor/zxing, Code 128 and QR, pure JavaScript)
// is loaded only when the camera is asked for. Without a camera, or without script, the typed
// code field works alone.
(() => {
  const form = document.querySelector("form[data-pick-scan]");
  if (!form) return;
  const field = form.querySelector("input[name=code]");
  const start = form.querySelector("[data-camera-start]");
  const stop = form.querySelector("[data-camera-stop]");
  const view = form.querySelector("[data-camera-view]");
  const failed = form.querySelector("[data-camera-error]");
  // The same label seen again within this time is the same box still in front of the camera.
  const SAME_BOX_MS = 3000;
  let reader = null;
  let last = { code: "", at: 0 };

  // After each answer the field is emptied and ready for the next box.
  form.addEventListener("htmx:afterRequest", () => {
    field.value = "";
    field.focus();
  });

  const readerLoad = () =>
    new Promise((resolve, reject) => {
      if (window.ZXing) return resolve(window.ZXing);
      const script = document.createElement("script");
      script.src = start.dataset.reader;
      script.onload = () => resolve(window.ZXing);
      script.onerror = reject;
      document.head.appendChild(script);
    });

  const codeRead = (code) => {
    const now = Date.now();
    if (code === last.code && now - last.at < SAME_BOX_MS) return;
    last = { code, at: now };
    field.value = code;
    form.requestSubmit();
  };

  const cameraShown = (on) => {
    view.hidden = !on;
    stop.hidden = !on;
    start.hidden = on;
  };

  const cameraStart = async () => {
    failed.hidden = true;
    try {
      const ZXing = await readerLoad();
      const hints = new Map();
      hints.set(ZXing.DecodeHintType.POSSIBLE_FORMATS, [
        ZXing.BarcodeFormat.CODE_128,
        ZXing.BarcodeFormat.QR_CODE,
      ]);
      reader = new ZXing.BrowserMultiFormatReader(hints);
      cameraShown(true);
      await reader.decodeFromConstraints(
        { video: { facingMode: { ideal: "environment" } } },
        view,
        (result) => {
          if (result) codeRead(result.getText().trim());
        },
      );
    } catch (error) {
      cameraStop();
      failed.hidden = false;
    }
  };

  const cameraStop = () => {
    if (reader) reader.reset();
    reader = null;
    cameraShown(false);
  };

  if (navigator.mediaDevices && navigator.mediaDevices.getUserMedia) {
    start.hidden = false;
    start.addEventListener("click", cameraStart);
    stop.addEventListener("click", cameraStop);
  }
})();
