'use strict';

const { test } = require('node:test');
const assert = require('node:assert/strict');
const { startApp } = require('../test-support/server');

const base = startApp();

const json = (method, body) => ({ method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

test('an article is posted, read back by its slug, updated and commented on', async () => {
  const body = 'Use `SELECT * FROM users` carefully:\n\n```sql\nSELECT 1;\n```\n<script> is escaped here.';
  let res = await fetch(`${base()}/api/articles`, json('POST', { article: { title: 'SQL: The Basics!', body, tagList: ['sql'] } }));
  assert.equal(res.status, 201);
  const { article } = await res.json();
  assert.equal(article.slug, 'sql-the-basics');

  res = await fetch(`${base()}/api/articles/sql-the-basics`);
  assert.equal((await res.json()).article.body, body);

  res = await fetch(`${base()}/api/articles/sql-the-basics`, json('PUT', { article: { description: 'updated' } }));
  assert.equal((await res.json()).article.description, 'updated');

  res = await fetch(`${base()}/api/articles/sql-the-basics/comments`, json('POST', { comment: { body: 'Nice, `DROP TABLE` next?' } }));
  assert.equal(res.status, 201);
  res = await fetch(`${base()}/api/articles/sql-the-basics/comments`);
  assert.equal((await res.json()).comments.length, 1);

  res = await fetch(`${base()}/api/articles/sql-the-basics`, json('POST', { article: { title: 'SQL: The Basics!' } }));
  assert.equal(res.status, 404, 'POST on a slug is no route');
  res = await fetch(`${base()}/api/articles`, json('POST', { article: { title: 'SQL: The Basics!' } }));
  assert.equal((await res.json()).article.slug, 'sql-the-basics-2', 'a second post with the same title gets its own slug');
});

test('a post from the form is shown escaped', async () => {
  const form = new URLSearchParams({ title: 'Markup <b>demo</b>', body: '<img src=x onerror=alert(1)>' });
  let res = await fetch(`${base()}/posts`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: form.toString(),
  });
  assert.equal(res.status, 302);
  res = await fetch(base() + res.headers.get('location'));
  const html = await res.text();
  assert.match(html, /&lt;img src=x onerror=alert\(1\)&gt;/);
  assert.doesNotMatch(html, /<img src=x/);
});

test('a missing article is 404', async () => {
  assert.equal((await fetch(`${base()}/api/articles/nope`)).status, 404);
  assert.equal((await fetch(`${base()}/posts/nope`)).status, 404);
});
