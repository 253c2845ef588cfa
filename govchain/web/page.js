"use strict";
const $ = (id) => document.getElementById(id);
const show = (el, on) => { el.hidden = !on; };

function cell(tr, text, tag = "td") {
  const c = document.createElement(tag);
  c.textContent = text == null ? "" : String(text);
  tr.appendChild(c);
  return c;
}

async function call(url, options) {
  let response;
  try {
    response = await fetch(url, options);
  } catch (e) {
    throw new Error("The verification server cannot be reached.");
  }
  const body = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(body.error || `The server answered ${response.status}.`);
  return body;
}

// -- verification -------------------------------------------------------------------------
async function verify(text) {
  show($("verify-error"), false);
  show($("result"), false);
  try {
    render(await call("/api/verify", { method: "POST", body: text,
                                       headers: { "Content-Type": "application/json" } }));
  } catch (e) {
    $("verify-error").textContent = e.message;
    show($("verify-error"), true);
  }
}

function render(r) {
  const verdict = $("verdict");
  verdict.textContent = r.valid ? "VALID" : `NOT VALID — ${r.verdict}`;
  verdict.className = "verdict " + (r.valid ? "valid" : "invalid");
  verdict.dataset.verdict = r.verdict;
  $("reason").textContent = r.reason;
  show($("reason"), !!r.reason);
  const list = $("checks");
  list.replaceChildren();
  const failedFirst = r.checks.filter((c) => !c.ok).concat(r.checks.filter((c) => c.ok));
  for (const c of failedFirst) {
    const li = document.createElement("li");
    li.className = c.ok ? "ok" : "failed";
    li.dataset.check = c.name;
    const mark = document.createElement("span"); mark.className = "mark"; mark.textContent = c.ok ? "✓" : "✗";
    const name = document.createElement("span"); name.className = "name"; name.textContent = c.name;
    const detail = document.createElement("span"); detail.className = "detail"; detail.textContent = c.detail;
    li.append(mark, name, detail);
    list.appendChild(li);
  }
  const d = r.document, body = $("document").tBodies[0];
  body.replaceChildren();
  const rows = [["name", d.name], ["type", d.type], ["issued by", d.issuers.join(", ")],
                ["issued on", d.issuedOn], ["valid from", d.validFrom], ["valid until", d.validUntil],
                ["holder (keyed hash)", d.holder]];
  for (const [k, v] of Object.entries(d.fields)) rows.push([k, typeof v === "object" ? JSON.stringify(v) : v]);
  for (const [k, v] of rows) {
    if (v === "" || v == null) continue;
    const tr = document.createElement("tr");
    tr.dataset.field = k;
    cell(tr, k, "th"); cell(tr, v);
    body.appendChild(tr);
  }
  const note = $("hidden-note");
  note.textContent = d.hiddenFields ? `${d.hiddenFields} field(s) hidden by the holder ` +
    "(selective disclosure): the checks above cover the whole document." : "";
  show(note, d.hiddenFields > 0);
  show($("result"), true);
}

function readFile(file) {
  const reader = new FileReader();
  reader.onload = () => { $("paste").value = reader.result; verify(reader.result); };
  reader.onerror = () => { $("verify-error").textContent = "The file cannot be read."; show($("verify-error"), true); };
  reader.readAsText(file);
}

const drop = $("drop");
drop.addEventListener("click", () => $("file").click());
drop.addEventListener("keydown", (e) => { if (e.key === "Enter" || e.key === " ") $("file").click(); });
drop.addEventListener("dragover", (e) => { e.preventDefault(); drop.classList.add("over"); });
drop.addEventListener("dragleave", () => drop.classList.remove("over"));
drop.addEventListener("drop", (e) => {
  e.preventDefault(); drop.classList.remove("over");
  if (e.dataTransfer.files.length) readFile(e.dataTransfer.files[0]);
});
$("file").addEventListener("change", (e) => { if (e.target.files.length) readFile(e.target.files[0]); });
$("verify-btn").addEventListener("click", () => verify($("paste").value));

// -- timelines ----------------------------------------------------------------------------
let cases = [];
function fillKinds() {
  const c = cases.find((x) => x.case === $("case").value);
  const kinds = $("kind");
  kinds.replaceChildren();
  for (const k of (c ? c.kinds : [])) {
    const o = document.createElement("option"); o.value = k.name; o.textContent = k.name; o.dataset.label = k.label;
    kinds.appendChild(o);
  }
  labelReference();
}
function labelReference() {
  const o = $("kind").selectedOptions[0];
  $("reference").placeholder = o ? o.dataset.label : "";
}
async function loadCases() {
  try {
    cases = await call("/api/cases");
  } catch (e) {
    $("timeline-error").textContent = e.message; show($("timeline-error"), true); return;
  }
  const select = $("case");
  for (const c of cases) {
    const o = document.createElement("option"); o.value = c.case; o.textContent = `${c.number}. ${c.title}`;
    select.appendChild(o);
  }
  fillKinds();
}
$("case").addEventListener("change", fillKinds);
$("kind").addEventListener("change", labelReference);

async function timeline() {
  show($("timeline-error"), false);
  show($("timeline"), false);
  const q = new URLSearchParams({ reference: $("reference").value, kind: $("kind").value,
                                  filer: $("filer").value });
  try {
    const t = await call(`/api/timeline/${encodeURIComponent($("case").value)}?${q}`);
    $("item-state").textContent = `${t.kind} ${t.reference}: ${t.state} (filed by ${t.filer})`;
    $("item-state").dataset.state = t.state;
    const body = $("steps").tBodies[0];
    body.replaceChildren();
    for (const s of t.steps) {
      const tr = document.createElement("tr");
      tr.dataset.what = s.what;
      cell(tr, s.time ? s.time.replace("T", " ").slice(0, 19) : "");
      cell(tr, s.block); cell(tr, s.what); cell(tr, s.byName); cell(tr, s.detail);
      body.appendChild(tr);
    }
    show($("timeline"), true);
  } catch (e) {
    $("timeline-error").textContent = e.message; show($("timeline-error"), true);
  }
}
$("timeline-btn").addEventListener("click", timeline);
$("reference").addEventListener("keydown", (e) => { if (e.key === "Enter") timeline(); });
loadCases();
