// Bulwark console: one function per page, run by console.js.
'use strict';

const severities = ['critical', 'high', 'medium', 'low', 'none', 'unknown'];
const lastOf = (vals) => [...(vals || [])].reverse().find((v) => v != null);
const setText = (sel, v) => { const e = $(sel); if (e) e.textContent = v; };

function eventRow(e, cols) {
  return el('tr', clickRow({}, () => showEvent(e)), ...cols.map((c) => {
    const v = c(e);
    return v instanceof Node ? el('td', {}, v) : el('td', {}, v);
  }));
}

const addr = (ip) => el('span', { class: 'addr' }, ip || '');

// In a fleet each event names its gateway (observer.name); the lists show
// it once events of more than one gateway have been seen.
const gateways = new Set();
const gatewayOf = (e) => get(e, 'observer.name') || '';
function noteGateways(evs) { for (const e of evs) if (gatewayOf(e)) gateways.add(gatewayOf(e)); }
const timeCol = (e) => (gateways.size > 1 && gatewayOf(e)
  ? el('span', {}, fmtTime(e['@timestamp']), ' ', el('span', { class: 'gateway', title: 'the gateway that saw it' }, gatewayOf(e)))
  : fmtTime(e['@timestamp']));

const attackCols = [
  timeCol,
  (e) => addr(get(e, 'source.ip')),
  (e) => get(e, 'user.name') || '',
  (e) => get(e, 'labels.class') || get(e, 'event.action') || '',
  (e) => get(e, 'rule.id') || '',
  (e) => ((get(e, 'http.request.method') || '') + ' ' + (get(e, 'url.path') || '')).trim(),
  (e) => get(e, 'http.response.status_code') || '',
  (e) => resultOf(e),
];

// ---- overview ----
async function overview() {
  const win = $('#window');
  const charts = { traffic: new Chart($('#chart-traffic')), attacks: new Chart($('#chart-attacks')), logins: new Chart($('#chart-logins')) };
  async function refresh() {
    try {
      const s = await api('/v1/series?window=' + win.value);
      const T = s.totals, words = windowWords[s.window];
      const n = (k) => T[k] || 0;
      setText('#total-requests', fmtCount(n('requests')));
      setText('#sub-requests', fmtCount(n('passed')) + ' passed ' + words);
      setText('#total-attacks', fmtCount(n('attacks')));
      setText('#sub-attacks', plural(n('attacks'), 'attack') + ' ' + words);
      setText('#total-blocked', fmtCount(n('blocked')));
      setText('#sub-blocked', fmtCount(n('banned')) + ' from banned clients, ' + fmtCount(n('rateLimited')) + ' rate-limited');
      setText('#total-failedLogins', fmtCount(n('failedLogins')));
      setText('#sub-failedLogins', plural(n('failedLogins'), 'failed login') + ' ' + words);
      const bans = lastOf(s.bansActive);
      setText('#bans-active', bans == null ? '–' : String(bans));
      setText('#sub-bans', 'addresses, networks and users');
      charts.traffic.draw(s.time, [
        { label: 'passed', values: s.counts.passed, color: '#067647', fill: true },
        { label: 'blocked', values: s.counts.blocked, color: '#b42318', fill: true }],
      plural(n('requests'), 'request') + ' ' + words + ': ' + fmtCount(n('passed')) + ' passed, ' + fmtCount(n('blocked')) + ' blocked', [{ scale: 'y', label: 'requests per ' + stepWords(s.step) }]);
      drawClasses(charts.attacks, s);
      charts.logins.draw(s.time, [
        { label: 'failed logins', values: s.counts.failedLogins, color: '#b54708' },
        { label: 'bans in force', values: s.bansActive, color: '#6941c6', scale: 'bans' }],
      plural(n('failedLogins'), 'failed login') + ' ' + words,
      [{ scale: 'y', label: 'failed logins per ' + stepWords(s.step) }, { scale: 'bans', label: 'bans' }]);
      const cpu = lastOf(s.cpu), rss = lastOf(s.rss);
      if (cpu != null || rss != null) setText('#app-cpu', 'CPU ' + fmtPercent(cpu) + ', memory ' + fmtBytes(rss));
    } catch (e) { status(e.message, true); }
    try {
      const a = await api('/v1/app');
      setText('#app-state', a.state);
      setText('#app-restarts', plural(a.restarts, 'restart') + (a.retry_at ? ', retry at ' + fmtTime(a.retry_at) : ''));
    } catch (e) {
      setText('#app-state', 'not supervised');
      setText('#app-restarts', 'start guard with --run to supervise the app');
    }
    try {
      const ev = await api('/v1/events?category=malicious&limit=10');
      fill($('#latest tbody'), ev.events.map((e) => eventRow(e, [attackCols[0], attackCols[1], attackCols[3], attackCols[4], attackCols[5], attackCols[7]])), '#latest-empty');
    } catch (e) { /* retried */ }
  }
  async function advisories() {
    try {
      const a = await api('/v1/audit');
      setText('#advisories', a.open);
      const worst = severities.filter((k) => a.counts[k]).map((k) => a.counts[k] + ' ' + k);
      setText('#advisories-sub', (worst.join(', ') || 'none') + ' in ' + plural(a.projects.length, 'project') + ' with findings');
    } catch (e) {
      setText('#advisories', 'n/a');
      setText('#advisories-sub', e.message);
    }
  }
  win.addEventListener('change', refresh);
  await Promise.all([refresh(), advisories()]);
  setInterval(refresh, 10000);
  setInterval(advisories, 60000);
}

