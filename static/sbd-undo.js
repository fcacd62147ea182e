// sbd-tool: deleting a task in step 1 asks first and can be undone (issue 17, versions).
// Progressive enhancement on top of sbd.js, which removes rows in place: this script asks before
// a task row goes and then offers 「元に戻す」, which puts the row back where it was, with what was
// typed in it, until the page is saved. Without JavaScript the delete button submits the form and
// the server asks on a page of its own (wizard.remove_task), with an undo after it.
(function () {
  "use strict";

  const english = document.documentElement.lang === "en";
  const TEXT = english ? {
    ask: function (name) { return "Delete the task “" + name + "”? Nothing is final until you save."; },
    done: function (name) { return "Deleted the task “" + name + "” (not final until you save)."; },
    undo: "Undo",
    back: function (name) { return "The task “" + name + "” is back."; },
    unnamed: "(no name)",
  } : {
    ask: function (name) { return "業務「" + name + "」を削除しますか。保存するまでは確定しません。"; },
    done: function (name) { return "業務「" + name + "」を削除しました（保存するまでは確定しません）。"; },
    undo: "元に戻す",
    back: function (name) { return "業務「" + name + "」を元に戻しました。"; },
    unnamed: "（名称未入力）",
  };

  function rowsOf(list) { return Array.from(list.querySelectorAll(":scope > [data-row]")); }

  function taskName(row) {
    const field = row.querySelector("input[name$='-name']");
    return (field && field.value.trim()) || TEXT.unnamed;
  }

  // The same renumbering as sbd.js (whose functions are private): names, ids and the row numbers
  // in accessible names follow the row's new place.
  function renumber(list) {
    const prefix = list.dataset.rows + "-";
    rowsOf(list).forEach(function (row, i) {
      row.querySelectorAll("[aria-label]").forEach(function (el) {
        el.setAttribute("aria-label", el.getAttribute("aria-label").replace(/\d+行目/, (i + 1) + "行目"));
      });
      row.querySelectorAll(".visually-hidden").forEach(function (el) {
        el.textContent = el.textContent.replace(/(?<![A-Z\d])\d+(行目)?）$/, function (_m, unit) { return (i + 1) + (unit || "") + "）"; });
      });
      row.querySelectorAll("[name], [id], [for], [aria-describedby]").forEach(function (el) {
        ["name", "id", "for", "aria-describedby"].forEach(function (attr) {
          const v = el.getAttribute(attr);
          if (v && v.indexOf(prefix) !== -1) {
            el.setAttribute(attr, v.split(" ").map(function (token) {
              return token.indexOf(prefix) === 0 ? token.replace(new RegExp("^" + prefix + "\\d+"), prefix + i) : token;
            }).join(" "));
          }
        });
      });
    });
  }

  function changed(row) {  // let sbd.js autosave the draft, as after any edit of a field
    const field = row.querySelector("input, textarea");
    if (field) { field.dispatchEvent(new Event("change", { bubbles: true })); }
  }

  function offerUndo(list, row, index, name) {
    const old = list.parentElement.querySelector(".undo-bar");
    if (old) { old.remove(); }  // one undo at a time: the latest deletion
    const bar = document.createElement("div");
    bar.className = "undo-bar flash flash-info";
    bar.setAttribute("role", "status");
    const text = document.createElement("p");
    text.textContent = TEXT.done(name);
    const button = document.createElement("button");
    button.type = "button";
    button.textContent = TEXT.undo;
    bar.append(text, button);
    list.insertAdjacentElement("afterend", bar);
    button.focus();
    button.addEventListener("click", function () {
      const rows = rowsOf(list);
      list.insertBefore(row, rows[index] || null);
      renumber(list);
      bar.remove();
      const status = document.createElement("p");
      status.className = "visually-hidden";
      status.setAttribute("role", "status");
      status.textContent = TEXT.back(name);
      list.insertAdjacentElement("afterend", status);
      setTimeout(function () { status.remove(); }, 5000);
      const first = row.querySelector("input:not([type=hidden]), textarea");
      if (first) { first.focus(); }
      changed(row);
    });
  }

  // Capture phase: runs before sbd.js's handler, which would remove the row at once.
  document.addEventListener("click", function (event) {
    const button = event.target.closest('[data-rows="tasks"] > [data-row] [data-row-remove]');
    if (!button || button.dataset.confirmed) { return; }
    const row = button.closest("[data-row]");
    const list = row.parentElement;
    if (rowsOf(list).length <= 1) { return; }  // the last row: sbd.js leaves it to the server, which asks
    event.preventDefault();
    event.stopImmediatePropagation();
    const name = taskName(row);
    if (!window.confirm(TEXT.ask(name))) { return; }
    const index = rowsOf(list).indexOf(row);
    button.dataset.confirmed = "1";
    button.click();  // sbd.js removes the row in place (renumbers, moves the focus, autosaves)
    delete button.dataset.confirmed;
    if (!row.isConnected) { offerUndo(list, row, index, name); }
  }, true);
})();
