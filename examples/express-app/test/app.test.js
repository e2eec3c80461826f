'use strict';

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { once } = require('node:events');
const { createApp } = require('../app');

let server;
let base;

before(async () => {
  const app = await createApp({ log: () => {} });
  server = app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  base = `http://127.0.0.1:${server.address().port}`;
});

after(async () => {
  server.closeAllConnections();
  server.close();
  await once(server, 'close');
});

async function request(path, { method = 'GET', cookie, form, json, headers = {} } = {}) {
  const init = { method, redirect: 'manual', headers: { ...headers } };
  if (cookie) init.headers.cookie = cookie;
  if (form) {
    init.body = new URLSearchParams(form).toString();
    init.headers['content-type'] = 'application/x-www-form-urlencoded';
  }
  if (json !== undefined) {
    init.body = JSON.stringify(json);
    init.headers['content-type'] = 'application/json';
  }
  const res = await fetch(base + path, init);
  const text = await res.text();
  const body = res.headers.get('content-type')?.includes('application/json') ? JSON.parse(text) : undefined;
  return { status: res.status, headers: res.headers, text, body };
}

function setCookie(res, name) {
  return res.headers.getSetCookie().find((c) => c.startsWith(`${name}=`));
}

// "name=value" part of a Set-Cookie header, ready for a Cookie request header.
function cookiePair(res, name) {
  return setCookie(res, name)?.split(';')[0];
}

async function formLogin(username, password) {
  return request('/login', { method: 'POST', form: { username, password } });
}

let userCounter = 0;
async function registerUser() {
  userCounter += 1;
  const user = { username: `tester${userCounter}`, email: `tester${userCounter}@example.com`, password: 'initial-password-1' };
  const res = await request('/register', { method: 'POST', form: user });
  assert.equal(res.status, 302);
  return { ...user, cookie: cookiePair(res, 'sid') };
}

// ---------------------------------------------------------------- pages

test('home page sets a plain theme cookie and keeps X-Powered-By', async () => {
  const res = await request('/');
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type'), /text\/html/);
  assert.equal(res.headers.get('x-powered-by'), 'Express');
  assert.equal(setCookie(res, 'theme'), 'theme=light; Path=/');
  for (const href of ['/login', '/search', '/profile', '/download', '/api/products']) {
    assert.ok(res.text.includes(`href="${href}`), `home page links to ${href}`);
  }
});

test('static files from public/ are served', async () => {
  const css = await request('/style.css');
  assert.equal(css.status, 200);
  assert.match(css.headers.get('content-type'), /text\/css/);
  const about = await request('/about.html');
  assert.equal(about.status, 200);
  assert.match(about.text, /<h1>About<\/h1>/);
});

test('unknown routes are 404 as HTML or JSON', async () => {
  const page = await request('/no-such-page');
  assert.equal(page.status, 404);
  assert.match(page.headers.get('content-type'), /text\/html/);
  const api = await request('/api/no-such-route');
  assert.equal(api.status, 404);
  assert.deepEqual(api.body, { error: 'not found' });
});

// ---------------------------------------------------------------- auth

test('GET /login shows the login form', async () => {
  const res = await request('/login');
  assert.equal(res.status, 200);
  assert.match(res.text, /<form method="post" action="\/login">/);
  assert.match(res.text, /name="username"/);
  assert.match(res.text, /name="password"/);
});

test('form login redirects to /profile with an HttpOnly sid cookie', async () => {
  const res = await formLogin('alice', 'correct horse battery staple');
  assert.equal(res.status, 302);
  assert.equal(res.headers.get('location'), '/profile');
  const sid = setCookie(res, 'sid');
  assert.match(sid, /^sid=s%3A.+; Path=\/; HttpOnly$/);

  const profile = await request('/profile', { cookie: cookiePair(res, 'sid') });
  assert.equal(profile.status, 200);
  assert.match(profile.text, /<dd id="username">alice<\/dd>/);
  assert.match(profile.text, /<dd id="email">alice@example\.com<\/dd>/);
});

test('failed form login is 401 with an error and no session', async () => {
  for (const [username, password] of [['alice', 'wrong'], ['nobody', 'whatever'], ['', '']]) {
    const res = await formLogin(username, password);
    assert.equal(res.status, 401);
    assert.match(res.text, /Invalid username or password/);
    assert.match(res.text, /name="password"/);
    assert.equal(setCookie(res, 'sid'), undefined);
  }
});