function stepWords(secs) { return secs < 60 ? secs + ' s' : secs < 3600 ? secs / 60 + ' min' : secs / 3600 + ' h'; }

// drawClasses charts the attacks by class of a series.
function drawClasses(chart, s) {
  const classes = Object.keys(s.attacks || {}).sort();
  const total = s.totals.attacks || 0;
  if (!classes.length) { chart.empty('No attack ' + windowWords[s.window] + '.'); return; }
  const by = classes.map((c) => c + ' ' + s.attacks[c].reduce((a, b) => a + b, 0)).join(', ');
  chart.draw(s.time, classes.map((c) => ({ label: c, values: s.attacks[c] })),
    plural(total, 'attack') + ' ' + windowWords[s.window] + ': ' + by, [{ scale: 'y', label: 'attacks per ' + stepWords(s.step) }]);
}

// ---- malicious traffic ----
function durationAgo(s) {
  const m = /^(\d+)([mh])$/.exec(s);
  if (!m) return '';
  return new Date(Date.now() - m[1] * (m[2] === 'h' ? 3600e3 : 60e3)).toISOString().replace(/\.\d+Z$/, 'Z');
}

async function traffic() {
  const form = $('#filters');
  const chart = new Chart($('#chart-classes'));
  let source = null;
  // A link such as /console/traffic#ip=203.0.113.9 sets the filters.
  for (const [k, v] of new URLSearchParams(location.hash.slice(1))) if (form.elements[k]) form.elements[k].value = v;
  function query() {
    const q = new URLSearchParams({ category: 'malicious' });
    for (const [k, v] of new FormData(form)) {
      if (!v) continue;
      q.set(k, k === 'since' ? durationAgo(v) : v);
    }
    return q;
  }
  function topList(ol, items, key) {
    ol.replaceChildren(...items.map((c) => el('li', {}, el('a', { href: '#', class: key === 'ip' || key === 'net' ? 'addr' : '', on: { click: (ev) => {
      ev.preventDefault();
      form.elements[key].value = c.key;
      load();
    } } }, c.key), ' ', el('span', { class: 'count' }, c.count))));
    if (!items.length) ol.replaceChildren(el('li', { class: 'empty' }, 'none'));
  }
  function tops(top) {
    topList($('#top-ips'), top.ips, 'ip'); topList($('#top-nets'), top.nets, 'net');
    topList($('#top-rules'), top.rules, 'rule'); topList($('#top-paths'), top.paths, 'path');
  }
  // aggregates are the refusals not listed one by one: requests of banned
  // clients and rate-limited ones, over the last hour.
  async function aggregates() {
    const hour = durationAgo('1h');
    const [s, rl] = await Promise.all([api('/v1/series?window=1h'), api('/v1/events/top?action=rate-limited&since=' + hour + '&limit=5')]);
    const rows = [];
    const banned = s.totals.banned || 0, limited = s.totals.rateLimited || 0;
    if (banned) rows.push(el('tr', clickRow({ class: 'clickable aggregate' }, () => openDetail('Requests from banned clients', [
      ['last hour', plural(banned, 'request') + ' refused (403) because the client is banned'],
      ['why not listed', 'a banned client that keeps knocking would flood the history; the count comes from the gateway\'s metrics'],
      ['bans in force', String(lastOf(s.bansActive) ?? '–')]], [el('a', { href: '/console/blackbook' }, 'Open the black book')], { banned, window: '1h' })),
    el('td', { colspan: 8 }, plural(banned, 'request') + ' from banned clients refused in the last hour (counted, not listed)')));
    if (limited) rows.push(el('tr', clickRow({ class: 'clickable aggregate' }, () => openDetail('Rate-limited requests', [
      ['last hour', plural(limited, 'request') + ' refused (429) by a rate limit'],
      ['top sources', rl.ips.map((c) => c.key + ' ' + c.count).join(', ')],
      ['top paths', rl.paths.map((c) => c.key + ' ' + c.count).join(', ')]],
    rl.ips.length ? addressActions(rl.ips[0].key, 'rate-limited') : [], rl)),
    el('td', { colspan: 8 }, plural(limited, 'request') + ' rate-limited in the last hour' + (rl.ips.length ? ', most from ' + rl.ips.slice(0, 3).map((c) => c.key).join(', ') : ''))));
    drawClasses(chart, s);
    return rows;
  }
  async function load() {
    const q = query();
    const tbody = $('#events tbody');
    try {
      const [ev, top, agg] = await Promise.all([api('/v1/events?' + q + '&limit=200'), api('/v1/events/top?' + q), aggregates()]);
      noteGateways(ev.events);
      fill(tbody, agg.concat(ev.events.map((e) => eventRow(e, attackCols))), '#events-empty');
      tops(top);
    } catch (e) { $('#live').textContent = 'error: ' + e.message; return; }
    if (source) source.close();
    q.delete('since');
    source = new EventSource('/console/api/v1/events/stream?' + q);
    source.onopen = () => { $('#live').textContent = 'live'; $('#live').className = 'badge live'; };
    source.onerror = () => { $('#live').textContent = 'reconnecting…'; $('#live').className = 'badge'; };
    source.onmessage = (m) => {
      const e = JSON.parse(m.data);
      noteGateways([e]);
      const row = eventRow(e, attackCols);
      const heads = [...document.querySelectorAll('#events thead th')].map((th) => th.textContent);
      [...row.cells].forEach((td, i) => { td.dataset.label = heads[i]; });
      const firstEvent = [...tbody.rows].find((r) => !r.classList.contains('aggregate'));
      tbody.insertBefore(row, firstEvent || null);
      while (tbody.rows.length > 500) tbody.deleteRow(-1);
      $('#events-empty').hidden = true;
      document.dispatchEvent(new Event('bulwark:event'));
    };
  }
  async function refreshTop() {
    try { tops(await api('/v1/events/top?' + query())); } catch (e) { /* retried */ }
  }
  // New events refresh the top lists at most every 5 s: counting the whole
  // history is not free, and a flood must not make every browser ask it
  // twice a second.
  let pending = null;
  document.addEventListener('bulwark:event', () => { if (!pending) pending = setTimeout(() => { pending = null; refreshTop(); }, 5000); });
  form.addEventListener('submit', (ev) => { ev.preventDefault(); load(); });
  await load();
  setInterval(refreshTop, 30000);
}

