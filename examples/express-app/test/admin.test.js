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

test('the admin user list asks for a login', async () => {
  const res = await fetch(`${base}/api/admin/users`);
  assert.equal(res.status, 401);
});

test('the admin stats forgot the login check (on purpose)', async () => {
  const res = await fetch(`${base}/api/admin/stats`);
  assert.equal(res.status, 200);
  assert.equal(typeof (await res.json()).products, 'number');
});

test('the export route exists only with ADMIN_EXPORT=1', async () => {
  const res = await fetch(`${base}/api/admin/export`);
  assert.equal(res.status, 404);
});
