// The live table: a map of rows keyed by port id, kept up to date by the change sets the server
// sends over Server-Sent Events (add / update / remove; the first one is the snapshot).
"use strict";

const rows = new Map();
const history = [];
const tbody = document.querySelector("#ports tbody");
const status = document.getElementById("status");

function bytes(n) {
  if (n < 1024) return n.toFixed(0) + " B";
  if (n < 1024 * 1024) return (n / 1024).toFixed(1) + " KiB";
  return (n / 1024 / 1024).toFixed(1) + " MiB";
}

function cell(tr, name, text, numeric) {
  let td = tr.querySelector("td." + name);
  if (!td) {
    td = document.createElement("td");
    td.className = name + (numeric ? " num" : "");
    tr.appendChild(td);
  }
  if (td.textContent !== text) td.textContent = text;
}

function render(row) {
  let tr = tbody.querySelector(`tr[data-id="${row.id}"]`);
  if (!tr) {
    tr = document.createElement("tr");
    tr.dataset.id = row.id;
    tbody.appendChild(tr);
  }
  tr.className = row.state;
  cell(tr, "id", String(row.id));
  cell(tr, "name", row.name);
  cell(tr, "kind", row.kind);
  cell(tr, "pid", row.pid == null ? "–" : String(row.pid));
  cell(tr, "state", row.state);
  cell(tr, "read", bytes(row.bytesRead), true);
  cell(tr, "written", bytes(row.bytesWritten), true);
  cell(tr, "packets", `${row.packetsRead} / ${row.packetsWritten}`, true);
  cell(tr, "queue", bytes(row.queueSize), true);
  cell(tr, "rate", `${bytes(row.readRate)}/s ↓ ${bytes(row.writeRate)}/s ↑`, true);
  cell(tr, "exit", row.exit ?? "");
}

function apply(changes) {
  for (const change of changes) {
    if (change.reason === "remove") {
      rows.delete(change.row.id);
      tbody.querySelector(`tr[data-id="${change.row.id}"]`)?.remove();
    } else {
      rows.set(change.row.id, change.row);
      render(change.row);
    }
  }
  let read = 0, written = 0;
  for (const row of rows.values()) { read += row.readRate; written += row.writeRate; }
  document.getElementById("read-rate").textContent = bytes(read) + "/s";
  document.getElementById("write-rate").textContent = bytes(written) + "/s";
  document.getElementById("open-count").textContent = String(rows.size);
  history.push(read);
  if (history.length > 240) history.shift();
  draw();
}

function draw() {
  const canvas = document.getElementById("history");
  const g = canvas.getContext("2d");
  const max = Math.max(1, ...history);
  g.clearRect(0, 0, canvas.width, canvas.height);
  g.beginPath();
  history.forEach((v, i) => {
    const x = (i / 239) * canvas.width, y = canvas.height - (v / max) * (canvas.height - 4) - 2;
    i === 0 ? g.moveTo(x, y) : g.lineTo(x, y);
  });
  g.strokeStyle = "#2a7";
  g.stroke();
}

const events = new EventSource("events");
events.onopen = () => {
  // A new stream starts with a fresh snapshot: forget what the old one said.
  rows.clear();
  tbody.replaceChildren();
  status.textContent = "live";
  status.className = "status live";
};
events.onmessage = e => apply(JSON.parse(e.data));
events.onerror = () => { status.textContent = "reconnecting…"; status.className = "status"; };
