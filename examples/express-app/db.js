'use strict';

// Data layer: an in-memory SQLite database (sql.js, pure WebAssembly) for the
// product catalogue and an in-memory MongoDB-style collection (@seald-io/nedb)
// for users. Everything is created fresh at startup; nothing touches disk.

const crypto = require('node:crypto');
const { promisify } = require('node:util');
const initSqlJs = require('sql.js');
const Datastore = require('@seald-io/nedb');

const scrypt = promisify(crypto.scrypt);
const KEY_LENGTH = 64;

const SEED_USERS = [
  { username: 'alice', email: 'alice@example.com', password: 'correct horse battery staple' },
  { username: 'bob', email: 'bob@example.com', password: 'hunter2-but-longer' },
  { username: 'admin', email: 'admin@example.com', password: 'S3cure!Admin#2026' },
];

const SEED_PRODUCTS = [
  ['Anvil', 'A classic cast-iron anvil.', 129.99],
  ['Bicycle Pump', 'Floor pump with pressure gauge.', 24.5],
  ['Camping Stove', 'Compact single-burner gas stove.', 39.0],
  ['Desk Lamp', 'LED lamp with adjustable arm.', 19.95],
  ['Espresso Machine', 'Makes surprisingly decent coffee.', 249.0],
  ['Fountain Pen', 'Steel nib, refillable converter.', 34.0],
  ['Garden Hose', '25 m expandable hose.', 29.99],
  ['Headphones', 'Closed-back studio headphones.', 89.0],
  ['Ice Scraper', 'For windscreens and freezers alike.', 4.99],
  ['Juggling Balls', 'Set of three bean-filled balls.', 12.0],
];

async function hashPassword(password) {
  const salt = crypto.randomBytes(16);
  const key = await scrypt(password, salt, KEY_LENGTH);
  return `scrypt$${salt.toString('hex')}$${key.toString('hex')}`;
}

async function verifyPassword(password, stored) {
  const [scheme, saltHex, keyHex] = stored.split('$');
  if (scheme !== 'scrypt') return false;
  const expected = Buffer.from(keyHex, 'hex');
  const actual = await scrypt(password, Buffer.from(saltHex, 'hex'), expected.length);
  return crypto.timingSafeEqual(actual, expected);
}

function publicUser(doc) {
  return doc && { id: doc._id, username: doc.username, email: doc.email };
}

async function createUserStore() {
  const collection = new Datastore(); // no filename: in-memory only
  await collection.ensureIndexAsync({ fieldName: 'username', unique: true });

  const store = {
    async findById(id) {
      return publicUser(await collection.findOneAsync({ _id: id }));
    },

    // Safe login used by the HTML form: looks the user up by name and
    // verifies the scrypt hash.
    async verifyLogin(username, password) {
      const doc = await collection.findOneAsync({ username });
      if (!doc || !(await verifyPassword(password, doc.passwordHash))) return null;
      return publicUser(doc);
    },

    // Used by the JSON API login. The caller's query object is handed to the
    // collection unchanged (see routes/auth.js for the vulnerable caller).
    async findOneByQuery(query) {
      return publicUser(await collection.findOneAsync(query));
    },

    async checkPassword(id, password) {
      const doc = await collection.findOneAsync({ _id: id });
      return Boolean(doc) && verifyPassword(password, doc.passwordHash);
    },

    // Rejects with errorType 'uniqueViolated' if the username is taken.
    async create({ username, email, password }) {
      const doc = await collection.insertAsync({
        username,
        email,
        passwordHash: await hashPassword(password),
        // VULNERABLE ON PURPOSE: legacy plaintext copy of the password, kept
        // "for the old mobile API" and matched directly by POST /api/login.
        password,
      });
      return publicUser(doc);
    },

    async updateEmail(id, email) {
      await collection.updateAsync({ _id: id }, { $set: { email } });
    },

    async updatePassword(id, password) {
      const passwordHash = await hashPassword(password);
      await collection.updateAsync({ _id: id }, { $set: { passwordHash, password } });
    },
  };

  for (const user of SEED_USERS) await store.create(user);
  return store;
}

async function createProductDb() {
  const SQL = await initSqlJs();
  const db = new SQL.Database();
  db.run(`
    CREATE TABLE products (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      name TEXT NOT NULL,
      description TEXT NOT NULL DEFAULT '',
      price REAL NOT NULL
    );
    CREATE TABLE secrets (id INTEGER PRIMARY KEY, name TEXT NOT NULL, value TEXT NOT NULL);
    INSERT INTO secrets (name, value) VALUES ('api_key', 'FAKE-DEMO-SECRET-sqli-found-me');
  `);
  const insert = db.prepare('INSERT INTO products (name, description, price) VALUES (?, ?, ?)');
  for (const row of SEED_PRODUCTS) insert.run(row);
  insert.free();
  return db;
}

function queryAll(db, sql, params = []) {
  const stmt = db.prepare(sql);
  try {
    stmt.bind(params);
    const rows = [];
    while (stmt.step()) rows.push(stmt.getAsObject());
    return rows;
  } finally {
    stmt.free();
  }
}

function createProductStore(db) {
  return {
    list() {
      return queryAll(db, 'SELECT id, name, description, price FROM products ORDER BY id');
    },
    get(id) {
      return queryAll(db, 'SELECT id, name, description, price FROM products WHERE id = ?', [id])[0] || null;
    },
    add({ name, description, price }) {
      return queryAll(
        db,
        'INSERT INTO products (name, description, price) VALUES (?, ?, ?) RETURNING id, name, description, price',
        [name, description, price],
      )[0];
    },
  };
}

async function openDatabases() {
  const sql = await createProductDb();
  return { sql, products: createProductStore(sql), users: await createUserStore() };
}

module.exports = { openDatabases };
