// The page over `fupin serve`: upload a workbook or CSV, show what the service computed, download
// it as .xlsx. Every figure shown is a string of the service's JSON (the view the command line
// prints); this script computes nothing. No libraries, no network beyond this service.
"use strict";

const XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

const TEXT = {
  zh: {
    skip: "跳到正文",
    title: "扶贫资金月通报与年度考核",
    subtitle: "按朝财农〔2020〕67号计算：上传 Excel 或 CSV，查看结果并下载 Excel。",
    langHint: "切换界面和结果的语言",
    tabs: "功能",
    tabBulletin: "月通报",
    tabReport: "年度检查",
    tabScores: "考核评分",
    bulletinHead: "支出进度月通报（二(四)、三(四)）",
    ledgerLabel: "本月台账（.xlsx、.xls、.ods、.csv 或 .json）",
    ledgerHint: "列：月份、县(市)区、[资金来源]、下达（万元）、支出（万元），中英文表头均可。",
    monthLabel: "通报月份",
    scheduleLabel: "序时进度表（可选，.toml 或 .json）",
    scheduleHint: "方案未规定序时进度比例：不提供则不作比较。",
    makeBulletin: "生成通报",
    tryExample: "用示例数据试一试",
    reportHead: "2020年方案检查（二(一)–二(三)、三(一)–三(三)、附件2 序号8）",
    countiesLabel: "县(市)区投入表（可选，.xlsx）：替换内置的示例数字",
    countiesHint: "列：县(市)区、类型、上年投入（万元）、本年投入（万元）。",
    showReport: "查看检查结果",
    scoresHead: "考核评分（附件2 考核办法）",
    cardLabel: "考核表",
    cardA: "A：行业扶贫工作",
    cardB: "B：驻村扶贫、包乡和结对帮扶",
    scoresLabel: "评分表（.xlsx 或 .json）",
    scoresHint: "每行一个单位：单位、各考核项、加分项、一票否决。",
    makeScores: "评分并排名",
    footer: "所有数字由 fupin 服务计算（与命令行输出一致）；示例数据非真实数字。",
    apiDocs: "接口说明（API）",
    download: "下载 Excel（.xlsx）",
    working: "正在计算……",
    needFile: "请先选择文件。",
    errorHead: "无法处理上传的文件",
    value: "值",
    scroll: "表格，可左右滚动",
    downloaded: "已下载：",
    chart: "各县(市)区支出进度图",
  },
  en: {
    skip: "Skip to the content",
    title: "Poverty-alleviation funds: monthly bulletin and annual assessment",
    subtitle: "Computed under 朝财农〔2020〕67号: upload Excel or CSV, see the results, download Excel.",
    langHint: "Switch the language of the page and of the results",
    tabs: "Tasks",
    tabBulletin: "Monthly bulletin",
    tabReport: "Annual checks",
    tabScores: "Scorecards",
    bulletinHead: "Monthly spending-progress bulletin (G4 二(四), M4 三(四))",
    ledgerLabel: "The month's ledger (.xlsx, .xls, .ods, .csv or .json)",
    ledgerHint: "Columns: month, county, [fund source], allocated, spent — Chinese or English headers.",
    monthLabel: "Month",
    scheduleLabel: "Required-progress schedule (optional, .toml or .json)",
    scheduleHint: "The plan gives no required ratio: without a schedule there is no comparison.",
    makeBulletin: "Make the bulletin",
    tryExample: "Try the example data",
    reportHead: "The 2020 plan's checks (G1–G3, M1–M3, task 8)",
    countiesLabel: "County figures (optional, .xlsx): replace the embedded illustrative figures",
    countiesHint: "Columns: county, kind, last year's input, this year's input (in 万元 or yuan).",
    showReport: "Show the checks",
    scoresHead: "Scorecards (annex 2 assessment method)",
    cardLabel: "Scorecard",
    cardA: "A: industry poverty-alleviation work",
    cardB: "B: village stationing, township contracting and pairing",
    scoresLabel: "Score sheet (.xlsx or .json)",
    scoresHint: "One row per unit: unit, each item, each bonus input, veto reason.",
    makeScores: "Score and rank",
    footer: "Every figure is computed by the fupin service (as the command line prints it); example figures are not real.",
    apiDocs: "API documentation",
    download: "Download Excel (.xlsx)",
    working: "Computing…",
    needFile: "Choose a file first.",
    errorHead: "The upload cannot be processed",
    value: "value",
    scroll: "table, scrolls sideways",
    downloaded: "Downloaded: ",
    chart: "Spending progress by county-level unit",
  },
};

const state = { lang: "zh", last: {} };

function t(key) {
  return TEXT[state.lang][key] || TEXT.zh[key] || key;
}

function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === "class") e.className = v;
    else if (k === "text") e.textContent = v;
    else e.setAttribute(k, v === true ? "" : v);
  }
  for (const c of children) if (c) e.append(c);
  return e;
}