// ---- black book ----
async function blackbook() {
  async function act(what, f) {
    try { await f(); status(what); } catch (e) { status(e.message, true); }
    await load();
  }
  let seen = {}; // ip → {kind: count} from the history
  let inBook = new Set(); // the targets the black book knows
  function banRow(b) {
    const target = targetText(b.target);
    const reason = el('input', { placeholder: 'reason', 'aria-label': 'reason for ' + target, class: 'reason' });
    const dur = el('input', { placeholder: '1h', 'aria-label': 'extend ' + target + ' by', class: 'short' });
    return el('tr', { 'data-target': target },
      el('td', {}, el('a', { href: '#', class: 'addr', on: { click: (ev) => { ev.preventDefault(); showOffender(target); } } }, target)),
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
  // fromHistory counts, per address, the offences the black book does not
  // record as such: failed logins, rate-limited requests, probes.
  async function fromHistory() {
    const kinds = [['failed logins', 'category=authentication&action=login-failure'], ['rate-limited', 'action=rate-limited'],
      ['probes', 'category=malicious&class=sensitive-file'], ['scanner', 'category=malicious&class=scanner']];
    const out = {};
    const tops = await Promise.all(kinds.map(([, q]) => api('/v1/events/top?' + q + '&limit=50').catch(() => ({ ips: [] }))));
    tops.forEach((t, i) => { for (const c of t.ips) (out[c.key] = out[c.key] || {})[kinds[i][0]] = c.count; });
    return out;
  }
  async function load() {
    try {
      const [active, all, offs, allow, hist] = await Promise.all([
        api('/v1/bans?active=true'), api('/v1/bans?limit=100'), api('/v1/offenders?limit=100'), api('/v1/allowlist'), fromHistory()]);
      seen = hist;
      inBook = new Set(offs.offenders.map((o) => o.ip).concat(all.bans.map((b) => targetText(b.target))));
      fill($('#bans tbody'), active.bans.map(banRow), '#bans-empty');
      fill($('#history tbody'), all.bans.map((b) => el('tr', clickRow({}, () => showOffender(targetText(b.target))),
        el('td', { class: 'addr' }, targetText(b.target)), el('td', {}, b.reason), el('td', {}, b.source), el('td', {}, fmtTime(b.created)),
        el('td', {}, b.expires ? fmtTime(b.expires) : 'permanent'), el('td', {}, fmtTime(b.lifted)), el('td', {}, b.liftedBy || ''))));
      const rows = offs.offenders.map((o) => {
        const extra = hist[o.ip] || {};
        const counts = Object.entries(o.counts || {}).map(([k, v]) => k + ' ' + v).concat(Object.entries(extra).map(([k, v]) => k + ' ' + v));
        return el('tr', clickRow({ 'data-ip': o.ip }, () => showOffender(o.ip, extra)),
          el('td', { class: 'addr' }, o.ip), el('td', {}, counts.join(', ')),
          el('td', {}, (o.users || []).join(', ')), el('td', {}, fmtTime(o.firstSeen)), el('td', {}, fmtTime(o.lastSeen)));
      });
      const known = new Set(offs.offenders.map((o) => o.ip));
      for (const [ip, extra] of Object.entries(hist)) {
        if (known.has(ip)) continue;
        rows.push(el('tr', clickRow({ 'data-ip': ip }, () => showOffender(ip, extra, false)),
          el('td', { class: 'addr' }, ip), el('td', {}, Object.entries(extra).map(([k, v]) => k + ' ' + v).join(', ')),
          el('td', {}, ''), el('td', {}, 'in the history'), el('td', {}, '')));
      }
      fill($('#offenders tbody'), rows, '#offenders-empty');
      fill($('#allowlist tbody'), allow.allowlist.map((a) => el('tr', clickRow({}, () => openDetail('Allowlisted ' + a.prefix, [
        ['prefix', a.prefix], ['reason', a.reason], ['since', a.configured ? 'the configuration at start' : fmtTime(a.created)],
        ['removable here', a.configured ? 'no: it comes from the configuration (allowlist in bulwark.yaml, or a built-in default)' : 'yes']], [], a)),
      el('td', { class: 'addr' }, a.prefix), el('td', {}, a.reason || ''), el('td', {}, a.configured ? 'configuration at start' : fmtTime(a.created)),
      el('td', {}, a.configured ? '' : el('button', { type: 'button', on: { click: (ev) => { ev.stopPropagation();
        act('Removed ' + a.prefix + ' from the allowlist.', () => api('/v1/allowlist/' + encodeURIComponent(a.prefix), { method: 'DELETE' })); } } }, 'Remove')))));
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
  document.addEventListener('bulwark:changed', load);
  await load();
  const m = /^#offender=(.+)$/.exec(location.hash);
  if (m) {
    const ip = decodeURIComponent(m[1]);
    showOffender(ip, seen[ip], inBook.has(ip) || inBook.has(ip + '/32') || inBook.has(ip + '/128'));
  }
  setInterval(load, 10000);
}

// ---- accounts ----
// loginBan reports whether a ban event came from the account watch or a
// login scenario (credential stuffing, brute force).
const loginBan = (e) => get(e, 'event.action') === 'ban' && /^(accounts|.*(login|credential|ssh|ftp).*)$/.test(get(e, 'rule.name') || get(e, 'labels.ban_source') || '');

async function accounts() {
  async function load() {
    const [a, i, b] = await Promise.all([api('/v1/events?category=authentication&limit=1000'), api('/v1/events?category=iam&limit=1000'),
      api('/v1/events?action=ban&limit=200')]);
    const evs = a.events.concat(i.events, b.events.filter(loginBan)).sort((x, y) => (x['@timestamp'] < y['@timestamp'] ? 1 : -1));
    for (const table of document.querySelectorAll('table.acct')) {
      const wants = table.dataset.actions.split(',').map((s) => s.split(':'));
      const rows = evs.filter((e) => wants.some(([act, out]) => (act === 'ban' ? loginBan(e) :
        get(e, 'event.action') === act && (!out || get(e, 'event.outcome') === out))));
      fill(table.tBodies[0], rows.slice(0, 100).map((e) => eventRow(e, [
        (x) => fmtTime(x['@timestamp']), (x) => get(x, 'user.name') || '', (x) => addr(get(x, 'source.ip')),
        (x) => x.message || get(x, 'event.action')])));
      if (!rows.length) table.tBodies[0].append(el('tr', {}, el('td', { colspan: 4, class: 'empty' }, 'None in the history.')));
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

// healthLine reports whether an app's log line is a health check's request
// log; lineKey is a line without its times and durations, so that the
// requests of a probe (GET / 200 every few seconds) compare equal. Such
// lines, and runs of three or more alike, are folded so they do not drown
// the rest.
const healthLine = (t) => /\b(GET|HEAD)\s+\/(healthz?|readyz|livez|ping|status|_health)\b/i.test(t) || /health[ -]?check/i.test(t);
const lineKey = (t) => t.replace(/\d{4}-\d\d-\d\dT[\d:.]+Z?/g, '').replace(/\b[\d.]+\s*(ms|s|µs)\b/g, '').replace(/\s+/g, ' ').trim();

async function app() {
  const chart = new Chart($('#chart-cpu'));
  let showHealth = false;
  let armed = null;
  const restart = $('#restart');
  restart.addEventListener('click', async () => {
    if (!armed) {
      restart.textContent = 'Click again to restart';
      armed = setTimeout(() => { armed = null; restart.textContent = 'Restart the app'; }, 5000);
      return;
    }
    clearTimeout(armed); armed = null;
    restart.disabled = true;
    restart.textContent = 'Restarting…';
    try {
      const r = await api('/v1/app/restart', { method: 'POST', body: {} });
      status('Restarted: the new process ' + r.pid + ' is ready.');
    } catch (e) { status(e.message, true); }
    restart.disabled = false;
    restart.textContent = 'Restart the app';
    load().catch(() => {});
  });
  async function load() {
    const dl = $('#app-status');
    let usage = [];
    try {
      const s = await api('/v1/series?window=1h');
      const cpu = lastOf(s.cpu), rss = lastOf(s.rss);
      usage = [['CPU', cpu == null ? 'not measured yet' : fmtPercent(cpu) + ' of one core'], ['memory', rss == null ? 'not measured yet' : fmtBytes(rss) + ' resident']];
      if (s.cpu.some((v) => v != null)) {
        chart.draw(s.time, [{ label: 'CPU', values: s.cpu, fmt: fmtPercent, scale: 'cpu', color: '#2250c8' },
          { label: 'memory', values: s.rss, fmt: fmtBytes, scale: 'mem', color: '#6941c6' }],
        'now: CPU ' + fmtPercent(cpu) + ', memory ' + fmtBytes(rss), [{ scale: 'cpu', label: 'CPU', fmt: fmtPercent }, { scale: 'mem', label: 'memory', fmt: fmtBytes }]);
      } else chart.empty('No sample of the app\'s CPU and memory in the last hour.');
    } catch (e) { chart.empty(e.message); }
    try {
      const s = await api('/v1/app');
      restart.hidden = false;
      const kv = [['state', s.state], ['pid', s.pid], ['started', fmtTime(s.started)], ['uptime', Math.round(s.uptime_seconds) + ' s'],
        ...usage,
        ['restarts', s.restarts], ['failures in a row', s.failures], ['health', appHealth(s)],
        ['health error', s.health_error], ['in flight / waiting', s.in_flight + ' / ' + s.waiting],
        ['no answer for', s.unanswered_seconds >= 1 ? Math.round(s.unanswered_seconds) + ' s (requests waiting, none answered)' : ''],
        ['last exit', s.last_exit ? s.last_exit.reason + (s.last_exit.detail ? ': ' + s.last_exit.detail : '') + ' (code ' + s.last_exit.code + (s.last_exit.signal ? ', ' + s.last_exit.signal : '') + ') at ' + fmtTime(s.last_exit.at) : ''],
        ['retry at', fmtTime(s.retry_at)]];
      dl.replaceChildren(...kv.filter(([, v]) => v !== undefined && v !== '').flatMap(([k, v]) => [el('dt', {}, k), el('dd', {}, v)]));
    } catch (e) {
      restart.hidden = true;
      dl.replaceChildren(el('dt', {}, 'state'), el('dd', {}, 'this gateway supervises no app (start guard with --run)'));
    }
    const ev = await api('/v1/events?category=process&limit=200');
    fill($('#process tbody'), ev.events.map((e) => eventRow(e, [(x) => fmtTime(x['@timestamp']), (x) => get(x, 'event.action'), (x) => x.message || ''])), '#process-empty');
    await logs();
  }
  // logs shows the app's last output lines: the app's own text, so only
  // ever as text. Runs of health-check lines fold into one line.
  async function logs() {
    const pre = $('#logs');
    const empty = $('#logs-empty');
    try {
      const l = await api('/v1/app/logs');
      const atEnd = pre.scrollTop + pre.clientHeight >= pre.scrollHeight - 4;
      const out = [];
      let run = [];
      const flush = () => {
        if (!run.length) return;
        if (showHealth || run.length === 1) out.push(...run.map(line));
        else out.push(el('span', { class: 'folded', title: 'health checks and repeated lines' }, '… ' + run.length + ' health-check or repeated lines folded (“' + run[run.length - 1].text.slice(0, 60) + '”), the last at ' + new Date(run[run.length - 1].time).toLocaleTimeString() + '\n'));
        run = [];
      };
      const line = (x) => el('span', { class: x.stream, title: x.stream + ' of pid ' + x.pid },
        new Date(x.time).toLocaleTimeString() + '  ' + x.text + (x.cut ? ' …[cut]' : '') + '\n');
      let folded = 0;
      // A run of health-check lines, or of three or more alike, folds.
      const keys = l.lines.map((x) => lineKey(x.text));
      const alike = (i) => keys[i] !== '' && ((keys[i - 1] === keys[i] && keys[i - 2] === keys[i]) || (keys[i + 1] === keys[i] && keys[i - 1] === keys[i]) || (keys[i + 1] === keys[i] && keys[i + 2] === keys[i]));
      // Each run folds apart: a run ends where the kind of line changes.
      let runKey = null;
      l.lines.forEach((x, i) => {
        if (healthLine(x.text) || alike(i)) {
          if (runKey !== keys[i]) flush();
          runKey = keys[i];
          run.push(x); folded++;
          return;
        }
        flush();
        runKey = null;
        out.push(line(x));
      });
      flush();
      pre.replaceChildren(...out);
      if (atEnd) pre.scrollTop = pre.scrollHeight;
      const hint = $('#logs-hint');
      hint.replaceChildren('the last ' + l.keeps + ' lines the app wrote, stderr in red' + (folded ? '; ' : ''),
        folded ? el('a', { href: '#', id: 'toggle-health', on: { click: (ev) => { ev.preventDefault(); showHealth = !showHealth; logs(); } } },
          showHealth ? 'fold health checks and repeats' : 'show ' + plural(folded, 'folded line')) : '');
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
      const rows = a.projects.flatMap((p) => p.findings.map((f) => el('tr', clickRow({}, () => showFinding(Object.assign({ project: p.project, scanned: p.scanned }, f))),
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
        let what = fmtTime(p.date) + ': ' + plural(p.results.length, 'candidate') + ', ' + kept + ' kept, ' + plural(p.runs, 'test run');
        if (p.baseline && p.baseline.length) what += '; the tests failed before any update';
        if (p.applied) what += '; committed on ' + p.applied.branch;
        const table = el('table', { class: 'updates stack' },
          el('thead', {}, el('tr', {}, ...['dependency', 'from → to', 'kind', 'result', 'advisories fixed'].map((h) => el('th', {}, h)))),
          el('tbody'));
        fill(table.tBodies[0], p.results.map((r) => el('tr', {},
          el('td', {}, r.name + ' (' + r.ecosystem + ')'), el('td', {}, r.from + ' → ' + r.to), el('td', {}, r.kind),
          el('td', { class: 'result-' + r.status.replace(' ', '-') }, r.status + (r.keep ? ' (keep)' : '') + (r.how ? ', ' + r.how : '')),
          el('td', {}, (r.advisories || []).join(', ') || '–'))));
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

// ---- routes ----
// The route surface: findings first, each with its sentence, then every
// route seen with its figures, then the declared routes never called.
const findingKinds = ['unsecured', 'open-write', 'fails-under-attack', 'error-leak', 'shadow', 'unused'];

// shortSource is a declaration's source with its file's name only:
// "express:/srv/shop/server.js" is "express:server.js".
const shortSource = (s) => s.replace(/^([a-z]+:).*\/([^/]+)$/, '$1$2');

async function routesPage() {
  let kind = new URLSearchParams(location.hash.slice(1)).get('kind') || '';
  if (!findingKinds.includes(kind)) kind = '';
  function kindButtons(counts) {
    const total = Object.values(counts).reduce((a, b) => a + b, 0);
    const button = (k, label, n) => el('button', { type: 'button', class: k === kind ? '' : 'secondary', 'aria-pressed': String(k === kind), 'data-kind': k,
      on: { click: () => { kind = k; history.replaceState(null, '', k ? '#kind=' + k : location.pathname); load(); } } }, label + ' ' + fmtCount(n));
    $('#kinds').replaceChildren(button('', 'all', total), ...findingKinds.map((k) => button(k, k.replace(/-/g, ' '), counts[k] || 0)));
  }
  async function load() {
    let v;
    try {
      v = await api('/routes' + (kind ? '?kind=' + encodeURIComponent(kind) : ''));
    } catch (e) {
      $('#routes-absent').textContent = e.message;
      $('#routes-absent').hidden = false;
      for (const id of ['#routes-findings-box', '#routes', '#unused']) $(id).closest('section').hidden = true;
      return;
    }
    $('#routes-absent').hidden = true;
    for (const id of ['#routes-findings-box', '#routes', '#unused']) $(id).closest('section').hidden = false;
    setText('#routes-since', neverSeen(v.since) ? '(no traffic seen yet)' : '(figures since ' + fmtTime(v.since) + ')');
    kindButtons(v.counts);
    const key = (m, t) => m + ' ' + t;
    const byRoute = new Map(v.routes.map((r) => [key(r.method, r.template), r]));
    const byDecl = new Map(v.unused.map((d) => [key(d.method, d.template), d]));
    const findingsOf = (r) => v.findings.filter((f) => f.method === r.method && f.template === r.template);
    const open = (m, t) => {
      const r = byRoute.get(key(m, t));
      if (r) { showRoute(r, findingsOf(r), v.declared); return; }
      const d = byDecl.get(key(m, t));
      if (d) showDeclared(d, v.since);
    };
    // Declared routes never called are one row here unless asked for:
    // the table below lists them, and they would bury the rest.
    const unused = v.findings.filter((f) => f.kind === 'unused');
    const rows = v.findings.filter((f) => kind === 'unused' || f.kind !== 'unused').map((f) => el('tr', clickRow({ 'data-kind': f.kind }, () => open(f.method, f.template)),
      el('td', {}, findingBadge(f.kind)), el('td', { class: 'tmpl' }, f.method + ' ' + f.template), el('td', {}, f.detail)));
    if (kind !== 'unused' && unused.length) {
      rows.push(el('tr', clickRow({ 'data-kind': 'unused', class: 'clickable aggregate' }, () => openDetail('Declared, never called', [
        ['routes', plural(unused.length, 'declared route') + ' not called since ' + fmtTime(v.since)],
        ['what to do', 'if nothing uses them, remove them from the app: a smaller surface leaves less to exploit'],
        ['which', el('ul', { class: 'plain' }, ...unused.map((f) => el('li', { class: 'tmpl' }, f.method + ' ' + f.template)))]],
      [el('a', { href: '#kind=unused', on: { click: (ev) => { ev.preventDefault(); $('#detail').close(); kind = 'unused'; history.replaceState(null, '', '#kind=unused'); load(); } } }, 'List them as findings')], unused)),
      el('td', {}, findingBadge('unused')), el('td', {}, plural(unused.length, 'declared route')), el('td', {}, 'not called since ' + fmtTime(v.since) + ': candidates to remove (listed below)')));
    }
    fill($('#route-findings tbody'), rows, '#route-findings-empty');
    $('#route-findings').hidden = rows.length === 0;
    $('#route-findings-empty').textContent = kind ? 'No ' + kind.replace(/-/g, ' ') + ' finding.' : 'No finding: every route called answers as its siblings do, and every declared route was called.';
    // Routes with a finding first, then by template.
    const ranked = v.routes.slice().sort((a, b) => (b.findings.length > 0) - (a.findings.length > 0));
    fill($('#routes tbody'), ranked.map((r) => el('tr', clickRow({ 'data-route': key(r.method, r.template) }, () => showRoute(r, findingsOf(r), v.declared)),
      el('td', {}, r.method), el('td', { class: 'tmpl' }, r.template),
      el('td', {}, v.declared ? (r.declared ? 'yes' : 'no') : '–'),
      el('td', {}, fmtCount(r.requests)), el('td', {}, r.status[2] + ' / ' + r.status[3]), el('td', {}, r.status[4]), el('td', {}, r.status[5]),
      el('td', {}, shareOf(r.withCredentials, r.requests)), el('td', {}, r.anonymous[2]), el('td', {}, r.attacks),
      el('td', {}, fmtMs(r.p50ms) + ' / ' + fmtMs(r.p99ms)), el('td', {}, fmtTime(r.lastSeen)),
      el('td', {}, ...r.findings.map(findingBadge)))), '#routes-empty');
    $('#routes').hidden = v.routes.length === 0;
    fill($('#unused tbody'), v.unused.map((d) => el('tr', clickRow({ 'data-route': key(d.method, d.template) }, () => showDeclared(d, v.since)),
      el('td', { class: 'tmpl' }, d.method + ' ' + d.template), el('td', { title: d.source }, shortSource(d.source)), el('td', {}, securedWords(d.secured)))), '#unused-empty');
    $('#unused').hidden = v.unused.length === 0;
    $('#unused-empty').textContent = !v.declared ? 'The app declares no route: set routes.express (the app\'s script) or routes.openapi in bulwark.yaml to compare what it serves with what it declares.'
      : kind && kind !== 'unused' ? 'Declared routes never called are under the filter “unused”.' : 'Every declared route was called.';
  }
  await load();
  setInterval(() => load().catch(() => {}), 10000);
}

const pages = { overview, traffic, routes: routesPage, blackbook, accounts, app, dependencies };
