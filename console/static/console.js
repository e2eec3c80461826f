// Bulwark console: plain JavaScript, no inline code (the CSP forbids it).
// Every value shown is set with textContent, never parsed as HTML: events
// carry attackers' strings. This file holds what every page uses and runs
// the page's function (pages.js) once the document is loaded.
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

// fill puts rows in a table body, labels each cell with its column's
// heading (a narrow window shows rows as labelled cards) and shows the
// empty note when there is no row.
function fill(tbody, rows, emptyId) {
  const heads = [...tbody.closest('table').querySelectorAll('thead th')].map((th) => th.textContent);
  for (const r of rows) {
    [...r.cells].forEach((td, i) => { if (!td.hasAttribute('colspan') && heads[i]) td.dataset.label = heads[i]; });
  }
  tbody.replaceChildren(...rows);
  if (emptyId) $(emptyId).hidden = rows.length > 0;
}

// clickRow makes a row open something, by mouse or keyboard.
function clickRow(attrs, open) {
  return Object.assign({ class: 'clickable', tabindex: 0, on: {
    click: open, keydown: (ev) => { if (ev.key === 'Enter') open(); },
  } }, attrs);
}

function status(msg, bad) {
  const s = $('#status');
  if (!s) return;
  s.textContent = msg;
  s.className = bad ? 'status error' : 'status ok';
}

function targetText(t) { return typeof t === 'string' ? t : JSON.stringify(t); }

document.addEventListener('DOMContentLoaded', () => {
  const close = $('#detail-close');
  if (close) close.addEventListener('click', () => $('#detail').close());
  const toggle = $('#menu-toggle');
  if (toggle) toggle.addEventListener('click', () => {
    const open = $('#top').classList.toggle('open');
    toggle.setAttribute('aria-expanded', String(open));
  });
  const logout = $('#logout');
  if (logout) logout.addEventListener('click', async () => {
    await fetch('/console/logout', { method: 'POST', headers: { 'X-CSRF-Token': csrf }, credentials: 'same-origin' });
    location.href = '/console/login';
  });
  const page = typeof pages === 'object' ? pages[document.body.dataset.page] : null;
  if (page) page().catch((e) => status(e.message, true));
});
