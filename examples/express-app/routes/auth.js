'use strict';

const express = require('express');
const { loginPage, registerPage } = require('../views/auth');
const { bodyString, wantsJson, startSession, endSession } = require('../middleware');
const { usernameError, emailError, passwordError } = require('../validate');

const LOGIN_FAILED = 'Invalid username or password';

function authRoutes({ users }) {
  const router = express.Router();

  router.get('/login', (req, res) => {
    res.send(loginPage());
  });

  router.post('/login', async (req, res) => {
    const username = bodyString(req, 'username');
    const user = await users.verifyLogin(username, bodyString(req, 'password'));
    if (!user) return res.status(401).send(loginPage({ error: LOGIN_FAILED, username }));
    await startSession(req, user);
    res.redirect('/profile');
  });

  router.post('/api/login', async (req, res) => {
    const { username, password } = req.body ?? {};
    if (username == null || password == null) return res.status(401).json({ error: 'invalid credentials' });
    // VULNERABLE ON PURPOSE: NoSQL operator injection. The JSON values are put
    // into the query unchecked, so an object such as {"$ne": null} becomes a
    // query operator: {"username":"admin","password":{"$ne":null}} logs in
    // as admin without the password.
    const user = await users.findOneByQuery({ username, password });
    if (!user) return res.status(401).json({ error: 'invalid credentials' });
    await startSession(req, user);
    res.json({ ok: true, user: { username: user.username, email: user.email } });
  });

  const logout = async (req, res) => {
    await endSession(req);
    res.clearCookie('sid');
    if (wantsJson(req)) return res.json({ ok: true });
    res.redirect('/login');
  };
  router.get('/logout', logout);
  router.post('/logout', logout);

  router.get('/register', (req, res) => {
    res.send(registerPage());
  });

  router.post('/register', async (req, res) => {
    const form = {
      username: bodyString(req, 'username'),
      email: bodyString(req, 'email'),
      password: bodyString(req, 'password'),
    };
    const error = usernameError(form.username) || emailError(form.email) || passwordError(form.password);
    if (error) return res.status(400).send(registerPage({ ...form, error }));

    let user;
    try {
      user = await users.create(form);
    } catch (err) {
      if (err.errorType !== 'uniqueViolated') throw err;
      return res.status(409).send(registerPage({ ...form, error: 'That username is already taken.' }));
    }
    await startSession(req, user);
    res.redirect('/profile');
  });

  return router;
}

module.exports = authRoutes;
