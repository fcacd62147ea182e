// sbd-tool: progressive enhancement only. Every action also works without JavaScript
// (row buttons submit the form; saving is a normal POST).
(function () {
  "use strict";

  // Editable lists: add, remove and move rows in place instead of a round trip.
  function renumber(container) {
    // Field names look like tasks-0-name / tasks-0-subjects-1-kind; renumber this list's index.
    const prefix = container.dataset.rows + "-";
    Array.from(container.querySelectorAll(":scope > [data-row]")).forEach(function (row, i) {
      // Accessible names carry the row number ("…（2行目）", "削除（業務2）"): keep them true.
      row.querySelectorAll("[aria-label]").forEach(function (el) {
        el.setAttribute("aria-label", el.getAttribute("aria-label").replace(/\d+行目/, (i + 1) + "行目"));
      });
      row.querySelectorAll(".visually-hidden").forEach(function (el) {
        el.textContent = el.textContent.replace(/(?<![A-Z\d])\d+(行目)?）$/, function (_m, unit) { return (i + 1) + (unit || "") + "）"; });
      });
      row.querySelectorAll("[name], [id], [for], [aria-describedby]").forEach(function (el) {
        ["name", "id", "for", "aria-describedby"].forEach(function (attr) {
          const v = el.getAttribute(attr);
          if (v && v.indexOf(prefix) !== -1) {  // aria-describedby holds several ids
            el.setAttribute(attr, v.split(" ").map(function (token) {
              return token.indexOf(prefix) === 0 ? token.replace(new RegExp("^" + prefix + "\\d+"), prefix + i) : token;
            }).join(" "));
          }
        });
      });
    });
  }

  function blankRow(container) {
    const rows = container.querySelectorAll(":scope > [data-row]");
    const template = rows[rows.length - 1];
    if (!template) { return null; }
    const row = template.cloneNode(true);
    row.querySelectorAll("input[type=text], input:not([type]), textarea").forEach(function (el) { el.value = ""; });
    row.querySelectorAll("input[type=hidden]").forEach(function (el) {
      if (/-id$/.test(el.name)) {
        const before = el.value;
        el.value = nextId(container);
        relabel(row, before, el.value);
      }
    });
    row.querySelectorAll("[data-id-text]").forEach(function (el) { el.textContent = ""; });
    row.querySelectorAll("select").forEach(function (el) { el.selectedIndex = 0; });
    row.querySelectorAll("input[type=checkbox], input[type=radio]").forEach(function (el) { el.checked = false; });
    row.querySelectorAll(".error, .counter").forEach(function (el) { el.remove(); });
    row.querySelectorAll("[aria-describedby]").forEach(function (el) {  // to the removed ones: no more
      const kept = el.getAttribute("aria-describedby").split(" ").filter(function (id) { return !/-(error|count)$/.test(id); });
      if (kept.length) { el.setAttribute("aria-describedby", kept.join(" ")); } else { el.removeAttribute("aria-describedby"); }
    });
    row.querySelectorAll("[aria-invalid]").forEach(function (el) { el.setAttribute("aria-invalid", "false"); });
    row.querySelectorAll(".has-error").forEach(function (el) { el.classList.remove("has-error"); });
    return row;
  }

  // A large diagram names its rows by id ("E5の種類", "削除（E5）"): a copy takes its new id.
  function relabel(row, before, after) {
    if (!before || !after) { return; }
    row.querySelectorAll("[aria-label]").forEach(function (el) {
      const name = el.getAttribute("aria-label");
      const rest = name.slice(before.length);  // "の種類", "を置く区域" (not "0の種類" of E30 → E300)
      if (name.indexOf(before) === 0 && !/^\d/.test(rest)) { el.setAttribute("aria-label", after + rest); }
    });
    row.querySelectorAll(".visually-hidden").forEach(function (el) {
      if (el.textContent === "（" + before + "）") { el.textContent = "（" + after + "）"; }
    });
  }

  // Lists whose rows carry an id (data-id-prefix): a new row gets the next free one at once,
  // so it can be referred to (an element's zone, a flow's ends) before saving.
  function nextId(container) {
    const prefix = container.dataset.idPrefix;
    if (!prefix) { return ""; }
    const used = Array.from(container.querySelectorAll("input[type=hidden]"))
      .map(function (el) { return el.value; });
    let n = 1;
    while (used.indexOf(prefix + n) !== -1) { n += 1; }
    return prefix + n;
  }

  document.addEventListener("click", function (event) {
    const confirmFirst = event.target.closest("[data-confirm]");
    if (confirmFirst && !window.confirm(confirmFirst.dataset.confirm)) {
      event.preventDefault();
      return;
    }
    const button = event.target.closest("button");
    if (!button) { return; }
    if (button.dataset.rowAdd) {
      const container = document.querySelector('[data-rows="' + button.dataset.rowAdd + '"]');
      const row = container && blankRow(container);
      if (!row) { return; }
      event.preventDefault();
      container.appendChild(row);
      renumber(container);
      row.querySelectorAll("[data-id-text]").forEach(function (el) {
        const id = row.querySelector("input[type=hidden]");
        el.textContent = id ? id.value : "";
      });
      row.querySelectorAll("[data-maxlength]").forEach(addCounter);
      const first = row.querySelector("input[type=text], input:not([type]), textarea");
      if (first) { first.focus(); }
      changed(button.form);
    } else if (button.hasAttribute("data-row-remove")) {
      const row = button.closest("[data-row]");
      const container = row.parentElement;
      if (container.querySelectorAll(":scope > [data-row]").length <= 1) { return; }  // let the server keep one
      event.preventDefault();
      const next = row.nextElementSibling || row.previousElementSibling;
      row.remove();
      renumber(container);
      const focusTarget = next && next.querySelector("input, select, textarea, button");
      if (focusTarget) { focusTarget.focus(); }
      changed(button.form);
    } else if (button.dataset.rowMove) {
      const row = button.closest("[data-row]");
      const container = row.parentElement;
      const other = button.dataset.rowMove === "up" ? row.previousElementSibling : row.nextElementSibling;
      event.preventDefault();
      if (!other) { return; }
      if (button.dataset.rowMove === "up") { container.insertBefore(row, other); } else { container.insertBefore(other, row); }
      renumber(container);
      button.focus();
      changed(button.form);
    }
  });

  // Autosave: what is typed is kept as a draft on the server, so a closed tab loses nothing.
  const timers = new WeakMap();
  function changed(form) {
    if (!form || !form.dataset.autosave) { return; }
    clearTimeout(timers.get(form));
    timers.set(form, setTimeout(function () { autosave(form); }, 800));
  }
  function autosave(form) {
    if (form.dataset.autosaveStale) { return; }
    const status = form.querySelector(".autosave-status");
    // URL-encoded, as the form itself posts: a multipart body of a large diagram (thousands of
    // fields) is over the server's limit on multipart parts and was refused (413).
    fetch(form.dataset.autosave, { method: "POST", body: new URLSearchParams(new FormData(form)), credentials: "same-origin" })
      .then(function (r) {
        if (r.status === 409) { stale(form, status); return; }
        if (!status) { return; }
        if (r.status === 401) {  // the session ended: say so before the officer presses 保存
          status.textContent = say(status, "signedout", "サインインの有効期限が切れたため、下書きを保存できません。" +
            "入力した内容を控えてから、サインインし直してください。");
          status.setAttribute("role", "alert");
          return;
        }
        status.textContent = r.ok ? say(status, "saved", "下書きを自動保存しました（保存ボタンで確定します）")
                                  : say(status, "failed", "下書きを自動保存できませんでした");
      })
      .catch(function () { if (status) { status.textContent = say(status, "offline", "下書きを自動保存できませんでした（通信エラー）"); } });
  }
  // A newer version was saved after this page was loaded (another tab): the draft is refused, so
  // stop autosaving and offer the conflict page (what differs; keep mine, take theirs or merge).
  // Nothing happens by itself: the page changes only when the button is pressed (WCAG 3.2.2).
  function stale(form, status) {
    form.dataset.autosaveStale = "1";
    const alert = form.querySelector(".autosave-conflict");
    const content = form.querySelector("[data-autosave-conflict]");
    if (status) { status.textContent = ""; }
    if (alert && content) {
      Array.from(content.childNodes).forEach(function (node) { alert.appendChild(node); });
    }
  }
  // The page's own wording (data-saved etc., in the page's language), else the Japanese default.
  function say(status, key, japanese) {
    return status.dataset[key] || japanese;
  }
  document.addEventListener("input", function (e) { changed(e.target.form); });
  document.addEventListener("change", function (e) { changed(e.target.form); });
  document.addEventListener("submit", function (e) { clearTimeout(timers.get(e.target)); });

  // Move focus to the error summary so screen-reader and keyboard users find it first.
  document.addEventListener("DOMContentLoaded", function () {
    const summary = document.getElementById("error-summary");
    if (summary) { summary.focus(); }
    document.querySelectorAll("[data-maxlength]").forEach(addCounter);
  });

  // A table that scrolls sideways in its own box (steps 2 and 3): the browser scrolls a focused
  // control into view only when it is wholly hidden, so a half-hidden one is brought in here.
  document.addEventListener("focusin", function (event) {
    const el = event.target;
    const box = el.closest && el.closest("fieldset.group");
    if (!box || box.scrollWidth <= box.clientWidth) { return; }
    const r = el.getBoundingClientRect(), b = box.getBoundingClientRect();
    if (r.left < b.left || r.right > b.right) { el.scrollIntoView({ block: "nearest", inline: "nearest" }); }
  });

  // A link in the error summary: focus the field and show it WITH its label (or its group's
  // legend), not just the box at the top edge of the window.
  document.addEventListener("click", function (event) {
    const link = event.target.closest(".error-summary a[href^='#']");
    if (!link) { return; }
    const target = document.getElementById(decodeURIComponent(link.getAttribute("href").slice(1)));
    if (!target) { return; }
    const control = target.matches("input, select, textarea") ? target
      : target.querySelector("input:not([type=hidden]), select, textarea");
    const caption = target.tagName === "FIELDSET" ? target.querySelector("legend")
      : (control && control.labels && control.labels[0]) || target.closest("fieldset");
    event.preventDefault();
    if (control) { control.focus({ preventScroll: true }); }
    (caption || target).scrollIntoView({ block: "start" });
    if (control) {
      const box = control.getBoundingClientRect();
      if (box.bottom > window.innerHeight || box.top < 0) { control.scrollIntoView({ block: "nearest" }); }
    }
  });

  // Long text: a counter with the limit instead of a silent cut by the browser. The server
  // refuses text over the limit with a message and keeps it, so nothing typed is lost.
  const COUNTER = {
    ja: { left: function (n, max) { return "残り " + n + " 文字（" + max + " 文字まで）"; },
          over: function (n, max) { return n + " 文字多すぎます（" + max + " 文字まで）"; } },
    en: { left: function (n, max) { return n + " characters left (" + max + " at most)"; },
          over: function (n, max) { return n + " characters too many (" + max + " at most)"; } }
  };
  function addCounter(field) {
    const max = parseInt(field.dataset.maxlength, 10);
    if (!max || field.type === "hidden") { return; }
    const words = COUNTER[document.documentElement.lang] || COUNTER.ja;
    const counter = document.createElement("p");
    counter.className = "counter";
    counter.id = (field.id || field.name) + "-count";  // a large diagram's fields have no id
    const live = document.createElement("span");  // read out when typing pauses, not per key
    live.className = "visually-hidden";
    live.setAttribute("aria-live", "polite");
    const shown = document.createElement("span");
    shown.setAttribute("aria-hidden", "true");
    counter.append(shown, live);
    field.insertAdjacentElement("afterend", counter);
    const described = (field.getAttribute("aria-describedby") || "").split(" ").filter(Boolean);
    field.setAttribute("aria-describedby", described.concat(counter.id).join(" "));
    let timer = null;
    function update(announce) {
      const length = Array.from(field.value).length;  // characters, as the server counts them
      const text = length > max ? words.over(length - max, max) : words.left(max - length, max);
      // A short one-line field shows its counter only when the limit is near.
      counter.hidden = field.tagName !== "TEXTAREA" && length < max * 0.8;
      counter.classList.toggle("over", length > max);
      shown.textContent = text;
      clearTimeout(timer);
      if (announce) { timer = setTimeout(function () { live.textContent = text; }, 1000); }
    }
    field.addEventListener("input", function () { update(true); });
    update(false);
  }

  // The system overview diagram (step 3): references follow the tables, the picture follows
  // every change, elements can be dragged to another zone, and value changes can be undone.
  const figure = document.querySelector("figure.diagram[data-preview]");
  if (figure) {
    const form = figure.closest("form");
    const canvas = figure.querySelector(".diagram-canvas");
    const undoButton = form.querySelector("[data-diagram-undo]");
    const history = [];
    let previewTimer = null;

    function snapshot() {
      const values = {};
      form.querySelectorAll("[data-rows] select, [data-rows] input").forEach(function (el) { values[el.name] = el.value; });
      return values;
    }
    let last = snapshot();

    function options(list) {  // [[id, label], ...] from a table's rows
      const rows = form.querySelectorAll('[data-rows="' + list + '"] > [data-row]');
      return Array.from(rows).map(function (row) {
        const id = row.querySelector("input[type=hidden]").value;
        const label = row.querySelector("input[type=text], input:not([type])");
        return [id, (label && label.value) || id];
      }).filter(function (pair) { return pair[0]; });
    }
    // The page lists each set of choices once, in a <datalist>, and the fields that use one are
    // text inputs (so the page does not grow as flows × elements). Here each becomes a select:
    // references (data-ref on the list) from the tables as they are now, fixed lists from the list.
    function choicesOf(list) {
      return list.dataset.ref ? options(list.dataset.ref)
        : Array.from(list.options).map(function (o) { return [o.value, o.textContent]; });
    }
    // The options of one list, built once and copied into each select that uses it: a large
    // diagram has hundreds of selects of hundreds of options (building each anew took seconds).
    function templateOf(list, pairs) {
      const template = document.createElement("select");
      if (list.dataset.empty) { template.add(new Option(list.dataset.empty, "")); }
      pairs.forEach(function (pair) { template.add(new Option(pair[1], pair[0])); });
      return template;
    }
    function fill(select, list, pairs, template) {
      const keep = select.value;
      select.replaceChildren.apply(select, Array.from((template || templateOf(list, pairs)).cloneNode(true).options));
      if (keep && !pairs.some(function (pair) { return pair[0] === keep; })) {
        select.add(new Option(keep, keep));  // what was typed or stored stays visible (the server reports it)
      }
      select.value = keep;
    }
    // A large diagram (data-compact) keeps its text fields with their shared lists: a select per
    // field would put flows × elements options in the page again, and took the browser seconds
    // to build and to refresh after each change.
    const compact = figure.hasAttribute("data-compact");
    const built = {};
    form.querySelectorAll("[data-rows] input[list]").forEach(function (input) {
      const list = document.getElementById(input.getAttribute("list"));
      if (!list || compact) { return; }
      if (!built[list.id]) {
        const pairs = choicesOf(list);
        built[list.id] = { pairs: pairs, template: templateOf(list, pairs) };
      }
      const select = document.createElement("select");
      ["id", "name", "aria-label", "aria-describedby", "aria-invalid", "lang"].forEach(function (attr) {
        if (input.hasAttribute(attr)) { select.setAttribute(attr, input.getAttribute(attr)); }
      });
      select.dataset.list = list.id;
      if (list.dataset.ref) { select.dataset.ref = list.dataset.ref; }
      select.add(new Option(input.value, input.value));
      select.value = input.value;
      fill(select, list, built[list.id].pairs, built[list.id].template);
      input.replaceWith(select);
    });
    let lastChoices = {};
    function refreshReferences() {
      const now = {};
      const templates = {};
      ["zones", "elements"].forEach(function (ref) { now[ref] = JSON.stringify(options(ref)); });
      form.querySelectorAll("datalist[data-ref]").forEach(function (list) {  // the lists the fields suggest from
        const ref = list.dataset.ref;
        if (compact && now[ref] !== lastChoices[ref]) {
          list.replaceChildren.apply(list, JSON.parse(now[ref]).map(function (pair) { return new Option(pair[1], pair[0]); }));
        }
      });
      form.querySelectorAll("select[data-ref]").forEach(function (select) {
        const ref = select.dataset.ref;
        if (now[ref] === lastChoices[ref] && select.options.length > 1) { return; }  // unchanged: keep
        const list = document.getElementById(select.dataset.list);
        if (!templates[list.id]) { templates[list.id] = templateOf(list, JSON.parse(now[ref])); }
        fill(select, list, JSON.parse(now[ref]), templates[list.id]);
      });
      lastChoices = now;
    }
    function refreshPreview() {
      clearTimeout(previewTimer);
      previewTimer = setTimeout(function () {
        fetch(figure.dataset.preview, { method: "POST", body: new URLSearchParams(new FormData(form)), credentials: "same-origin" })
          .then(function (r) { return r.ok ? r.text() : null; })
          .then(function (html) { if (html !== null) { canvas.innerHTML = html; } });
      }, 400);
    }
    // A large diagram's page shows the stored picture as an <img> (to keep the page small); with
    // JavaScript it is replaced by the inline drawing at once, so elements can be dragged.
    if (canvas.querySelector("img[data-diagram-image]")) { refreshPreview(); }
    function changedDiagram() {
      history.push(last);
      last = snapshot();
      undoButton.disabled = false;
      refreshReferences();
      refreshPreview();
    }
    form.addEventListener("change", changedDiagram);
    form.addEventListener("click", function (e) {
      if (e.target.closest("[data-row-add], [data-row-remove]")) { setTimeout(changedDiagram, 0); }
    });
    undoButton.hidden = false;
    undoButton.addEventListener("click", function () {
      const previous = history.pop();
      if (!previous) { return; }
      Object.keys(previous).forEach(function (name) {
        const el = form.elements.namedItem(name);
        if (el && "value" in el) { el.value = previous[name]; }
      });
      last = snapshot();
      undoButton.disabled = history.length === 0;
      refreshReferences();
      refreshPreview();
      changed(form);  // autosave the undone state as the draft
    });

    // Drag an element onto another zone: the same as choosing that zone in the table.
    let dragging = null;
    canvas.addEventListener("pointerdown", function (e) {
      const element = e.target.closest("g.element");
      if (!element) { return; }
      dragging = { id: element.dataset.element, node: element, x: e.clientX, y: e.clientY };
      element.setPointerCapture(e.pointerId);
      element.classList.add("dragging");
    });
    canvas.addEventListener("pointermove", function (e) {
      if (!dragging) { return; }
      dragging.node.setAttribute("transform", "translate(" + (e.clientX - dragging.x) + " " + (e.clientY - dragging.y) + ")");
    });
    canvas.addEventListener("pointerup", function (e) {
      if (!dragging) { return; }
      const drag = dragging;
      dragging = null;
      drag.node.style.visibility = "hidden";
      const under = document.elementFromPoint(e.clientX, e.clientY);
      drag.node.style.visibility = "";
      drag.node.removeAttribute("transform");
      drag.node.classList.remove("dragging");
      const zone = under && under.closest("g.zone");
      if (!zone) { return; }
      const rows = form.querySelectorAll('[data-rows="elements"] > [data-row]');
      Array.from(rows).forEach(function (row) {
        if (row.querySelector("input[type=hidden]").value === drag.id) {
          const select = row.querySelector("[name$='-zone']");  // a select, or a large diagram's text field
          if (select.value !== zone.dataset.zone) {
            select.value = zone.dataset.zone;
            select.dispatchEvent(new Event("change", { bubbles: true }));
          }
        }
      });
    });
  }
})();
