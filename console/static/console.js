// Bulwark console: plain JavaScript, no inline code (the CSP forbids it).
// Every value shown is set with textContent, never parsed as HTML: events
// carry attackers' strings.
'use strict';

const csrf = (document.querySelector('meta[name="csrf-token"]') || {}).content || '';

// api calls the admin API through the console, with the CSRF token.
async function api(path, opts = {}) {
  const init = { method: opts.method || 'GET', headers: { 'X-CSRF-Token': csrf }, credentials: 'same-origin' };
  if (opts.body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(opts.body);
  }
  const resp = await fetch('/console/api' + path, init);
  if (resp.status === 401) { location.href = '/console/login'; throw new Error('not logged in'); }
  const text = await resp.text();
  let data = null;
  try { data = text ? JSON.parse(text) : null; } catch (e) { data = { error: text }; }
  if (!resp.ok) throw new Error((data && data.error) || resp.statusText);
  return data;
}

// el builds an element: el('td', {class: 'x'}, 'text', child…).
function el(tag, attrs, ...kids) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === 'on') for (const [ev, f] of Object.entries(v)) e.addEventListener(ev, f);
    else if (v !== undefined && v !== null && v !== false) e.setAttribute(k, v === true ? '' : v);
  }
  for (const k of kids) e.append(k instanceof Node ? k : document.createTextNode(k == null ? '' : String(k)));
  return e;
}

const $ = (s) => document.querySelector(s);
const fmtTime = (t) => (t ? new Date(t).toLocaleString() : '');
const get = (o, path) => path.split('.').reduce((a, k) => (a == null ? a : a[k]), o);

function fill(tbody, rows, emptyId) {
  tbody.replaceChildren(...rows);
  if (emptyId) $(emptyId).hidden = rows.length > 0;
}

function showDetail(obj) {
  $('#detail-json').textContent = JSON.stringify(obj, null, 2);
  $('#detail').showModal();
}

function status(msg, bad) {
  const s = $('#status');
  if (!s) return;
  s.textContent = msg;
  s.className = bad ? 'status error' : 'status ok';
}

// sparkline draws values (nulls are gaps) as a polyline in an SVG 200×40.
function sparkline(svg, values) {
  const ns = 'http://www.w3.org/2000/svg';
  const nums = values.filter((v) => v != null);
  const max = Math.max(1e-9, ...nums);
  const n = Math.max(1, values.length - 1);
  const parts = [];
  let seg = [];
  values.forEach((v, i) => {
    if (v == null) { if (seg.length) parts.push(seg); seg = []; return; }
    seg.push((i * 200 / n).toFixed(1) + ',' + (38 - (v / max) * 36).toFixed(1));
  });
  if (seg.length) parts.push(seg);
  svg.replaceChildren(...parts.map((p) => {
    const pl = document.createElementNS(ns, 'polyline');
    pl.setAttribute('points', p.length === 1 ? p[0] + ' ' + p[0] : p.join(' '));
    return pl;
  }));
}

function fmtNum(v) {
  if (v == null) return '–';
  return v >= 10 || Number.isInteger(v) ? String(Math.round(v)) : v.toFixed(2);
}

function eventRow(e, cols) {
  return el('tr', { class: 'clickable', on: { click: () => showDetail(e) } }, ...cols.map((c) => el('td', {}, c(e))));
}

const attackCols = [
  (e) => fmtTime(e['@timestamp']),
  (e) => get(e, 'source.ip') || '',
  (e) => get(e, 'user.name') || '',
  (e) => get(e, 'labels.class') || get(e, 'rule.name') || '',
  (e) => get(e, 'rule.id') || '',
  (e) => ((get(e, 'http.request.method') || '') + ' ' + (get(e, 'url.path') || '')).trim(),
  (e) => get(e, 'http.response.status_code') || '',
  (e) => get(e, 'event.action') || '',
];

