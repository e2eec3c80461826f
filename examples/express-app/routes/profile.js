'use strict';

const express = require('express');
const { profilePage } = require('../views/profile');
const { bodyString, requireLogin } = require('../middleware');
const { emailError, passwordError } = require('../validate');

// VULNERABLE ON PURPOSE: the state-changing forms and JSON endpoints below
// carry no CSRF token; they rely entirely on the session cookie.
function profileRoutes({ users }) {
  const router = express.Router();

  // Both return { status, error } on failure and null on success.
  async function changeEmail(user, email) {
    const error = emailError(email);
    if (error) return { status: 400, error };
    await users.updateEmail(user.id, email);
    return null;
  }

  async function changePassword(user, current, next) {
    const error = passwordError(next);
    if (error) return { status: 400, error };
    if (!(await users.checkPassword(user.id, current))) {
      return { status: 403, error: 'Current password is incorrect.' };
    }
    await users.updatePassword(user.id, next);
    return null;
  }

  router.get('/profile', requireLogin, (req, res) => {
    res.send(profilePage({ user: res.locals.user, updated: req.query.updated }));
  });

  router.post('/profile/email', requireLogin, async (req, res) => {
    const failure = await changeEmail(res.locals.user, bodyString(req, 'email'));
    if (failure) return res.status(failure.status).send(profilePage({ user: res.locals.user, error: failure.error }));
    res.redirect('/profile?updated=email');
  });

  router.post('/profile/password', requireLogin, async (req, res) => {
    const { user } = res.locals;
    const failure = await changePassword(user, bodyString(req, 'current_password'), bodyString(req, 'new_password'));
    if (failure) return res.status(failure.status).send(profilePage({ user, error: failure.error }));
    res.redirect('/profile?updated=password');
  });

  router.get('/api/me', requireLogin, (req, res) => {
    const { username, email } = res.locals.user;
    res.json({ user: { username, email } });
  });

  router.post('/api/me/email', requireLogin, async (req, res) => {
    const email = bodyString(req, 'email');
    const failure = await changeEmail(res.locals.user, email);
    if (failure) return res.status(failure.status).json({ error: failure.error });
    res.json({ ok: true, user: { username: res.locals.user.username, email } });
  });

  router.post('/api/me/password', requireLogin, async (req, res) => {
    const { user } = res.locals;
    const failure = await changePassword(user, bodyString(req, 'current_password'), bodyString(req, 'new_password'));
    if (failure) return res.status(failure.status).json({ error: failure.error });
    res.json({ ok: true });
  });

  return router;
}

module.exports = profileRoutes;
