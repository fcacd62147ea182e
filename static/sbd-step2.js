// sbd-tool step 2 (業務の特徴): the shortcuts of issue 17 done in place. Every button also works
// without JavaScript (it submits the form and the server does the same: sbd_tool/web/wizard/rows.py).
//   [data-row-copy]        copy this row (subject or information) right after it
//   [data-task-copy=all|N] add this task's subjects, information and means to every other task
//                          (or to task N): rows the target already has (same name) are left alone
//   [data-means-to-all]    every task gets this task's means
(function () {
  "use strict";

  const form = document.querySelector("form.step-features");
  if (!form) { return; }

  // A task's lists are tbody[data-rows="tasks-<i>-subjects|information"]; field names inside look
  // like tasks-<i>-subjects-<n>-name; button values like row:remove:tasks:<i>:subjects:<n>.
  function rowsOf(container) {
    return Array.from(container.querySelectorAll(":scope > [data-row]"));
  }

  function taskOf(section) {
    const id = section.querySelector("input[type=hidden][name$='-id']");
    return { index: Number(id.name.split("-")[1]), id: id.value };
  }

  function sections() {
    return Array.from(form.querySelectorAll("section.task"));
  }

  // Names, ids, labels, accessible names and button values of the rows of one list, after rows
  // were inserted: each row says its own task and position again.
  function renumber(container, task) {
    const list = container.dataset.rows.split("-")[2];
    rowsOf(container).forEach(function (row, n) {
      const prefix = "tasks-" + task.index + "-" + list + "-" + n;
      row.querySelectorAll("[name], [id], [for]").forEach(function (el) {
        ["name", "id", "for"].forEach(function (attr) {
          const v = el.getAttribute(attr);
          if (v) { el.setAttribute(attr, v.replace(/^tasks-\d+-(subjects|information)-\d+/, prefix)); }
        });
      });
      row.querySelectorAll("[aria-label]").forEach(function (el) {
        el.setAttribute("aria-label", el.getAttribute("aria-label")
          .replace(/^[^：]*：/, task.id + "：").replace(/\d+行目/, (n + 1) + "行目"));
      });
      row.querySelectorAll(".visually-hidden").forEach(function (el) {
        el.textContent = el.textContent.replace(/（[^ ]* /, "（" + task.id + " ").replace(/\d+行目）$/, (n + 1) + "行目）");
      });
      row.querySelectorAll("button[value^='row:']").forEach(function (el) {
        el.value = el.value.replace(/:tasks:\d+:(subjects|information):\d+$/, ":tasks:" + task.index + ":$1:" + n);
      });
    });
  }

  // A copy of a row with the values as they are now (a select's choice is not copied by cloneNode).
  function twin(row) {
    const copy = row.cloneNode(true);
    const from = row.querySelectorAll("input, select, textarea");
    copy.querySelectorAll("input, select, textarea").forEach(function (el, i) {
      if (el.type === "checkbox" || el.type === "radio") { el.checked = from[i].checked; } else { el.value = from[i].value; }
      el.removeAttribute("aria-invalid");
    });
    copy.querySelectorAll(".error").forEach(function (el) { el.remove(); });
    return copy;
  }

  function nameOf(row) {
    const field = row.querySelector("input[name$='-name']");
    return field ? field.value.trim() : "";
  }

  function copyInto(source, target) {
    ["subjects", "information"].forEach(function (list) {
      const from = source.querySelector('[data-rows$="-' + list + '"]');
      const to = target.querySelector('[data-rows$="-' + list + '"]');
      const named = rowsOf(from).filter(nameOf);
      if (!named.length) { return; }
      const kept = rowsOf(to).filter(nameOf);
      const have = kept.map(nameOf);
      const added = named.filter(function (row) { return have.indexOf(nameOf(row)) === -1; });
      if (!kept.length && !added.length) { return; }
      rowsOf(to).forEach(function (row) { if (!nameOf(row)) { row.remove(); } });
      added.forEach(function (row) { to.appendChild(twin(row)); });
      renumber(to, taskOf(target));
    });
    source.querySelectorAll("input[type=checkbox][name$='-means']:checked").forEach(function (box) {
      const same = target.querySelector("input[type=checkbox][name$='-means'][value='" + box.value + "']");
      if (same) { same.checked = true; }
    });
  }

  // Tell the page's autosave (static/sbd.js listens for input on the form) and screen readers.
  function done(button, message) {
    button.form.dispatchEvent(new Event("input", { bubbles: true }));
    const status = form.querySelector(".autosave-status");
    if (status && message) { status.textContent = message; }
  }

  function say(button, japanese) {
    return button.dataset.done || japanese;
  }

  form.addEventListener("click", function (event) {
    const button = event.target.closest("button");
    if (!button || !form.contains(button)) { return; }
    const section = button.closest("section.task");
    if (button.hasAttribute("data-row-copy")) {
      event.preventDefault();
      const row = button.closest("[data-row]");
      const copy = twin(row);
      row.after(copy);
      renumber(row.parentElement, taskOf(section));
      const name = copy.querySelector("input[name$='-name']");
      if (name) { name.focus(); name.select(); }
      done(button, say(button, "行を複製しました。名称を直してください。"));
    } else if (button.dataset.taskCopy) {
      event.preventDefault();
      const others = sections().filter(function (s) { return s !== section; });
      const targets = button.dataset.taskCopy === "all" ? others
        : others.filter(function (s) { return String(taskOf(s).index) === button.dataset.taskCopy; });
      targets.forEach(function (target) { copyInto(section, target); });
      done(button, say(button, "主体・情報・利用手段をほかの業務に追加しました。保存するまで確定しません。"));
    } else if (button.hasAttribute("data-means-to-all")) {
      event.preventDefault();
      const chosen = Array.from(section.querySelectorAll("input[type=checkbox][name$='-means']"))
        .filter(function (box) { return box.checked; }).map(function (box) { return box.value; });
      sections().forEach(function (s) {
        s.querySelectorAll("input[type=checkbox][name$='-means']").forEach(function (box) {
          box.checked = chosen.indexOf(box.value) !== -1;
        });
      });
      done(button, say(button, "利用手段をすべての業務に適用しました。保存するまで確定しません。"));
    }
  });
}());