test('JSON login succeeds and the session works for /api/me', async () => {
  const res = await request('/api/login', { method: 'POST', json: { username: 'bob', password: 'hunter2-but-longer' } });
  assert.equal(res.status, 200);
  assert.deepEqual(res.body, { ok: true, user: { username: 'bob', email: 'bob@example.com' } });
  const me = await request('/api/me', { cookie: cookiePair(res, 'sid') });
  assert.equal(me.status, 200);
  assert.deepEqual(me.body, { user: { username: 'bob', email: 'bob@example.com' } });
});

test('failed JSON login is 401', async () => {
  for (const json of [{ username: 'bob', password: 'nope' }, { username: 'bob' }, {}]) {
    const res = await request('/api/login', { method: 'POST', json });
    assert.equal(res.status, 401);
    assert.deepEqual(res.body, { error: 'invalid credentials' });
    assert.equal(setCookie(res, 'sid'), undefined);
  }
});

test('malformed JSON is a 400 JSON error', async () => {
  const bad = await fetch(`${base}/api/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{not json',
  });
  assert.equal(bad.status, 400);
  assert.ok((await bad.json()).error);
});

test('logout destroys the session (form and JSON)', async () => {
  const login = await formLogin('alice', 'correct horse battery staple');
  const cookie = cookiePair(login, 'sid');
  const out = await request('/logout', { method: 'POST', cookie });
  assert.equal(out.status, 302);
  assert.equal(out.headers.get('location'), '/login');
  assert.match(setCookie(out, 'sid'), /^sid=;.*Expires=Thu, 01 Jan 1970/);
  assert.equal((await request('/profile', { cookie })).status, 302);

  const apiLogin = await request('/api/login', { method: 'POST', json: { username: 'bob', password: 'hunter2-but-longer' } });
  const apiCookie = cookiePair(apiLogin, 'sid');
  const apiOut = await request('/logout', { method: 'POST', cookie: apiCookie, headers: { accept: 'application/json' } });
  assert.equal(apiOut.status, 200);
  assert.deepEqual(apiOut.body, { ok: true });
  assert.equal((await request('/api/me', { cookie: apiCookie })).status, 401);

  const getOut = await request('/logout');
  assert.equal(getOut.status, 302);
});

test('register creates a logged-in user; duplicates are 409, bad input 400', async () => {
  const form = await request('/register');
  assert.equal(form.status, 200);
  assert.match(form.text, /name="email"/);

  const user = await registerUser();
  const profile = await request('/profile', { cookie: user.cookie });
  assert.match(profile.text, new RegExp(`<dd id="username">${user.username}</dd>`));

  const dup = await request('/register', { method: 'POST', form: { username: 'alice', email: 'a@example.com', password: 'long-enough-1' } });
  assert.equal(dup.status, 409);
  assert.match(dup.text, /already taken/);

  const bad = await request('/register', { method: 'POST', form: { username: 'x', email: 'not-an-email', password: 'short' } });
  assert.equal(bad.status, 400);
  assert.equal(setCookie(bad, 'sid'), undefined);
});

// ---------------------------------------------------------------- profile

test('profile pages require login', async () => {
  for (const [method, path] of [['GET', '/profile'], ['POST', '/profile/email'], ['POST', '/profile/password']]) {
    const res = await request(path, { method, form: method === 'POST' ? { email: 'x@example.com' } : undefined });
    assert.equal(res.status, 302, `${method} ${path}`);
    assert.equal(res.headers.get('location'), '/login');
  }
  for (const [method, path] of [['GET', '/api/me'], ['POST', '/api/me/email'], ['POST', '/api/me/password']]) {
    const res = await request(path, { method, json: method === 'POST' ? {} : undefined });
    assert.equal(res.status, 401, `${method} ${path}`);
    assert.deepEqual(res.body, { error: 'login required' });
  }
});

test('profile page has the change email and change password forms', async () => {
  const { cookie } = await registerUser();
  const res = await request('/profile', { cookie });
  assert.match(res.text, /action="\/profile\/email"/);
  assert.match(res.text, /name="email"/);
  assert.match(res.text, /action="\/profile\/password"/);
  assert.match(res.text, /name="current_password"/);
  assert.match(res.text, /name="new_password"/);
});

test('change email via form', async () => {
  const { cookie } = await registerUser();
  const res = await request('/profile/email', { method: 'POST', cookie, form: { email: 'changed@example.com' } });
  assert.equal(res.status, 302);
  assert.equal(res.headers.get('location'), '/profile?updated=email');
  const profile = await request('/profile?updated=email', { cookie });
  assert.match(profile.text, /Email address updated/);
  assert.match(profile.text, /<dd id="email">changed@example\.com<\/dd>/);

  const bad = await request('/profile/email', { method: 'POST', cookie, form: { email: 'nope' } });
  assert.equal(bad.status, 400);
});

test('change password via form', async () => {
  const user = await registerUser();
  const wrong = await request('/profile/password', {
    method: 'POST',
    cookie: user.cookie,
    form: { current_password: 'not-it', new_password: 'brand-new-password' },
  });
  assert.equal(wrong.status, 403);
  assert.match(wrong.text, /Current password is incorrect/);

  const ok = await request('/profile/password', {
    method: 'POST',
    cookie: user.cookie,
    form: { current_password: user.password, new_password: 'brand-new-password' },
  });
  assert.equal(ok.status, 302);
  assert.equal(ok.headers.get('location'), '/profile?updated=password');

  assert.equal((await formLogin(user.username, user.password)).status, 401);
  assert.equal((await formLogin(user.username, 'brand-new-password')).status, 302);
  const api = await request('/api/login', { method: 'POST', json: { username: user.username, password: 'brand-new-password' } });
  assert.equal(api.status, 200);
});

test('change email and password via JSON', async () => {
  const user = await registerUser();
  const email = await request('/api/me/email', { method: 'POST', cookie: user.cookie, json: { email: 'json@example.com' } });
  assert.equal(email.status, 200);
  assert.deepEqual(email.body, { ok: true, user: { username: user.username, email: 'json@example.com' } });
  assert.equal((await request('/api/me', { cookie: user.cookie })).body.user.email, 'json@example.com');
  const badEmail = await request('/api/me/email', { method: 'POST', cookie: user.cookie, json: { email: { $ne: 1 } } });
  assert.equal(badEmail.status, 400);

  const wrong = await request('/api/me/password', {
    method: 'POST',
    cookie: user.cookie,
    json: { current_password: 'nope', new_password: 'json-new-password' },
  });
  assert.equal(wrong.status, 403);
  const short = await request('/api/me/password', {
    method: 'POST',
    cookie: user.cookie,
    json: { current_password: user.password, new_password: 'short' },
  });
  assert.equal(short.status, 400);
  const ok = await request('/api/me/password', {
    method: 'POST',
    cookie: user.cookie,
    json: { current_password: user.password, new_password: 'json-new-password' },
  });
  assert.equal(ok.status, 200);
  assert.deepEqual(ok.body, { ok: true });
  assert.equal((await formLogin(user.username, 'json-new-password')).status, 302);
});

// ---------------------------------------------------------------- search, downloads

test('search returns matching products as an HTML table', async () => {
  const res = await request('/search?q=lamp');
  assert.equal(res.status, 200);
  assert.match(res.text, /<td>Desk Lamp<\/td>/);
  assert.doesNotMatch(res.text, /Anvil/);

  const none = await request('/search?q=zzz-no-match');
  assert.match(none.text, /No products found/);

  const form = await request('/search');
  assert.equal(form.status, 200);
  assert.doesNotMatch(form.text, /<table>/);
  assert.doesNotMatch(form.text, /You searched for/);
});

test('downloads list and serve the files in files/', async () => {
  const list = await request('/download');
  assert.equal(list.status, 200);
  assert.match(list.text, /href="\/download\?file=terms\.txt"/);
  assert.match(list.text, /href="\/download\?file=readme\.txt"/);

  const terms = await request('/download?file=terms.txt');
  assert.equal(terms.status, 200);
  assert.match(terms.headers.get('content-disposition'), /^attachment; filename="?terms\.txt"?$/);
  assert.match(terms.text, /Terms of Service/);

  assert.equal((await request('/download?file=missing.txt')).status, 404);
});

// ---------------------------------------------------------------- JSON API

test('API health and product listing', async () => {
  assert.deepEqual((await request('/api/health')).body, { status: 'ok' });

  const list = await request('/api/products');
  assert.equal(list.status, 200);
  assert.ok(list.body.products.length >= 10);
  assert.deepEqual(Object.keys(list.body.products[0]).sort(), ['description', 'id', 'name', 'price']);

  const one = await request('/api/products/1');
  assert.equal(one.status, 200);
  assert.equal(one.body.product.name, 'Anvil');

  for (const id of ['9999', 'abc', '1.5']) {
    const missing = await request(`/api/products/${id}`);
    assert.equal(missing.status, 404);
    assert.deepEqual(missing.body, { error: 'product not found' });
  }
});

test('POST /api/products requires login and validates input', async () => {
  const product = { name: 'Widget <b>bold</b>', price: 9.5, description: 'A test widget.' };
  const anon = await request('/api/products', { method: 'POST', json: product });
  assert.equal(anon.status, 401);

  const { cookie } = await registerUser();
  for (const bad of [{ price: 1 }, { name: '', price: 1 }, { name: 'x', price: '1' }, { name: 'x', price: -1 }, [1]]) {
    const res = await request('/api/products', { method: 'POST', cookie, json: bad });
    assert.equal(res.status, 400, JSON.stringify(bad));
    assert.equal(typeof res.body.error, 'string');
  }

  const created = await request('/api/products', { method: 'POST', cookie, json: product });
  assert.equal(created.status, 201);
  assert.equal(created.body.product.name, product.name);
  assert.equal(created.headers.get('location'), `/api/products/${created.body.product.id}`);
  const fetched = await request(created.headers.get('location'));
  assert.deepEqual(fetched.body, created.body);

  // Search results are escaped; only the echoed query is not.
  const search = await request('/search?q=Widget');
  assert.match(search.text, /<td>Widget &lt;b&gt;bold&lt;\/b&gt;<\/td>/);
});

// ---------------------------------------------------------------- deliberate vulnerabilities

test('VULN: UNION-based SQL injection in /search dumps the secrets table', async () => {
  const q = "zzz' UNION SELECT id, name, value FROM secrets--";
  const res = await request(`/search?q=${encodeURIComponent(q)}`);
  assert.equal(res.status, 200);
  assert.match(res.text, /<td>api_key<\/td><td>FAKE-DEMO-SECRET-sqli-found-me<\/td>/);
});

test('VULN: SQL errors are shown in a 500 page', async () => {
  const res = await request(`/search?q=${encodeURIComponent("'")}`);
  assert.equal(res.status, 500);
  assert.match(res.text, /Database error: unrecognized token/);
});

test('VULN: reflected XSS in /search', async () => {
  const payload = '<script>alert(document.cookie)</script>';
  const res = await request(`/search?q=${encodeURIComponent(payload)}`);
  assert.equal(res.status, 200);
  assert.ok(res.text.includes(`You searched for: ${payload}`));
});

test('VULN: path traversal in /download reads ../.env and /etc/passwd', async () => {
  const env = await request('/download?file=../.env');
  assert.equal(env.status, 200);
  assert.match(env.text, /DB_PASSWORD=fake-demo-password-not-real/);

  const passwd = await request(`/download?file=${'../'.repeat(12)}etc/passwd`);
  assert.equal(passwd.status, 200);
  assert.match(passwd.text, /^root:/m);
});

test('VULN: the app folder is served statically, including /.env', async () => {
  const env = await request('/.env');
  assert.equal(env.status, 200);
  assert.match(env.text, /SESSION_SECRET=fake-demo-session-secret/);
  assert.equal((await request('/package.json')).status, 200);
});

test('VULN: NoSQL operator injection in /api/login logs in as admin', async () => {
  const res = await request('/api/login', { method: 'POST', json: { username: 'admin', password: { $ne: null } } });
  assert.equal(res.status, 200);
  assert.deepEqual(res.body, { ok: true, user: { username: 'admin', email: 'admin@example.com' } });
  const me = await request('/api/me', { cookie: cookiePair(res, 'sid') });
  assert.equal(me.body.user.username, 'admin');
});