// ---- overview ----
async function overview() {
  const win = $('#window');
  async function refresh() {
    try {
      const s = await api('/v1/series?window=' + win.value);
      for (const card of document.querySelectorAll('.card[data-series]')) {
        const vals = s[card.dataset.series] || [];
        const last = [...vals].reverse().find((v) => v != null);
        if (card.id !== 'app-card') card.querySelector('.value').textContent = fmtNum(last);
        sparkline(card.querySelector('svg'), vals);
      }
    } catch (e) { /* the next poll retries */ }
    try {
      const a = await api('/v1/app');
      $('#app-state').textContent = a.state;
      $('#app-restarts').textContent = a.restarts + ' restarts' + (a.retry_at ? ', retry at ' + fmtTime(a.retry_at) : '');
    } catch (e) {
      $('#app-state').textContent = 'not supervised';
      $('#app-restarts').textContent = 'start guard with --run to supervise the app';
    }
    try {
      const ev = await api('/v1/events?category=malicious&limit=10');
      fill($('#latest tbody'), ev.events.map((e) => eventRow(e, [attackCols[0], attackCols[1], attackCols[3], attackCols[4], attackCols[5]])));
    } catch (e) { /* retried */ }
  }
  async function advisories() {
    try {
      const a = await api('/v1/audit');
      $('#advisories').textContent = a.open;
      const worst = severities.filter((k) => a.counts[k]).map((k) => a.counts[k] + ' ' + k);
      $('#advisories-sub').textContent = (worst.join(', ') || 'none') + ' in ' + a.projects.length + ' project(s) with findings';
    } catch (e) {
      $('#advisories').textContent = 'n/a';
      $('#advisories-sub').textContent = e.message;
    }
  }
  win.addEventListener('change', refresh);
  await Promise.all([refresh(), advisories()]);
  setInterval(refresh, 5000);
  setInterval(advisories, 60000);
}

const severities = ['critical', 'high', 'medium', 'low', 'none', 'unknown'];

// ---- malicious traffic ----
function durationAgo(s) {
  const m = /^(\d+)([mh])$/.exec(s);
  if (!m) return '';
  return new Date(Date.now() - m[1] * (m[2] === 'h' ? 3600e3 : 60e3)).toISOString().replace(/\.\d+Z$/, 'Z');
}

async function traffic() {
  const form = $('#filters');
  let source = null;
  function query() {
    const q = new URLSearchParams({ category: 'malicious' });
    for (const [k, v] of new FormData(form)) {
      if (!v) continue;
      q.set(k, k === 'since' ? durationAgo(v) : v);
    }
    return q;
  }
  function topList(ol, items) {
    ol.replaceChildren(...items.map((c) => el('li', {}, el('span', {}, c.key), ' ', el('span', { class: 'count' }, c.count))));
  }
  async function load() {
    const q = query();
    const tbody = $('#events tbody');
    try {
      const [ev, top] = await Promise.all([api('/v1/events?' + q + '&limit=200'), api('/v1/events/top?' + q)]);
      fill(tbody, ev.events.map((e) => eventRow(e, attackCols)), '#events-empty');
      topList($('#top-ips'), top.ips); topList($('#top-rules'), top.rules); topList($('#top-paths'), top.paths);
    } catch (e) { $('#live').textContent = 'error: ' + e.message; return; }
    if (source) source.close();
    q.delete('since');
    source = new EventSource('/console/api/v1/events/stream?' + q);
    source.onopen = () => { $('#live').textContent = 'live'; $('#live').className = 'badge live'; };
    source.onerror = () => { $('#live').textContent = 'reconnecting…'; $('#live').className = 'badge'; };
    source.onmessage = (m) => {
      const e = JSON.parse(m.data);
      tbody.prepend(eventRow(e, attackCols));
      while (tbody.rows.length > 500) tbody.deleteRow(-1);
      $('#events-empty').hidden = true;
      document.dispatchEvent(new Event('bulwark:event'));
    };
  }
  async function refreshTop() {
    try {
      const top = await api('/v1/events/top?' + query());
      topList($('#top-ips'), top.ips); topList($('#top-rules'), top.rules); topList($('#top-paths'), top.paths);
    } catch (e) { /* retried */ }
  }
  let pending = null;
  document.addEventListener('bulwark:event', () => { clearTimeout(pending); pending = setTimeout(refreshTop, 500); });
  form.addEventListener('submit', (ev) => { ev.preventDefault(); load(); });
  await load();
  setInterval(refreshTop, 10000);
}

// ---- black book ----
function targetText(t) { return typeof t === 'string' ? t : JSON.stringify(t); }

