// The rule builder of automatic tags (E-4): conditions combined with AND / OR, nested.
// The rule is data, {"all": [...]} or {"any": [...]}; the server checks and evaluates it.
(function () {
  const form = document.getElementById("rule-form");
  if (!form) return;
  const read = (id) => JSON.parse(document.getElementById(id).textContent);
  const fields = read("rule-fields");
  const joiners = read("rule-joiners");
  const words = read("rule-words");
  const operators = [">=", ">", "<=", "<", "=="];
  const builder = document.getElementById("rule-builder");
  const hidden = document.getElementById("rule-json");
  const preview = document.getElementById("rule-preview");
  let rule = read("rule-initial");

  function element(tag, attributes, children) {
    const node = document.createElement(tag);
    Object.entries(attributes || {}).forEach(([key, value]) => {
      if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
      else node.setAttribute(key, value);
    });
    (children || []).forEach((child) => node.append(child));
    return node;
  }

  function select(options, value, onchange, label) {
    const node = element("select", { "aria-label": label, onchange });
    Object.entries(options).forEach(([key, text]) => {
      const option = element("option", { value: key }, [text]);
      if (String(key) === String(value)) option.selected = true;
      node.append(option);
    });
    return node;
  }

  function conditionRow(condition, remove) {
    const row = element("div", { class: "rule-condition" });
    const changed = () => { draw(); };
    row.append(select(fields, condition.field, (event) => {
      condition.field = event.target.value;
      if (condition.field === "member") condition.value = true;
      changed();
    }, words.condition));
    if (condition.field === "member") {
      row.append(select({ true: words.yes, false: words.no }, condition.value, (event) => {
        condition.value = event.target.value === "true";
        changed();
      }, fields.member));
    } else {
      if (condition.field !== "bought_within_days") {
        row.append(select(Object.fromEntries(operators.map((op) => [op, op])),
          condition.op || ">=", (event) => { condition.op = event.target.value; changed(); }, "op"));
      }
      row.append(element("input", {
        type: "number", min: "0", step: "any", value: condition.value ?? "", required: "",
        "aria-label": fields[condition.field],
        oninput: (event) => { condition.value = event.target.value; save(); },
      }));
    }
    if (remove) row.append(element("button", { type: "button", class: "outline secondary", onclick: remove }, [words.remove]));
    return row;
  }

  function groupBox(group, remove, depth) {
    const joiner = "all" in group ? "all" : "any";
    const items = group[joiner];
    const box = element("fieldset", { class: "rule-group" });
    box.append(select(joiners, joiner, (event) => {
      const next = event.target.value;
      if (next !== joiner) { group[next] = group[joiner]; delete group[joiner]; }
      draw();
    }, "AND / OR"));
    items.forEach((item, index) => {
      const drop = items.length > 1 ? () => { items.splice(index, 1); draw(); } : null;
      box.append("all" in item || "any" in item ? groupBox(item, drop, depth + 1) : conditionRow(item, drop));
    });
    const buttons = element("div", { class: "rule-buttons" });
    buttons.append(element("button", { type: "button", class: "outline", onclick: () => {
      items.push({ field: "purchase_count", op: ">=", value: 1 }); draw();
    } }, [words.condition]));
    if (depth < 3) {
      buttons.append(element("button", { type: "button", class: "outline", onclick: () => {
        items.push({ any: [{ field: "purchase_amount", op: ">=", value: 1000 }] }); draw();
      } }, [words.group]));
    }
    if (remove) buttons.append(element("button", { type: "button", class: "outline secondary", onclick: remove }, [words.remove]));
    box.append(buttons);
    return box;
  }

  let timer = null;
  function save() {
    hidden.value = JSON.stringify(rule);
    clearTimeout(timer);
    timer = setTimeout(ask, 400);
  }

  async function ask() {
    const body = new FormData(form);
    const response = await fetch(form.dataset.preview, { method: "POST", body });
    preview.textContent = await response.text();
    preview.classList.toggle("error", !response.ok);
  }

  function draw() {
    builder.replaceChildren(groupBox(rule, null, 1));
    save();
  }

  if (!("all" in rule || "any" in rule)) rule = { all: [rule] };
  draw();
})();
