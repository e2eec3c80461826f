// Bulwark console: the detail dialog. An event, an offender or a finding
// opens as a summary for people (who, what, where, which rule, what
// happened next) with actions, the raw JSON one click away. Every value is
// set as text: events carry attackers' strings.
'use strict';

// openDetail fills the dialog: title, rows of [label, value] (a value may
// be a Node), actions (Nodes) and the raw object.
function openDetail(title, rows, actions, raw) {
  $('#detail-title').textContent = title;
  const dl = el('dl', { class: 'kv' });
  for (const [k, v] of rows) {
    if (v === undefined || v === null || v === '') continue;
    dl.append(el('dt', {}, k), el('dd', {}, v));
  }
  $('#detail-body').replaceChildren(dl);
  $('#detail-actions').replaceChildren(...(actions || []));
  $('#detail-status').textContent = '';
  $('#detail-json').textContent = JSON.stringify(raw, null, 2);
  $('#detail-raw').open = false;
  const d = $('#detail');
  if (!d.open) d.showModal();
}

function detailStatus(msg, bad) {
  const s = $('#detail-status');
  s.textContent = msg;
  s.className = bad ? 'status error' : 'status ok';
}

// resultOf says what the gateway did with the request of an event.
function resultOf(e) {
  const action = get(e, 'event.action') || '';
  const code = get(e, 'http.response.status_code');
  if (action === 'attack-blocked' || action === 'attack-blocked-in-text') return 'blocked' + (code ? ' (' + code + ')' : '');
  if (action === 'attack-detected') return 'passed to the app (detection only)';
  if (action === 'rate-limited') return 'refused: rate limit' + (code ? ' (' + code + ')' : '');
  if (get(e, 'event.type') === 'denied') return 'refused' + (code ? ' (' + code + ')' : '');
  return get(e, 'event.outcome') || '';
}

// Actions on an address: ban it (with a duration and a reason), allowlist
// it, open its offender record. Each goes through the admin API.
function addressActions(ip, why) {
  if (!ip) return [];
  const acts = [];
  const ban = el('form', { class: 'inline', id: 'detail-ban-form', hidden: true },
    el('label', {}, 'duration', el('select', { name: 'duration' },
      el('option', { value: '1h' }, '1 hour'), el('option', { value: '24h' }, '1 day'), el('option', { value: '168h' }, '7 days'), el('option', { value: 'permanent' }, 'permanent'))),
    el('label', {}, 'reason', el('input', { name: 'reason', value: why || 'banned from the console', required: true })),
    el('button', { type: 'submit', class: 'danger', id: 'detail-ban-confirm' }, 'Ban ' + ip));
  ban.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const f = new FormData(ban);
    const d = f.get('duration');
    const body = { target: ip, reason: f.get('reason'), duration: d === 'permanent' ? '' : d, permanent: d === 'permanent' };
    try {
      await api('/v1/bans', { method: 'POST', body });
      detailStatus('Banned ' + ip + (body.permanent ? ' permanently.' : ' for ' + d + '.'));
      ban.hidden = true;
      document.dispatchEvent(new Event('bulwark:changed'));
    } catch (e) { detailStatus(e.message, true); }
  });
  const allow = el('form', { class: 'inline', id: 'detail-allow-form', hidden: true },
    el('label', {}, 'reason', el('input', { name: 'reason', placeholder: 'our monitoring', required: true })),
    el('button', { type: 'submit' }, 'Allowlist ' + ip));
  allow.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const cidr = ip.includes(':') ? ip + '/128' : ip + '/32';
    try {
      await api('/v1/allowlist', { method: 'POST', body: { cidr, reason: new FormData(allow).get('reason') } });
      detailStatus('Allowlisted ' + cidr + '.');
      allow.hidden = true;
      document.dispatchEvent(new Event('bulwark:changed'));
    } catch (e) { detailStatus(e.message, true); }
  });
  acts.push(el('button', { type: 'button', class: 'danger', id: 'detail-ban', on: { click: () => { ban.hidden = !ban.hidden; allow.hidden = true; } } }, 'Ban this address…'));
  acts.push(el('button', { type: 'button', class: 'secondary', id: 'detail-allow', on: { click: () => { allow.hidden = !allow.hidden; ban.hidden = true; } } }, 'Allowlist…'));
  acts.push(el('a', { href: '/console/blackbook#offender=' + encodeURIComponent(ip), id: 'detail-offender' }, 'Open the offender'));
  acts.push(el('a', { href: '/console/traffic#ip=' + encodeURIComponent(ip) }, 'Its traffic'));
  acts.push(ban, allow);
  return acts;
}