// ---- language -------------------------------------------------------------------------------

function applyLang() {
  document.documentElement.lang = state.lang === "zh" ? "zh-CN" : "en";
  for (const e of document.querySelectorAll("[data-i18n]")) e.textContent = t(e.dataset.i18n);
  for (const e of document.querySelectorAll("[data-i18n-label]")) {
    e.setAttribute("aria-label", t(e.dataset.i18nLabel));
  }
  document.getElementById("lang").textContent = state.lang === "zh" ? "English" : "中文";
  document.title = t("title") + " · fupin";
}

async function switchLang() {
  state.lang = state.lang === "zh" ? "en" : "zh";
  applyLang();
  // Ask the service again for every result on the page, in the new language.
  for (const kind of Object.keys(state.last)) await show(kind, state.last[kind]);
}

// ---- tabs -----------------------------------------------------------------------------------

function selectTab(tab, focus) {
  for (const other of document.querySelectorAll('[role="tab"]')) {
    const on = other === tab;
    other.setAttribute("aria-selected", on ? "true" : "false");
    other.tabIndex = on ? 0 : -1;
    document.getElementById(other.getAttribute("aria-controls")).hidden = !on;
  }
  if (focus) tab.focus();
}

function setUpTabs() {
  const tabs = [...document.querySelectorAll('[role="tab"]')];
  tabs.forEach((tab, i) => {
    tab.addEventListener("click", () => selectTab(tab, false));
    tab.addEventListener("keydown", (ev) => {
      const to = { ArrowRight: i + 1, ArrowLeft: i - 1, Home: 0, End: tabs.length - 1 }[ev.key];
      if (to === undefined) return;
      ev.preventDefault();
      selectTab(tabs[(to + tabs.length) % tabs.length], true);
    });
  });
}

// ---- requests -------------------------------------------------------------------------------

const ENDPOINTS = {
  bulletin: "/v1/spending/bulletin",
  report: "/v1/report",
  scores: "/v1/score",
};

/// The form data of a request: files and fields as chosen when it was made.
function formOf(kind) {
  const form = document.getElementById("form-" + kind);
  const fd = new FormData();
  for (const input of form.querySelectorAll("input, select")) {
    if (input.type === "file") {
      if (input.files.length) fd.append(input.name, input.files[0], input.files[0].name);
    } else if (input.value) {
      fd.append(input.name, input.value);
    }
  }
  return fd;
}

async function problemOf(res) {
  try {
    return await res.json();
  } catch (_) {
    return { detail: res.status + " " + res.statusText, errors: [] };
  }
}

/// Where a problem is, for a person: `ledger.六月!C3` → "工作表「六月」单元格 C3".
function where(path) {
  const m = /^[^.!]*\.(.+)!([A-Z]+\d+(?::\d+)?)$/.exec(path || "");
  if (!m) return path || "";
  return state.lang === "zh" ? `工作表「${m[1]}」单元格 ${m[2]}` : `sheet “${m[1]}”, cell ${m[2]}`;
}

function showErrors(kind, problem) {
  const box = document.getElementById("errors-" + kind);
  box.replaceChildren();
  if (!problem) {
    box.hidden = true;
    return;
  }
  box.append(el("h3", { text: t("errorHead") }));
  const errors = (problem.errors || []).filter((e) => e.path || e.value !== undefined);
  if (errors.length) {
    const list = el("ul");
    for (const e of errors) {
      const item = el("li");
      item.append(el("span", { class: "where", text: where(e.path) }));
      if (e.value !== undefined && e.value !== null) {
        item.append(`（${t("value")} `, el("span", { class: "value", text: `“${e.value}”` }), "）");
      }
      item.append("：" + (e.message || ""));
      list.append(item);
    }
    box.append(list);
  } else {
    box.append(el("p", { class: "detail", text: problem.detail || problem.title || "" }));
  }
  box.hidden = false;
  box.focus();
}

async function show(kind, fd) {
  const out = document.getElementById("out-" + kind);
  out.setAttribute("aria-busy", "true");
  out.replaceChildren(el("p", { class: "working", text: t("working") }));
  const res = await fetch(`${ENDPOINTS[kind]}?view=${state.lang}`, {
    method: "POST",
    body: kind === "report" && ![...fd.keys()].length ? "{}" : fd,
    headers: kind === "report" && ![...fd.keys()].length ? { "Content-Type": "application/json" } : {},
  });
  out.removeAttribute("aria-busy");
  if (!res.ok) {
    out.replaceChildren();
    showErrors(kind, await problemOf(res));
    return;
  }
  showErrors(kind, null);
  state.last[kind] = fd;
  render(out, kind, (await res.json()).view);
}

