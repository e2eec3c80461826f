'use strict';

const { escapeHtml, layout } = require('./layout');

function homePage({ user }) {
  const greeting = user ? `Welcome back, ${escapeHtml(user.username)}.` : 'Welcome to the example shop.';
  return layout({
    title: 'Example Shop',
    user,
    body: `<p>${greeting}</p>
<ul>
  <li><a href="/login">Log in</a> or <a href="/register">register</a></li>
  <li><a href="/profile">Your profile</a></li>
  <li><a href="/search?q=">Search products</a></li>
  <li><a href="/download">Downloads</a></li>
  <li>API: <a href="/api/products">/api/products</a>, <a href="/api/health">/api/health</a></li>
</ul>`,
  });
}

function downloadsPage({ user, files }) {
  const items = files
    .map((name) => `<li><a href="/download?file=${encodeURIComponent(name)}">${escapeHtml(name)}</a></li>`)
    .join('\n');
  return layout({ title: 'Downloads', user, body: `<ul>\n${items}\n</ul>` });
}

function errorPage({ user, title, text }) {
  return layout({ title, user, body: `<p>${escapeHtml(text)}</p><p><a href="/">Back to the home page</a></p>` });
}

module.exports = { homePage, downloadsPage, errorPage };