async function blackbook() {
  async function act(what, f) {
    try { await f(); status(what); } catch (e) { status(e.message, true); }
    await load();
  }
  function banRow(b) {
    const target = targetText(b.target);
    const reason = el('input', { placeholder: 'reason', 'aria-label': 'reason for ' + target, class: 'reason' });
    const dur = el('input', { placeholder: '1h', 'aria-label': 'extend ' + target + ' by', class: 'short' });
    return el('tr', { 'data-target': target },
      el('td', {}, el('a', { href: '#', on: { click: (ev) => { ev.preventDefault(); dossier(target); } } }, target)),
      el('td', {}, b.reason), el('td', {}, b.source), el('td', {}, fmtTime(b.created)),
      el('td', {}, b.expires ? fmtTime(b.expires) : 'permanent'), el('td', {}, b.repeat),
      el('td', {}, reason,
        el('button', { type: 'button', class: 'unban', on: { click: () => {
          if (!reason.value) { status('Give a reason to unban ' + target + '.', true); reason.focus(); return; }
          act('Unbanned ' + target + '.', () => api('/v1/bans/' + encodeURIComponent(target), { method: 'DELETE', body: { reason: reason.value } }));
        } } }, 'Unban'),
        dur,
        el('button', { type: 'button', class: 'extend', on: { click: () => {
          if (!reason.value || !dur.value) { status('Give a duration and a reason to extend the ban of ' + target + '.', true); return; }
          act('Extended the ban of ' + target + '.', () => api('/v1/bans', { method: 'POST', body: { target, duration: dur.value, reason: reason.value } }));
        } } }, 'Extend')));
  }
  async function dossier(target) {
    try { showDetail(await api('/v1/bans/' + encodeURIComponent(target))); } catch (e) { status(e.message, true); }
  }
  async function load() {
    try {
      const [active, all, offs, allow] = await Promise.all([
        api('/v1/bans?active=true'), api('/v1/bans?limit=100'), api('/v1/offenders?limit=100'), api('/v1/allowlist')]);
      fill($('#bans tbody'), active.bans.map(banRow), '#bans-empty');
      fill($('#history tbody'), all.bans.map((b) => el('tr', {},
        el('td', {}, targetText(b.target)), el('td', {}, b.reason), el('td', {}, b.source), el('td', {}, fmtTime(b.created)),
        el('td', {}, b.expires ? fmtTime(b.expires) : 'permanent'), el('td', {}, fmtTime(b.lifted)), el('td', {}, b.liftedBy || ''))));
      fill($('#offenders tbody'), offs.offenders.map((o) => el('tr', { class: 'clickable', on: { click: () => dossier(o.ip) } },
        el('td', {}, o.ip), el('td', {}, Object.entries(o.counts || {}).map(([k, v]) => k + ' ' + v).join(', ')),
        el('td', {}, (o.users || []).join(', ')), el('td', {}, fmtTime(o.firstSeen)), el('td', {}, fmtTime(o.lastSeen)))), '#offenders-empty');
      fill($('#allowlist tbody'), allow.allowlist.map((a) => el('tr', {},
        el('td', {}, a.prefix), el('td', {}, a.reason || ''), el('td', {}, a.configured ? 'bulwark.yaml' : fmtTime(a.created)),
        el('td', {}, a.configured ? '' : el('button', { type: 'button', on: { click: () =>
          act('Removed ' + a.prefix + ' from the allowlist.', () => api('/v1/allowlist/' + encodeURIComponent(a.prefix), { method: 'DELETE' })) } }, 'Remove')))));
    } catch (e) { status(e.message, true); }
  }
  $('#ban-form').addEventListener('submit', (ev) => {
    ev.preventDefault();
    const f = new FormData(ev.target);
    const body = { target: f.get('target'), reason: f.get('reason'), duration: f.get('duration') || '', permanent: f.get('permanent') === 'on' };
    act('Banned ' + body.target + '.', () => api('/v1/bans', { method: 'POST', body }));
  });
  $('#allow-form').addEventListener('submit', (ev) => {
    ev.preventDefault();
    const f = new FormData(ev.target);
    act('Allowed ' + f.get('cidr') + '.', () => api('/v1/allowlist', { method: 'POST', body: { cidr: f.get('cidr'), reason: f.get('reason') } }));
  });
  await load();
  setInterval(load, 10000);
}

