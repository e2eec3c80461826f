'use strict';

const { test } = require('node:test');
const assert = require('node:assert/strict');
const { startApp } = require('../test-support/server');

const base = startApp();

test('the admin user list asks for a login', async () => {
  const res = await fetch(`${base()}/api/admin/users`);
  assert.equal(res.status, 401);
});

test('the admin stats forgot the login check (on purpose)', async () => {
  const res = await fetch(`${base()}/api/admin/stats`);
  assert.equal(res.status, 200);
  assert.equal(typeof (await res.json()).products, 'number');
});

test('the export route exists only with ADMIN_EXPORT=1', async () => {
  const res = await fetch(`${base()}/api/admin/export`);
  assert.equal(res.status, 404);
});
