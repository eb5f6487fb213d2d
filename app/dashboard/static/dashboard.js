/*
 * The dashboard: sign in with a platform account, then the year's figures from the statistics API
 * (tallies, targets, top parties) and, for registrars, their overdue queue.
 *
 * Plain script, no build step: it runs as the browser loads it. The access token stays in this tab's
 * sessionStorage (gone when the tab closes). Every figure drawn is also written into the page as
 * data (a chart's `data-values`, a figure's `data-fen`), so what is shown can be checked against the
 * API it came from.
 */
(function () {
  "use strict";

  const API = "api/v1/";
  const TOKEN_KEY = "techtransfer.dashboard.token";
  const YEARS_SHOWN = 5;
  const FEN_PER_WAN = 1000000; // 1 万元 = 10,000 元 = 1,000,000 分
  const STATUS_LABELS = { submitted: "已提交", accepted: "已受理" };
  const COLORS = ["#1f6feb", "#f59f00", "#2f9e44", "#e64980", "#7048e8", "#0c8599", "#e8590c",
    "#5c940d", "#c2255c", "#364fc7", "#868e96"];

  const state = { token: sessionStorage.getItem(TOKEN_KEY), me: null, charts: {}, loads: 0, year: null };
  const $ = (id) => document.getElementById(id);
  const wanFormat = new Intl.NumberFormat("zh-CN", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  const countFormat = new Intl.NumberFormat("zh-CN");

  class HttpError extends Error {
    constructor(status, problem) {
      super((problem && (problem.detail || problem.title)) || "HTTP " + status);
      this.status = status;
    }
  }

  function wan(fen) {
    return wanFormat.format(fen / FEN_PER_WAN);
  }

  function wanNumber(fen) {
    return Math.round(fen / 10000) / 100; // 万元 to two decimals, for the charts
  }

  async function api(path, options) {
    const request = Object.assign({}, options || {});
    // The page is Chinese, whatever the browser's own language: labels and messages come in Chinese.
    request.headers = Object.assign({ Accept: "application/json", "Accept-Language": "zh-CN" }, request.headers || {});
    if (state.token && !request.anonymous) {
      request.headers.Authorization = "Bearer " + state.token;
    }
    const response = await fetch(API + path, request);
    if (!response.ok) {
      let problem = null;
      try {
        problem = await response.json();
      } catch (ignored) {
        problem = null;
      }
      if (response.status === 401 && !request.anonymous) {
        signOut("登录已过期，请重新登录。");
      }
      throw new HttpError(response.status, problem);
    }
    return response.json();
  }

  // --- signing in and out --------------------------------------------------------------------------

  async function signIn(event) {
    event.preventDefault();
    const error = $("sign-in-error");
    error.hidden = true;
    $("sign-in-button").disabled = true;
    try {
      const form = new URLSearchParams({ username: $("username").value.trim(), password: $("password").value });
      const tokens = await api("auth/token", {
        method: "POST",
        body: form,
        headers: { "Content-Type": "application/x-www-form-urlencoded" },
        anonymous: true,
      });
      state.token = tokens.access_token;
      sessionStorage.setItem(TOKEN_KEY, state.token);
      $("password").value = "";
      await start();
    } catch (failure) {
      error.textContent = failure.status === 401 || failure.status === 400
        ? "邮箱或密码不正确。"
        : "登录失败：" + failure.message;
      error.hidden = false;
    } finally {
      $("sign-in-button").disabled = false;
    }
  }

  function signOut(message) {
    state.token = null;
    state.me = null;
    sessionStorage.removeItem(TOKEN_KEY);
    $("dashboard").hidden = true;
    $("controls").hidden = true;
    $("sign-in-panel").hidden = false;
    const error = $("sign-in-error");
    error.textContent = message || "";
    error.hidden = !message;
    document.body.dataset.signedIn = "false";
  }

  async function start() {
    const token = state.token;
    const me = await api("users/me");
    if (state.token !== token) {
      return; // signed out (or in as someone else) meanwhile: this account is not the one shown
    }
    state.me = me;
    const name = state.me.display_name || state.me.email;
    const roles = (state.me.roles || []).filter((grant) => !grant.revoked_at);
    const roleNames = roles.map((grant) => grant.region_name ? grant.region_name + roleLabel(grant.role) : roleLabel(grant.role));
    $("who").textContent = name + (roleNames.length ? "（" + roleNames.join("、") + "）" : "");
    $("sign-in-panel").hidden = true;
    $("controls").hidden = false;
    $("dashboard").hidden = false;
    document.body.dataset.signedIn = "true";
    await load(Number($("year").value));
  }

  function roleLabel(role) {
    return { registrar: "技术合同登记员", district_admin: "县区管理员", city_admin: "市级管理员",
      system_admin: "系统管理员", broker: "技术经纪人" }[role] || role;
  }

  function isRegistrar() {
    return (state.me && state.me.roles || []).some((grant) => grant.role === "registrar" && !grant.revoked_at);
  }

  // --- loading a year --------------------------------------------------------------------------------

  function tally(by, year) {
    return api("statistics/tally?" + new URLSearchParams({ by: by, period: "month", year: String(year) }));
  }

  async function load(year) {
    state.year = year;
    const loading = ++state.loads;
    document.body.dataset.loading = "true";
    $("status").textContent = "正在加载 " + year + " 年数据…";
    const requests = {
      month: tally("period", year),
      previous: tally("period", year - 1),
      region: tally("region", year),
      type: tally("contract_type", year),
      field: tally("tech_field", year),
      targets: api("statistics/targets?year=" + year),
      sellers: api("statistics/top?" + new URLSearchParams({ side: "seller", year: String(year), limit: "10" })),
      buyers: api("statistics/top?" + new URLSearchParams({ side: "buyer", year: String(year), limit: "10" })),
    };
    if (isRegistrar()) {
      requests.queue = api("contracts?scope=queue&overdue=true&limit=100");
    }
    const names = Object.keys(requests);
    const settled = await Promise.allSettled(names.map((name) => requests[name]));
    if (loading !== state.loads || !state.token) {
      return; // a later load (another year, a refresh) or a sign-out took over
    }
    const results = {};
    const failures = [];
    names.forEach((name, index) => {
      const outcome = settled[index];
      if (outcome.status === "fulfilled") {
        results[name] = outcome.value;
      } else {
        failures.push(outcome.reason);
      }
    });
    showFigures(results.month, results.previous, year);
    showMonths(year, results.month, results.previous);
    showCategories("chart-region", results.region, "region", "bar");
    showCategories("chart-type", results.type, "contract_type", "pie");
    showCategories("chart-field", results.field, "tech_field", "bar");
    showTargets(results.targets);
    showParties("top-sellers", results.sellers);
    showParties("top-buyers", results.buyers);
    $("queue-panel").hidden = !("queue" in requests);
    if (results.queue) {
      showQueue(results.queue);
    }
    const forbidden = failures.some((failure) => failure.status === 403);
    $("status").textContent = forbidden
      ? "您的账号无权查看部分统计（统计数据向市、县区管理员开放）。"
      : failures.length
        ? "部分数据加载失败：" + failures[0].message
        : "数据截至 " + today() + "，" + year + " 年。";
    document.body.dataset.loading = "false";
    document.body.dataset.loaded = String(year);
    document.body.dataset.loads = String(loading);
  }

  function today() {
    // The date in China Standard Time (UTC+8, no daylight saving), as the API counts days and years,
    // whatever the browser's time zone.
    return new Date(Date.now() + 8 * 3600 * 1000).toISOString().slice(0, 10);
  }

  // --- figures, targets and tables ---------------------------------------------------------------

  function showFigures(month, previous, year) {
    const totals = month ? month.totals : null;
    const before = previous ? previous.totals : null;
    setFigure("kpi-total-previous", "fen", before && before.total_fen, (fen) => (year - 1) + " 年全年 " + wan(fen) + " 万元");
    setFigure("kpi-count-previous", "count", before && before.count, (count) => (year - 1) + " 年全年 " + countFormat.format(count) + " 项");
    setFigure("kpi-total", "fen", totals && totals.total_fen, (fen) => wan(fen) + " 万元");
    setFigure("kpi-income", "fen", totals && totals.technical_income_fen, (fen) => wan(fen) + " 万元");
    setFigure("kpi-count", "count", totals && totals.count, (count) => countFormat.format(count) + " 项");
    setFigure("kpi-iur", "count", totals && totals.iur_count, (count) => countFormat.format(count) + " 项");
  }

  function setFigure(id, kind, value, format) {
    const element = $(id);
    const known = value !== null && value !== undefined;
    element.dataset[kind] = known ? String(value) : "";
    element.textContent = known ? format(value) : "—";
  }

  function showTargets(report) {
    const items = report ? (Array.isArray(report) ? report : report.items || []) : [];
    let shown = 0;
    ["total_fen", "iur_projects"].forEach((metric) => {
      const box = $("target-" + metric);
      const item = items.find((candidate) => candidate.metric === metric);
      const money = metric === "total_fen";
      const format = (value) => value === null || value === undefined
        ? "—"
        : money ? wan(value) + " 万元" : countFormat.format(value) + " 项";
      box.dataset.value = item ? String(item.value) : "";
      box.dataset.actual = item ? String(item.actual) : "";
      box.dataset.progress = item && item.progress !== null ? String(item.progress) : "";
      box.dataset.forecast = item && item.forecast !== null && item.forecast !== undefined ? String(item.forecast) : "";
      box.querySelector(".target-value").textContent = item ? format(item.value) : "未设置";
      box.querySelector(".target-actual").textContent = item ? format(item.actual) : "—";
      box.querySelector(".target-progress").textContent =
        item && item.progress !== null ? (item.progress * 100).toFixed(1) + "%" : "—";
      box.querySelector(".target-forecast").textContent = item ? format(item.forecast) : "—";
      const progress = item && item.progress ? item.progress : 0;
      box.querySelector(".fill").style.width = Math.min(progress, 1) * 100 + "%";
      box.classList.toggle("reached", progress >= 1);
      shown += item ? 1 : 0;
    });
    const note = $("targets-note");
    note.hidden = shown > 0;
    note.textContent = report ? "本年度未设置目标。" : "目标数据暂不可用。";
  }

  function showParties(id, page) {
    const table = $(id);
    const items = page ? page.items : [];
    table.dataset.values = JSON.stringify(items.map((item) => ({
      rank: item.rank, name: item.name, count: item.count, total_fen: item.total_fen,
    })));
    fillRows(table, items.map((item) => [
      cell(String(item.rank)), cell(item.name), cell(countFormat.format(item.count)),
      cell(wan(item.total_fen), "num"),
    ]), 4, page ? "本年度暂无登记合同" : "暂无数据");
  }

  function showQueue(page) {
    const table = $("overdue-queue");
    const items = page.items;
    table.dataset.values = JSON.stringify(items.map((item) => ({
      id: item.id, project_name: item.project_name, due_on: item.due_on, total_fen: item.total_fen,
    })));
    fillRows(table, items.map((item) => [
      cell(item.project_name), cell(item.seller_name), cell(STATUS_LABELS[item.status] || item.status),
      cell(item.due_on + (item.due_on_provisional ? "（暂定）" : ""), item.overdue ? "overdue" : ""),
      cell(wan(item.total_fen), "num"),
    ]), 5, "没有超期的合同");
  }

  function cell(text, className) {
    const td = document.createElement("td");
    td.textContent = text;
    if (className) {
      td.className = className;
    }
    return td;
  }

  function fillRows(table, rows, columns, emptyText) {
    const body = table.tBodies[0];
    body.replaceChildren();
    rows.forEach((cells) => {
      const tr = document.createElement("tr");
      tr.append(...cells);
      body.append(tr);
    });
    if (!rows.length) {
      const tr = document.createElement("tr");
      const td = cell(emptyText, "empty");
      td.colSpan = columns;
      tr.append(td);
      body.append(tr);
    }
  }

  // --- charts ----------------------------------------------------------------------------------------

  function chart(id) {
    if (!state.charts[id]) {
      state.charts[id] = echarts.init($(id), null, { renderer: "canvas" });
    }
    return state.charts[id];
  }

  function rowsOf(tally, dimension) {
    return tally ? tally.rows.map((row) => ({
      value: row.keys[dimension].value,
      label: row.keys[dimension].label,
      count: row.count,
      total_fen: row.total_fen,
    })) : [];
  }

  function showMonths(year, current, previous) {
    const months = Array.from({ length: 12 }, (_, index) => index + 1);
    const byMonth = (tally, of) => {
      const found = new Map(rowsOf(tally, "period").map((row) => [row.value, row.total_fen]));
      return months.map((month) => found.get(of + "-" + String(month).padStart(2, "0")) || 0);
    };
    const element = $("chart-month");
    element.dataset.values = JSON.stringify(rowsOf(current, "period"));
    element.dataset.previous = JSON.stringify(rowsOf(previous, "period"));
    const thisYear = byMonth(current, year);
    const lastYear = byMonth(previous, year - 1);
    chart("chart-month").setOption({
      color: COLORS,
      tooltip: { trigger: "axis", valueFormatter: (value) => wanFormat.format(value) + " 万元" },
      legend: { top: 0, data: [year + " 年", (year - 1) + " 年"] },
      grid: { left: 64, right: 24, top: 40, bottom: 32 },
      xAxis: { type: "category", data: months.map((month) => month + "月") },
      yAxis: { type: "value", name: "万元" },
      series: [
        { name: year + " 年", type: "bar", data: thisYear.map(wanNumber), barMaxWidth: 36 },
        { name: (year - 1) + " 年", type: "line", data: lastYear.map(wanNumber), smooth: true },
      ],
    }, true);
  }

  function showCategories(id, tally, dimension, kind) {
    const rows = rowsOf(tally, dimension);
    $(id).dataset.values = JSON.stringify(rows);
    const option = kind === "pie"
      ? {
        color: COLORS,
        tooltip: { trigger: "item", formatter: (item) => item.name + "<br>" + wanFormat.format(item.value) + " 万元（" + item.percent + "%）" },
        legend: { bottom: 0, type: "scroll" },
        series: [{
          type: "pie", radius: ["35%", "65%"], center: ["50%", "45%"],
          label: { formatter: "{b}\n{d}%" },
          data: rows.map((row) => ({ name: row.label, value: wanNumber(row.total_fen) })),
        }],
      }
      : {
        color: COLORS,
        tooltip: { trigger: "axis", axisPointer: { type: "shadow" }, valueFormatter: (value) => wanFormat.format(value) + " 万元" },
        grid: { left: 150, right: 48, top: 16, bottom: 24 },
        xAxis: { type: "value", name: "万元" },
        yAxis: { type: "category", inverse: true, data: rows.map((row) => row.label) },
        series: [{
          type: "bar", barMaxWidth: 22,
          label: { show: true, position: "right", formatter: (item) => wanFormat.format(item.value) },
          data: rows.map((row) => wanNumber(row.total_fen)),
        }],
      };
    chart(id).setOption(option, true);
  }

  // --- the page --------------------------------------------------------------------------------------

  function setUp() {
    const select = $("year");
    const thisYear = Number(today().slice(0, 4));
    for (let year = thisYear; year > thisYear - YEARS_SHOWN; year -= 1) {
      const option = document.createElement("option");
      option.value = String(year);
      option.textContent = year + " 年";
      select.append(option);
    }
    select.addEventListener("change", () => load(Number(select.value)));
    $("refresh").addEventListener("click", () => load(Number(select.value)));
    $("sign-out").addEventListener("click", () => signOut(""));
    $("sign-in").addEventListener("submit", signIn);
    window.addEventListener("resize", () => Object.values(state.charts).forEach((instance) => instance.resize()));
    if (state.token) {
      start().catch(() => signOut(""));
    } else {
      signOut("");
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUp);
  } else {
    setUp();
  }
})();