async function download(kind, button) {
  const fd = state.last[kind];
  const empty = ![...fd.keys()].length;
  const res = await fetch(`${ENDPOINTS[kind]}?lang=${state.lang}`, {
    method: "POST",
    body: kind === "report" && empty ? "{}" : fd,
    headers: Object.assign(
      { Accept: XLSX },
      kind === "report" && empty ? { "Content-Type": "application/json" } : {},
    ),
  });
  if (!res.ok) {
    showErrors(kind, await problemOf(res));
    return;
  }
  const name = filenameOf(res.headers.get("Content-Disposition")) || kind + ".xlsx";
  const url = URL.createObjectURL(await res.blob());
  const a = el("a", { href: url, download: name });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
  const note = button.parentElement.querySelector(".saved");
  if (note) note.textContent = t("downloaded") + name;
}

function filenameOf(header) {
  if (!header) return null;
  const star = /filename\*=UTF-8''([^;]+)/i.exec(header);
  if (star) return decodeURIComponent(star[1]);
  const plain = /filename="([^"]+)"/i.exec(header);
  return plain ? plain[1] : null;
}

// ---- rendering ------------------------------------------------------------------------------

function table(spec) {
  const wrap = el("div", { class: "scroll", tabindex: "0", role: "region", "aria-label": (spec.caption || "") + " — " + t("scroll") });
  const tb = el("table");
  if (spec.caption) tb.append(el("caption", { text: spec.caption }));
  const head = el("tr");
  spec.headers.forEach((h, i) => head.append(el("th", { scope: "col", class: spec.align[i], text: h })));
  tb.append(el("thead", {}, head));
  const body = el("tbody");
  for (const row of spec.rows) {
    const tr = el("tr", { class: row.flag || null });
    row.cells.forEach((c, i) => {
      // Long text (a note, the plan's sentence) wraps; figures and names stay on one line.
      const cls = spec.align[i] + (c.length > 14 ? " wide" : "");
      const cell = i === spec.key ? el("th", { scope: "row", class: cls, text: c }) : el("td", { class: cls, text: c });
      tr.append(cell);
    });
    body.append(tr);
  }
  tb.append(body);
  wrap.append(tb);
  return wrap;
}

function lines(list, cls) {
  return (list || []).map((l) => el("p", { class: l.flag ? cls + " " + l.flag : cls, text: l.text }));
}

function render(out, kind, view) {
  out.replaceChildren();
  const head = el("div", { class: "result-head" });
  head.append(el("h3", { text: view.title }));
  const button = el("button", { type: "button", class: "primary download", id: "download-" + kind, text: t("download") });
  button.addEventListener("click", () => download(kind, button));
  head.append(el("div", { class: "dl" }, button, el("span", { class: "saved", "aria-live": "polite" })));
  out.append(head);
  out.append(...lines(view.lines, "line"));
  if (view.chart) {
    const fig = el("figure", { class: "chart" });
    // The chart is SVG drawn by the service from the same figures, its text escaped there.
    fig.innerHTML = view.chart;
    out.append(fig);
  }
  for (const s of view.sections) {
    const sec = el("section", { class: "result " + (s.flag || "") });
    if (s.caption) sec.append(el("h4", { text: s.caption }));
    sec.append(...lines(s.before, "line"));
    for (const tb of s.tables) sec.append(table(tb));
    sec.append(...lines(s.after, "note"));
    out.append(sec);
  }
  out.append(...lines(view.footer, "note"));
}

// ---- forms ----------------------------------------------------------------------------------

function setUpForm(kind, needs) {
  const form = document.getElementById("form-" + kind);
  form.addEventListener("submit", (ev) => {
    ev.preventDefault();
    const missing = needs.find((id) => !document.getElementById(id).files.length);
    if (missing) {
      showErrors(kind, { detail: t("needFile"), errors: [] });
      document.getElementById(missing).focus();
      return;
    }
    show(kind, formOf(kind));
  });
}

async function useExample(input, path, type) {
  const res = await fetch(path);
  const blob = await res.blob();
  const file = new File([blob], path.split("/").pop(), { type });
  const dt = new DataTransfer();
  dt.items.add(file);
  document.getElementById(input).files = dt.files;
}

function setUpExamples() {
  document.getElementById("example-bulletin").addEventListener("click", async () => {
    await useExample("ledger", "/examples/ledger_2020.xlsx", XLSX);
    await useExample("schedule", "/examples/schedule_example.toml", "text/plain");
    document.getElementById("month").value = "2020-06";
    document.getElementById("form-bulletin").requestSubmit();
  });
  document.getElementById("example-scores").addEventListener("click", async () => {
    await useExample("input", "/examples/score_a.xlsx", XLSX);
    document.getElementById("card").value = "a";
    document.getElementById("form-scores").requestSubmit();
  });
}

document.addEventListener("DOMContentLoaded", () => {
  applyLang();
  setUpTabs();
  setUpForm("bulletin", ["ledger"]);
  setUpForm("report", []);
  setUpForm("scores", ["input"]);
  setUpExamples();
  document.getElementById("lang").addEventListener("click", switchLang);
  for (const kind of ["bulletin", "report", "scores"]) {
    document.getElementById("errors-" + kind).tabIndex = -1;
  }
});
