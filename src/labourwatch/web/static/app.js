// labourwatch dashboard: keyboard review, selecting a figure to add a claim, marks that
// jump to their claim. No inline script anywhere (the Content-Security-Policy forbids it).
"use strict";

// Offsets in the document text in code points, as Python counts them (JavaScript counts
// UTF-16 units, which differ for characters outside the Basic Multilingual Plane).
function codePoints(text) { return Array.from(text).length; }

function offsetIn(container, node, offset) {
  const range = document.createRange();
  range.selectNodeContents(container);
  range.setEnd(node, offset);
  return codePoints(range.toString());
}

function watchSelection() {
  const text = document.getElementById("doctext");
  const start = document.getElementById("sel-start");
  if (!text || !start) return;
  const end = document.getElementById("sel-end");
  const shown = document.getElementById("selected");
  document.addEventListener("selectionchange", () => {
    const sel = document.getSelection();
    if (!sel || sel.rangeCount === 0 || sel.isCollapsed) return;
    const range = sel.getRangeAt(0);
    if (!text.contains(range.startContainer) || !text.contains(range.endContainer)) return;
    start.value = offsetIn(text, range.startContainer, range.startOffset);
    end.value = offsetIn(text, range.endContainer, range.endOffset);
    shown.value = sel.toString();
  });
}

function linkMarks() {
  document.querySelectorAll("mark[data-target]").forEach((mark) => {
    mark.addEventListener("click", () => {
      const target = document.getElementById(mark.dataset.target);
      if (target) target.scrollIntoView({ behavior: "smooth", block: "center" });
    });
  });
}

function reviewKeys() {
  const item = document.getElementById("review-item");
  if (!item) return;
  document.addEventListener("keydown", (event) => {
    const typing = event.target.closest && event.target.closest("input, textarea, select");
    if (typing || event.ctrlKey || event.metaKey || event.altKey) return;
    const key = event.key.toLowerCase();
    if (key === "n") { window.location.href = item.dataset.next; return; }
    const control = item.querySelector(`[data-key="${key}"]`);
    if (!control) return;
    event.preventDefault();
    if (control.tagName === "SUMMARY") {
      control.parentElement.open = true;
      const first = control.parentElement.querySelector("input:not([type=hidden]), select");
      if (first) first.focus();
    } else {
      control.click();
    }
  });
}

document.addEventListener("DOMContentLoaded", () => { watchSelection(); linkMarks(); reviewKeys(); });