// ---- accounts ----
async function accounts() {
  async function load() {
    const [a, i] = await Promise.all([api('/v1/events?category=authentication&limit=1000'), api('/v1/events?category=iam&limit=1000')]);
    const evs = a.events.concat(i.events).sort((x, y) => (x['@timestamp'] < y['@timestamp'] ? 1 : -1));
    for (const table of document.querySelectorAll('table.acct')) {
      const wants = table.dataset.actions.split(',').map((s) => s.split(':'));
      const rows = evs.filter((e) => wants.some(([act, out]) => get(e, 'event.action') === act && (!out || get(e, 'event.outcome') === out)));
      fill(table.tBodies[0], rows.slice(0, 100).map((e) => eventRow(e, [
        (x) => fmtTime(x['@timestamp']), (x) => get(x, 'user.name') || '', (x) => get(x, 'source.ip') || '',
        (x) => x.message || get(x, 'event.action')])));
      if (!rows.length) table.tBodies[0].append(el('tr', {}, el('td', { colspan: 4, class: 'empty' }, 'None since the gateway started.')));
    }
  }
  await load();
  setInterval(() => load().catch(() => {}), 10000);
}

// ---- app ----
// appHealth says what the app's probe saw last: its answer and latency, or
// how many probes in a row failed and when it last answered.
function appHealth(s) {
  const h = s.health;
  if (!h) return s.healthy == null ? 'not checked' : (s.healthy ? 'ok' : 'failing');
  if (h.ok) return 'ok: ' + (h.status_code || 'answered') + ' in ' + h.latency_ms.toFixed(1) + ' ms (' + h.probe + ' probe, ' + fmtTime(h.checked) + ')';
  return 'failing ' + h.failures + ' in a row (' + h.probe + ' probe); last answer ' + (h.last_ok ? fmtTime(h.last_ok) : 'never');
}

async function app() {
  async function load() {
    const dl = $('#app-status');
    try {
      const s = await api('/v1/app');
      const kv = [['state', s.state], ['pid', s.pid], ['started', fmtTime(s.started)], ['uptime', Math.round(s.uptime_seconds) + ' s'],
        ['restarts', s.restarts], ['failures in a row', s.failures], ['health', appHealth(s)],
        ['health error', s.health_error], ['in flight / waiting', s.in_flight + ' / ' + s.waiting],
        ['no answer for', s.unanswered_seconds >= 1 ? Math.round(s.unanswered_seconds) + ' s (requests waiting, none answered)' : ''],
        ['last exit', s.last_exit ? s.last_exit.reason + (s.last_exit.detail ? ': ' + s.last_exit.detail : '') + ' (code ' + s.last_exit.code + (s.last_exit.signal ? ', ' + s.last_exit.signal : '') + ') at ' + fmtTime(s.last_exit.at) : ''],
        ['retry at', fmtTime(s.retry_at)]];
      dl.replaceChildren(...kv.filter(([, v]) => v !== undefined && v !== '').flatMap(([k, v]) => [el('dt', {}, k), el('dd', {}, v)]));
    } catch (e) {
      dl.replaceChildren(el('dt', {}, 'state'), el('dd', {}, 'this gateway supervises no app (start guard with --run)'));
    }
    const ev = await api('/v1/events?category=process&limit=200');
    fill($('#process tbody'), ev.events.map((e) => eventRow(e, [(x) => fmtTime(x['@timestamp']), (x) => get(x, 'event.action'), (x) => x.message || ''])), '#process-empty');
    await logs();
  }
  // logs shows the app's last output lines: the app's own text, so only
  // ever as text.
  async function logs() {
    const pre = $('#logs');
    const empty = $('#logs-empty');
    try {
      const l = await api('/v1/app/logs');
      const atEnd = pre.scrollTop + pre.clientHeight >= pre.scrollHeight - 4;
      pre.replaceChildren(...l.lines.map((x) => el('span', { class: x.stream, title: x.stream + ' of pid ' + x.pid },
        new Date(x.time).toLocaleTimeString() + '  ' + x.text + (x.cut ? ' …[cut]' : '') + '\n')));
      if (atEnd) pre.scrollTop = pre.scrollHeight;
      $('#logs-hint').textContent = 'the last ' + l.keeps + ' lines the app wrote, stderr in red';
      pre.hidden = l.lines.length === 0;
      empty.hidden = l.lines.length > 0;
      empty.textContent = 'The app has written nothing yet.';
    } catch (e) {
      pre.hidden = true;
      empty.hidden = false;
      empty.textContent = e.message;
    }
  }
  await load();
  setInterval(() => load().catch(() => {}), 5000);
}

// ---- dependencies ----
const base = (p) => p.split('/').filter(Boolean).pop() || p;

