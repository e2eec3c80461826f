'use strict';

// Tiny HTML helpers shared by every view. All dynamic values must go through
// escapeHtml; the single deliberate exception is marked in views/search.js.

const ESCAPES = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

function escapeHtml(value) {
  return String(value ?? '').replace(/[&<>"']/g, (ch) => ESCAPES[ch]);
}

function nav(user) {
  const account = user
    ? `<a href="/profile">${escapeHtml(user.username)}</a>
       <form method="post" action="/logout" class="inline"><button type="submit">Log out</button></form>`
    : '<a href="/login">Log in</a> <a href="/register">Register</a>';
  return `<nav><a href="/">Home</a> <a href="/search">Search</a> <a href="/download">Downloads</a>
    <a href="/about.html">About</a> <span class="account">${account}</span></nav>`;
}

function layout({ title, user, body }) {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${escapeHtml(title)} - Example Shop</title>
<link rel="stylesheet" href="/style.css">
</head>
<body>
${nav(user)}
<main>
<h1>${escapeHtml(title)}</h1>
${body}
</main>
</body>
</html>
`;
}

function message(text, kind = 'error') {
  return text ? `<p class="${kind}">${escapeHtml(text)}</p>` : '';
}

module.exports = { escapeHtml, layout, message };