// curlOf writes the request of an event as a curl command. The query and
// body are never kept (they may hold secrets), so it is the method, path
// and User-Agent only.
function curlOf(e) {
  const q = (s) => "'" + String(s).replace(/'/g, "'\\''") + "'";
  const method = get(e, 'http.request.method') || 'GET';
  const parts = ['curl', '-i'];
  if (method !== 'GET') parts.push('-X', q(method));
  const ua = get(e, 'user_agent.original');
  if (ua) parts.push('-A', q(ua));
  parts.push(q(location.protocol + '//GATEWAY' + (get(e, 'url.path') || '/')));
  return parts.join(' ');
}

function copyButton(label, text) {
  return el('button', { type: 'button', class: 'secondary', id: 'detail-curl', on: { click: async () => {
    try { await navigator.clipboard.writeText(text); detailStatus('Copied: ' + text); } catch (e) { detailStatus(text); }
  } } }, label);
}

// showEvent opens an event: a summary for people, then what followed from
// the same address (bans, alerts), found in the history.
function showEvent(e) {
  const ip = get(e, 'source.ip');
  const labels = e.labels || {};
  const rule = [get(e, 'rule.id'), get(e, 'rule.name')].filter(Boolean).join(' · ');
  const where = [labels.where, labels.fragment ? '“' + labels.fragment + '”' : ''].filter(Boolean).join(': ');
  const next = el('span', { id: 'detail-next' }, '…');
  const rows = [
    ['when', fmtTime(e['@timestamp'])],
    ['what', e.message || get(e, 'event.action')],
    ['who', el('span', { class: 'addr' }, ip || '–')],
    ['network', ip ? networkOf(ip) : ''],
    ['user', get(e, 'user.name')],
    ['request', ((get(e, 'http.request.method') || '') + ' ' + (get(e, 'url.path') || '')).trim()],
    ['where in the request', where],
    ['rule', rule],
    ['all rules', labels.rules],
    ['score', labels.score],
    ['technique', get(e, 'threat.technique.id') ? 'MITRE ATT&CK ' + get(e, 'threat.technique.id') : ''],
    ['result', resultOf(e)],
    ['then', next],
    ['user agent', get(e, 'user_agent.original')],
    ['request id', get(e, 'http.request.id')],
    ['gateway', get(e, 'observer.name')],
  ];
  const acts = addressActions(ip, [labels.class || get(e, 'event.action'), 'on', get(e, 'url.path')].filter(Boolean).join(' '));
  if (get(e, 'url.path')) acts.splice(3, 0, copyButton('Copy as curl', curlOf(e)));
  openDetail(titleOf(e), rows, acts, e);
  if (ip) followUp(e, ip, next); else next.textContent = '–';
}

function titleOf(e) {
  const cls = get(e, 'labels.class');
  const action = get(e, 'event.action') || 'event';
  return (cls ? cls.toUpperCase() + ' ' : '') + action.replace(/-/g, ' ');
}

// followUp says what the history holds after e from ip: bans, and alerts
// that fired (and were sent) in the minutes after.
async function followUp(e, ip, out) {
  try {
    const since = e['@timestamp'];
    const [bans, alerts] = await Promise.all([
      api('/v1/events?action=ban&ip=' + encodeURIComponent(ip) + '&since=' + encodeURIComponent(since) + '&limit=5'),
      api('/v1/events?action=alert-firing&since=' + encodeURIComponent(since) + '&limit=5')]);
    const said = [];
    for (const b of bans.events.slice().reverse()) said.push('banned at ' + fmtTime(b['@timestamp']) + ' (' + (b.message || 'ban') + ')');
    const soon = alerts.events.filter((a) => new Date(a['@timestamp']) - new Date(since) < 10 * 60e3);
    for (const a of soon.slice().reverse()) said.push('alert “' + (get(a, 'rule.name') || 'alert') + '” fired at ' + fmtTime(a['@timestamp']) + ' and was sent to its notifiers');
    out.textContent = said.length ? said.join('; ') : 'no ban or alert followed (yet)';
  } catch (err) { out.textContent = err.message; }
}

// networkOf is an address's /24 (IPv4) or /48 (IPv6), as the top lists
// group them.
function networkOf(ip) {
  if (!ip.includes(':')) return ip.split('.').slice(0, 3).join('.') + '.0/24';
  let [head, tail] = ip.split('::');
  const h = head ? head.split(':') : [];
  const t = tail !== undefined && tail ? tail.split(':') : [];
  const groups = tail === undefined ? h : h.concat(Array(8 - h.length - t.length).fill('0'), t);
  return groups.slice(0, 3).map((g) => parseInt(g || '0', 16).toString(16)).join(':') + '::/48';
}

// showOffender opens the black book's dossier of an address or target;
// one the black book does not know (inBook false) shows what the history
// holds of it.
async function showOffender(target, seen, inBook = true) {
  let d = { target, history: [], note: 'not in the black book: seen in the console\'s history only' };
  if (inBook) {
    try { d = await api('/v1/bans/' + encodeURIComponent(target)); } catch (e) { d = { target, error: e.message }; }
  }
  const o = d.offender || {};
  const counts = Object.entries(o.counts || {}).map(([k, v]) => k + ' ' + v);
  for (const [k, v] of Object.entries(seen || {})) counts.push(k + ' ' + v + ' (history)');
  const ip = typeof d.target === 'string' && !d.target.startsWith('user:') ? d.target.replace(/\/(32|128)$/, '') : '';
  const rows = [
    ['target', el('span', { class: 'addr' }, targetText(d.target || target))],
    ['banned now', d.current ? d.current.reason + ' (by ' + d.current.source + ', ' + (d.current.expires ? 'until ' + fmtTime(d.current.expires) : 'permanent') + ')' : 'no'],
    ['offences', counts.join(', ') || 'none recorded'],
    ['users tried', (o.users || []).join(', ')],
    ['first seen', fmtTime(o.firstSeen)],
    ['last seen', fmtTime(o.lastSeen)],
    ['earlier bans', String((d.history || []).length)],
    ['evidence', (o.evidence || []).slice(0, 5).map((x) => fmtTime(x.time) + ' ' + x.class + (x.ruleId ? ' ' + x.ruleId : '') + (x.sample ? ': ' + x.sample : '')).join('\n')],
    ['note', d.error || d.note],
  ];
  openDetail('Offender ' + targetText(d.target || target), rows, addressActions(ip, 'offender'), d);
}

// showFinding opens an advisory finding of bulwark audit --monitor.
function showFinding(f) {
  const ids = f.ids.concat(f.aliases || []);
  const links = el('span', {}, ...ids.flatMap((id, i) => [i ? ', ' : '', el('a', { href: 'https://osv.dev/vulnerability/' + encodeURIComponent(id), target: '_blank', rel: 'noopener noreferrer' }, id)]));
  const rows = [
    ['package', f.package + '@' + f.version + ' (' + f.ecosystem + ')'],
    ['severity', f.severity + (f.score ? ' ' + f.score.toFixed(1) : '')],
    ['summary', f.summary],
    ['advisories', links],
    ['fixed in', f.fixed || 'no fix yet'],
    ['project', f.project],
    ['scanned', fmtTime(f.scanned)],
    ['what to do', f.fixed ? 'upgrade to ' + f.fixed + ' or later: bulwark update ' + f.project + ' tries it with the tests' : 'no fixed version: remove the package or accept the risk'],
  ];
  const acts = f.ids.length ? [el('a', { href: 'https://osv.dev/vulnerability/' + encodeURIComponent(f.ids[0]), target: '_blank', rel: 'noopener noreferrer', id: 'detail-advisory' }, 'Open the advisory')] : [];
  openDetail(f.package + '@' + f.version, rows, acts, f);
}

// findingBadge is a finding's kind, coloured by how urgent it is.
function findingBadge(kind) { return el('span', { class: 'finding finding-' + kind }, kind); }

const fmtMs = (v) => (v == null || !v ? '–' : v < 10 ? v.toFixed(1) + ' ms' : Math.round(v) + ' ms');
const shareOf = (n, of) => (of ? Math.round((100 * n) / of) + '%' : '–');
// neverSeen reports whether a report's time is unset (no traffic seen).
const neverSeen = (t) => !t || t.startsWith('0001-');
const securedWords = (s) => (s === true ? 'yes' : s === false ? 'no' : 'not said');

// showRoute opens a route of the surface report: its figures in words, its
// findings, its fields' learned types (counts per type, never a value).
function showRoute(r, findings, declaredKnown) {
  const s = r.status, a = r.anonymous;
  const anon = a.reduce((x, y) => x + y, 0);
  const clients = r.clients >= 16 ? '16 or more clients' : plural(r.clients, 'client');
  const rows = [
    ['route', el('span', { class: 'tmpl' }, r.method + ' ' + r.template)],
    ['declared', !declaredKnown ? 'nothing to compare with: the app declares no route (routes.express or routes.openapi)'
      : r.declared ? 'yes, the app declares it' : 'no: the app does not declare it (a shadow route)'],
    ['requests', plural(r.requests, 'request') + ' answered by the app, from ' + clients],
    ['seen', 'first ' + fmtTime(r.firstSeen) + ', last ' + fmtTime(r.lastSeen)],
    ['answers', s[2] + ' 2xx, ' + s[3] + ' 3xx, ' + s[4] + ' 4xx, ' + s[5] + ' 5xx'],
    ['with credentials', fmtCount(r.withCredentials) + ' of ' + fmtCount(r.requests) + ' (' + shareOf(r.withCredentials, r.requests) + ') carried credentials (a session cookie, Authorization or a configured header)'],
    ['without credentials', anon ? plural(anon, 'request') + ': ' + a[2] + ' answered 2xx, ' + r.anonymousDenied + ' refused with 401/403' : 'none: every request carried credentials'],
    ['attacks', !r.attacks ? 'none seen' : plural(r.attacks, 'attack') + ' aimed at it; ' + (r.attacksPassed
      ? r.attacksPassed + ' reached the app (detection only), which answered ' + r.attack5xx + ' of them with 5xx' : 'the gateway refused them all')],
    ['error leaks', r.errorLeaks ? 'a ' + r.leakKind + ' in ' + plural(r.errorLeaks, 'response') + ' to attacks' : ''],
    ['latency', r.requests ? 'p50 ' + fmtMs(r.p50ms) + ', p99 ' + fmtMs(r.p99ms) + ' (the app\'s answers)' : ''],
    ['content types', Object.entries(r.contentTypes || {}).sort((x, y) => y[1] - x[1]).map(([k, n]) => k + ' ' + n).join(', ')],
    ['findings', findings.length ? el('ul', { class: 'plain', id: 'detail-findings' }, ...findings.map((f) => el('li', {}, findingBadge(f.kind), ' ', f.detail))) : 'none'],
    ['fields', fieldsOf(r.fields)],
  ];
  const acts = [];
  if (r.attacks && !r.template.includes('{')) acts.push(el('a', { href: '/console/traffic#path=' + encodeURIComponent(r.template) }, 'Its attacks'));
  openDetail(r.method + ' ' + r.template, rows, acts, r);
}

// fieldsOf lists a route's fields: the learned type, how many values of
// each type from how many clients. Values are never kept.
function fieldsOf(fields) {
  if (!fields || !fields.length) return 'none learned (fields are learned from requests inspection found nothing in)';
  return el('ul', { class: 'plain', id: 'detail-fields' }, ...fields.map((f) => {
    const type = f.type === 'password' ? 'a password, by its name: its values are never looked at'
      : f.type ? 'learned as ' + f.type : 'not learned yet (it takes 20 values from 5 clients)';
    const counts = Object.entries(f.counts || {}).sort((x, y) => y[1] - x[1])
      .map(([t, n]) => t + ' ' + fmtCount(n) + ' (' + plural((f.typeClients || {})[t] || 0, 'client') + ')');
    const seen = counts.length ? '; values seen: ' + counts.join(', ') + '; ' + plural(f.clients, 'client') + ', up to ' + plural(f.maxLen, 'byte') : '';
    return el('li', {}, el('code', {}, f.where), ': ' + type + seen);
  }));
}

// showDeclared opens a declared route nobody called.
function showDeclared(d, since) {
  const rows = [
    ['route', el('span', { class: 'tmpl' }, d.method + ' ' + d.template)],
    ['declared in', d.source],
    ['needs credentials', d.secured === true ? 'yes, its declaration says so' : d.secured === false ? 'no, its declaration says so' : 'its declaration does not say'],
    ['called', neverSeen(since) ? 'no traffic seen yet' : 'never since ' + fmtTime(since)],
    ['what to do', 'if nothing uses it, remove it from the app: a smaller surface leaves less to exploit'],
  ];
  openDetail('Declared, never called: ' + d.method + ' ' + d.template, rows, [], d);
}
