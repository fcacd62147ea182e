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
        el.textContent = el.textContent.replace(/\d+(行目)?）$/, function (_m, unit) { return (i + 1) + (unit || "") + "）"; });
      });
      row.querySelectorAll("[name], [id], [for]").forEach(function (el) {
        ["name", "id", "for"].forEach(function (attr) {
          const v = el.getAttribute(attr);
          if (v && v.indexOf(prefix) === 0) {
            el.setAttribute(attr, v.replace(new RegExp("^" + prefix + "\\d+"), prefix + i));
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
      if (/-id$/.test(el.name)) { el.value = ""; }
    });
    row.querySelectorAll("select").forEach(function (el) { el.selectedIndex = 0; });
    row.querySelectorAll("input[type=checkbox], input[type=radio]").forEach(function (el) { el.checked = false; });
    row.querySelectorAll(".error").forEach(function (el) { el.remove(); });
    return row;
  }

  document.addEventListener("click", function (event) {
    const button = event.target.closest("button");
    if (!button) { return; }
    if (button.dataset.rowAdd) {
      const container = document.querySelector('[data-rows="' + button.dataset.rowAdd + '"]');
      const row = container && blankRow(container);
      if (!row) { return; }
      event.preventDefault();
      container.appendChild(row);
      renumber(container);
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
    const status = form.querySelector(".autosave-status");
    fetch(form.dataset.autosave, { method: "POST", body: new FormData(form), credentials: "same-origin" })
      .then(function (r) {
        if (status) { status.textContent = r.ok ? "下書きを自動保存しました（保存ボタンで確定します）" : "下書きを自動保存できませんでした"; }
      })
      .catch(function () { if (status) { status.textContent = "下書きを自動保存できませんでした（通信エラー）"; } });
  }
  document.addEventListener("input", function (e) { changed(e.target.form); });
  document.addEventListener("change", function (e) { changed(e.target.form); });
  document.addEventListener("submit", function (e) { clearTimeout(timers.get(e.target)); });

  // Move focus to the error summary so screen-reader and keyboard users find it first.
  document.addEventListener("DOMContentLoaded", function () {
    const summary = document.getElementById("error-summary");
    if (summary) { summary.focus(); }
  });
})();
