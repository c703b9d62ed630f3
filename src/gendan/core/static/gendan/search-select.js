// Choices searched as one types (core/widgets.py SearchSelect), with Tom Select: a customer
// among a million, a homeowner of the chosen dealer or supermarket. The server searches and
// scopes; Tom Select only shows its answers. A homeowner chosen on the order form fills the
// order's contact and address fields, which stay editable.
(function () {
  "use strict";
  // The API answers in the page's language (kinds, channels), not only the browser's.
  var HEADERS = { Accept: "application/json", "Accept-Language": document.documentElement.lang };

  function details(item, select) {
    var tail = item.phone_tail ? select.dataset.phoneTail.replace("%(tail)s", item.phone_tail) : "";
    return [item.kind_label, item.city, tail, item.via_name].filter(Boolean).join(" · ");
  }

  function searchUrl(select, query) {
    var url = new URL(select.dataset.searchUrl, window.location.href);
    url.searchParams.set("q", query);
    var by = select.dataset.filterBy && select.form.elements[select.dataset.filterBy];
    if (by && by.value) url.searchParams.set("via", by.value);
    return url;
  }

  function searchSelect(select) {
    var control = new TomSelect(select, {
      valueField: "id",
      labelField: "name",
      searchField: [],
      placeholder: select.dataset.placeholder,
      loadThrottle: 200,
      maxOptions: 20,
      // The server has matched phones and numbers too: show every answer it gives.
      score: function () { return function () { return 1; }; },
      load: function (query, callback) {
        var self = this;
        fetch(searchUrl(select, query), { headers: HEADERS })
          .then(function (response) { return response.ok ? response.json() : []; })
          .then(function (items) { self.clearOptions(); callback(items); })
          .catch(function () { callback(); });
      },
      render: {
        option: function (item, escape) {
          return "<div><strong>" + escape(item.name) + "</strong> <small>" +
            escape(details(item, select)) + "</small></div>";
        },
        no_results: function () {
          return '<div class="no-results">' + select.dataset.noResults + "</div>";
        },
      },
    });
    select.tomSelect = control;
    return control;
  }

  // The order's contact and address, from the homeowner's record (its first address).
  function contactCopy(form, customerId) {
    var url = form.dataset.customerUrl.replace(/\/0$/, "/" + customerId);
    fetch(url, { headers: HEADERS })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (customer) {
        if (!customer) return;
        var address = customer.addresses[0] || {};
        var values = {
          contact_name: customer.name, contact_phone: customer.mobile || customer.landline,
          province: address.province, city: address.city, district: address.district,
          street: address.street, building: address.building, floor: address.floor,
        };
        Object.keys(values).forEach(function (name) {
          var field = form.elements[name];
          if (field && values[name] !== undefined && values[name] !== null && values[name] !== "") {
            field.value = values[name];
          }
        });
      });
  }

  function followed(select) {
    var by = select.form.elements[select.dataset.filterBy];
    if (!by) return;
    // Another dealer's homeowner is not this order's: choosing a customer clears it.
    by.addEventListener("change", function () {
      select.tomSelect.clear();
      select.tomSelect.clearOptions();
    });
  }

  // A homeowner added on the spot (POST /api/customers), of the chosen dealer or supermarket,
  // then chosen: its phone fills the order's as if it had been found.
  function homeownerAdd(box) {
    var form = box.closest("form");
    var select = form.elements.end_customer;
    var phone = box.querySelector("[data-new=phone]").value.trim();
    var isMobile = /^(\+?86)?1\d{10}$/.test(phone.replace(/[\s\-()]/g, ""));
    var payload = { kind: "homeowner", name: box.querySelector("[data-new=name]").value.trim() };
    payload[isMobile ? "mobile" : "landline"] = phone;
    if (form.elements.customer.value) payload.via_id = Number(form.elements.customer.value);
    var headers = Object.assign({ "Content-Type": "application/json",
      "X-CSRFToken": form.elements.csrfmiddlewaretoken.value }, HEADERS);
    var error = box.querySelector("[data-new-error]");
    fetch(box.dataset.createUrl, { method: "POST", headers: headers, body: JSON.stringify(payload) })
      .then(function (response) {
        return response.json().then(function (data) { return { ok: response.ok, data: data }; });
      })
      .then(function (answer) {
        if (!answer.ok) {
          error.textContent = (answer.data.detail || []).map(function (d) { return d.msg; }).join(" ");
          error.hidden = false;
          return;
        }
        error.hidden = true;
        select.tomSelect.addOption({ id: answer.data.id, name: answer.data.name });
        select.tomSelect.setValue(String(answer.data.id));
        box.open = false;
      });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("details.new-homeowner").forEach(function (box) {
      box.querySelector("[data-new-add]").addEventListener("click", function () { homeownerAdd(box); });
    });
    document.querySelectorAll("select[data-search-url]").forEach(function (select) {
      searchSelect(select);
      if (select.dataset.filterBy) followed(select);
      if (select.form.dataset.customerUrl) {
        select.addEventListener("change", function () {
          if (select.name === "end_customer" && select.value) contactCopy(select.form, select.value);
        });
      }
    });
  });
})();
