// The receipt form: the product of each line chosen by typing part of its item number or
// name (Tom Select over the page's own list), and "Add a line" copying the formset's empty
// line with the next index (Django's __prefix__), so a long delivery needs no reload.
(function () {
  "use strict";

  function chooser(select) {
    if (select.tomselect || typeof TomSelect === "undefined") return;
    new TomSelect(select, { maxOptions: 200, allowEmptyOption: true });
  }

  function lineAdd(form) {
    var total = form.querySelector("input[name=lines-TOTAL_FORMS]");
    var template = document.getElementById("line-template");
    var body = document.getElementById("lines");
    var index = Number(total.value);
    var html = template.innerHTML.replace(/__prefix__/g, String(index));
    body.insertAdjacentHTML("beforeend", html);
    total.value = String(index + 1);
    body.lastElementChild.querySelectorAll("select[data-choose=product]").forEach(chooser);
  }

  document.addEventListener("DOMContentLoaded", function () {
    var form = document.getElementById("receipt-form");
    if (!form) return;
    form.querySelectorAll("#lines select[data-choose=product]").forEach(chooser);
    form.querySelector("[data-add-line]").addEventListener("click", function () { lineAdd(form); });
  });
})();