async function dependencies() {
  async function audit() {
    try {
      const a = await api('/v1/audit');
      $('#audit-absent').hidden = true;
      $('#audit-counts').replaceChildren(...severities.filter((k) => a.counts[k]).map((k) =>
        el('div', { class: 'card sev-' + k }, el('h2', {}, k), el('p', { class: 'value' }, a.counts[k]))));
      const when = a.projects.map((p) => p.scanned).sort().pop();
      $('#audit-when').textContent = when ? '(last monitor run ' + fmtTime(when) + ')' : '';
      const rows = a.projects.flatMap((p) => p.findings.map((f) => el('tr', { class: 'clickable', on: { click: () => showDetail(Object.assign({ project: p.project, scanned: p.scanned }, f)) } },
        el('td', { title: p.project }, base(p.project)),
        el('td', {}, el('span', { class: 'sev sev-' + f.severity }, f.severity + (f.score ? ' ' + f.score.toFixed(1) : ''))),
        el('td', {}, f.package + '@' + f.version + ' (' + f.ecosystem + ')'),
        el('td', {}, f.ids.concat(f.aliases || []).join(', ')),
        el('td', {}, f.fixed || 'no fix yet'),
        el('td', {}, f.summary || ''))));
      fill($('#findings tbody'), rows, '#findings-empty');
      $('#findings').hidden = false;
    } catch (e) {
      $('#audit-absent').textContent = e.message;
      $('#audit-absent').hidden = false;
      $('#findings').hidden = true;
      $('#findings-empty').hidden = true;
      $('#audit-counts').replaceChildren();
    }
  }
  async function updates() {
    const box = $('#updates');
    try {
      const u = await api('/v1/updates');
      $('#updates-absent').hidden = true;
      box.replaceChildren(...u.projects.map((p) => {
        const head = el('h3', { title: p.project }, base(p.project));
        if (p.error) return el('div', { class: 'project' }, head, el('p', { class: 'hint' }, p.error));
        const kept = p.results.filter((r) => r.keep).length;
        let what = fmtTime(p.date) + ': ' + p.results.length + ' candidate(s), ' + kept + ' kept, ' + p.runs + ' test run(s)';
        if (p.baseline && p.baseline.length) what += '; the tests failed before any update';
        if (p.applied) what += '; committed on ' + p.applied.branch;
        const table = el('table', { class: 'updates' },
          el('thead', {}, el('tr', {}, ...['dependency', 'from → to', 'kind', 'result', 'advisories fixed'].map((h) => el('th', {}, h)))),
          el('tbody', {}, ...p.results.map((r) => el('tr', {},
            el('td', {}, r.name + ' (' + r.ecosystem + ')'), el('td', {}, r.from + ' → ' + r.to), el('td', {}, r.kind),
            el('td', { class: 'result-' + r.status.replace(' ', '-') }, r.status + (r.keep ? ' (keep)' : '') + (r.how ? ', ' + r.how : '')),
            el('td', {}, (r.advisories || []).join(', ') || '–')))));
        return el('div', { class: 'project' }, head, el('p', { class: 'hint', title: p.record }, what), p.results.length ? table : el('p', { class: 'empty' }, 'Everything was up to date.'));
      }));
    } catch (e) {
      $('#updates-absent').textContent = e.message;
      $('#updates-absent').hidden = false;
      box.replaceChildren();
    }
  }
  async function vulns() {
    const ev = await api('/v1/events?category=vulnerability&limit=200');
    fill($('#vulns tbody'), ev.events.map((e) => eventRow(e, [(x) => fmtTime(x['@timestamp']), (x) => get(x, 'event.severity'),
      (x) => get(x, 'labels.package') || get(x, 'rule.id') || '', (x) => x.message || ''])), '#vulns-empty');
  }
  const load = () => Promise.all([audit(), updates(), vulns().catch(() => {})]);
  await load();
  setInterval(load, 60000);
}

const pages = { overview, traffic, blackbook, accounts, app, dependencies };

document.addEventListener('DOMContentLoaded', () => {
  const close = $('#detail-close');
  if (close) close.addEventListener('click', () => $('#detail').close());
  const logout = $('#logout');
  if (logout) logout.addEventListener('click', async () => {
    await fetch('/console/logout', { method: 'POST', headers: { 'X-CSRF-Token': csrf }, credentials: 'same-origin' });
    location.href = '/console/login';
  });
  const page = pages[document.body.dataset.page];
  if (page) page().catch((e) => status(e.message, true));
});
