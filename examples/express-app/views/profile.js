'use strict';

const { escapeHtml, layout, message } = require('./layout');

const UPDATED = { email: 'Email address updated.', password: 'Password changed.' };

function profilePage({ user, updated, error }) {
  return layout({
    title: 'Your profile',
    user,
    body: `${message(Object.hasOwn(UPDATED, updated) ? UPDATED[updated] : '', 'success')}${message(error)}
<dl>
  <dt>Username</dt><dd id="username">${escapeHtml(user.username)}</dd>
  <dt>Email</dt><dd id="email">${escapeHtml(user.email)}</dd>
</dl>
<h2>Change email</h2>
<form method="post" action="/profile/email">
  <label>New email <input name="email" type="email" required></label>
  <button type="submit">Update email</button>
</form>
<h2>Change password</h2>
<form method="post" action="/profile/password">
  <label>Current password <input name="current_password" type="password" autocomplete="current-password" required></label>
  <label>New password <input name="new_password" type="password" autocomplete="new-password" required></label>
  <button type="submit">Change password</button>
</form>`,
  });
}

module.exports = { profilePage };
