'use strict';

const { escapeHtml, layout, message } = require('./layout');

function loginPage({ error, username } = {}) {
  return layout({
    title: 'Log in',
    body: `${message(error)}
<form method="post" action="/login">
  <label>Username <input name="username" value="${escapeHtml(username)}" autocomplete="username" required></label>
  <label>Password <input name="password" type="password" autocomplete="current-password" required></label>
  <button type="submit">Log in</button>
</form>
<p>No account? <a href="/register">Register</a>.</p>`,
  });
}

function registerPage({ error, username, email } = {}) {
  return layout({
    title: 'Register',
    body: `${message(error)}
<form method="post" action="/register">
  <label>Username <input name="username" value="${escapeHtml(username)}" autocomplete="username" required></label>
  <label>Email <input name="email" type="email" value="${escapeHtml(email)}" autocomplete="email" required></label>
  <label>Password <input name="password" type="password" autocomplete="new-password" required></label>
  <button type="submit">Create account</button>
</form>`,
  });
}

module.exports = { loginPage, registerPage };
