'use strict';

// Lists the routes of an Express app without serving it: run by Bulwark as
//   node -e "$(cat express.js)" SCRIPT
// with file descriptor 3 open for writing. It hooks require('express') to
// record every app and router created and every route declared on them, as
// they are declared (Express 4 and 5 keep their routing tables in different
// internals; the public methods are the same), stubs listening so nothing
// binds a port, loads SCRIPT as the main module (or imports it, when it is
// an ES module), and writes one JSON object
// to fd 3 when the app listens, when the event loop runs dry, when the app
// exits, or after a bounded wait, whichever comes first:
//   {"express": "5.1.0", "listened": true, "routes": [{"method": "GET", "path": [{"s": "/api"}, {"s": "/items/:id"}]}]}
// A route's path is the chain of mount paths down to it, each a string
// ("s") or a regular expression ("re"). On failure it writes
// {"error": "…"} instead.

const fs = require('node:fs');
const http = require('node:http');
const net = require('node:net');
const path = require('node:path');
const Module = require('node:module');
const { pathToFileURL } = require('node:url');

const OUT_FD = 3;
const WAIT_MS = 5000; // for an app that never listens
const AFTER_LISTEN_MS = 50; // routes declared right after listen() still count
const MAX_DEPTH = 32; // of mounted routers

const script = path.resolve(process.argv[1] || '');
const METHODS = http.METHODS.map((m) => m.toLowerCase());
const containers = new WeakMap(); // app or router function -> its record
const apps = []; // records of every app created
const realExit = process.exit;
let expressVersion = '';
let finished = false;
let depth = 0; // > 0 while inside an instrumented call: Express calls itself

function paths(p) {
  if (Array.isArray(p)) return p.flatMap(paths);
  if (typeof p === 'string') return [{ s: p }];
  if (p instanceof RegExp) return [{ re: String(p) }];
  return [];
}

// guarded runs fn(...) as an instrumented call: record runs only for the
// outermost one, the call the app's code made.
function guarded(record, orig, self, args) {
  if (depth === 0) record();
  depth++;
  try {
    return orig.apply(self, args);
  } finally {
    depth--;
  }
}

function instrumentRoute(route, rec, routePaths) {
  for (const m of METHODS.concat('all')) {
    const orig = route[m];
    if (typeof orig !== 'function') continue;
    route[m] = function (...args) {
      return guarded(() => rec.entries.push({ method: m === 'all' ? '*' : m.toUpperCase(), paths: routePaths }), orig, this, args);
    };
  }
  return route;
}

function instrument(obj, kind) {
  const rec = { kind, entries: [], mounts: [], mounted: false, listened: false };
  containers.set(obj, rec);
  for (const m of METHODS.concat('all')) {
    const orig = obj[m];
    if (typeof orig !== 'function') continue;
    obj[m] = function (...args) {
      if (args.length < 2) return orig.apply(this, args); // app.get('setting'), or Express's own error
      return guarded(() => rec.entries.push({ method: m === 'all' ? '*' : m.toUpperCase(), paths: paths(args[0]) }), orig, this, args);
    };
  }
  const origRoute = obj.route;
  if (typeof origRoute === 'function') {
    obj.route = function (p, ...rest) {
      const route = guarded(() => {}, origRoute, this, [p, ...rest]);
      return depth === 0 ? instrumentRoute(route, rec, paths(p)) : route;
    };
  }
  const origUse = obj.use;
  if (typeof origUse === 'function') {
    obj.use = function (...args) {
      return guarded(() => recordUse(rec, args), origUse, this, args);
    };
  }
  if (kind === 'app' && typeof obj.listen === 'function') {
    const origListen = obj.listen;
    obj.listen = function (...args) {
      rec.listened = true;
      return origListen.apply(this, args);
    };
  }
  if (kind === 'app') apps.push(rec);
  return obj;
}

// recordUse notes the routers and apps mounted by use([path,] ...fns), read
// the way Express reads its arguments.
function recordUse(rec, args) {
  let offset = 0;
  let mount = '/';
  if (typeof args[0] !== 'function') {
    let arg = args[0];
    while (Array.isArray(arg) && arg.length !== 0) arg = arg[0];
    if (typeof arg !== 'function') {
      offset = 1;
      mount = args[0];
    }
  }
  for (const fn of args.slice(offset).flat(Infinity)) {
    const child = containers.get(fn);
    if (!child) continue; // middleware: not a route
    child.mounted = true;
    rec.mounts.push({ paths: paths(mount), child });
  }
}

function wrapExpress(express) {
  const wrapped = function (...args) {
    return instrument(express.apply(this, args), 'app');
  };
  for (const key of Reflect.ownKeys(express)) {
    if (key in wrapped && ['length', 'name', 'prototype', 'arguments', 'caller'].includes(key)) continue;
    Object.defineProperty(wrapped, key, Object.getOwnPropertyDescriptor(express, key));
  }
  const Router = express.Router;
  if (typeof Router === 'function') {
    const router = function (...args) {
      return instrument(Router.apply(undefined, args), 'router');
    };
    Object.setPrototypeOf(router, Router);
    router.prototype = Router.prototype;
    Object.defineProperty(wrapped, 'Router', { value: router, writable: true, enumerable: true, configurable: true });
  }
  return wrapped;
}

const wrappedByOriginal = new WeakMap();
const wrappers = new WeakSet();
const origLoad = Module._load;
Module._load = function (request, parent, isMain) {
  const exported = origLoad.apply(this, arguments);
  if (request !== 'express' || typeof exported !== 'function' || wrappers.has(exported)) return exported;
  if (!expressVersion) {
    try {
      const pkg = Module._resolveFilename('express/package.json', parent);
      expressVersion = JSON.parse(fs.readFileSync(pkg, 'utf8')).version;
    } catch {
      expressVersion = 'unknown';
    }
  }
  let wrapped = wrappedByOriginal.get(exported);
  if (!wrapped) {
    wrapped = wrapExpress(exported);
    wrappedByOriginal.set(exported, wrapped);
    wrappers.add(wrapped);
  }
  return wrapped;
};

// Nothing binds a port: listen() on any server (http, https, net) returns
// at once without listening or calling back, and the routes are written.
net.Server.prototype.listen = function () {
  setTimeout(finish, AFTER_LISTEN_MS);
  return this;
};

// hookESM makes an ES module's `import express from 'express'` (and its
// named imports) see the hooked express, as require() does: ES imports do
// not go through Module._load, so a module loader hook (Node 20.6 and
// later) answers 'express' with a module exporting the hooked one.
function hookESM(file) {
  if (typeof Module.register !== 'function') return;
  let wrapped;
  try {
    wrapped = Module.createRequire(file)('express');
  } catch {
    return; // No express beside the script: finish() says so.
  }
  globalThis[Symbol.for('bulwark.express')] = wrapped;
  const names = Object.keys(wrapped).filter((k) => /^[A-Za-z_$][\w$]*$/.test(k) && k !== 'default');
  const hooks = `
let names = [];
export function initialize(data) { names = data.names; }
export async function resolve(specifier, context, next) {
  if (specifier === 'express') return { url: 'bulwark:express', shortCircuit: true };
  return next(specifier, context);
}
export async function load(url, context, next) {
  if (url !== 'bulwark:express') return next(url, context);
  const source = 'const e = globalThis[Symbol.for("bulwark.express")];\\nexport default e;\\n' +
    names.map((n, i) => 'const v' + i + ' = e[' + JSON.stringify(n) + '];\\nexport { v' + i + ' as ' + n + ' };').join('\\n');
  return { format: 'module', source, shortCircuit: true };
}`;
  Module.register('data:text/javascript,' + encodeURIComponent(hooks), { data: { names } });
}

function collect(rec, prefix, out, seen) {
  if (seen.has(rec) || seen.size >= MAX_DEPTH) return;
  seen.add(rec);
  for (const e of rec.entries) {
    for (const p of e.paths) out.push({ method: e.method, path: prefix.concat([p]) });
  }
  for (const m of rec.mounts) {
    for (const p of m.paths) collect(m.child, prefix.concat([p]), out, seen);
  }
  seen.delete(rec);
}

function write(result) {
  try {
    fs.writeSync(OUT_FD, JSON.stringify(result) + '\n');
  } catch {
    // fd 3 closed: nobody is reading.
  }
}

function finish(extra) {
  if (finished) return;
  finished = true;
  if (extra && extra.error) {
    write(extra);
  } else if (!expressVersion) {
    write({ error: `${script} did not load express: not an Express app, or express is not installed where the script can find it` });
  } else {
    const routes = [];
    for (const rec of apps) if (!rec.mounted) collect(rec, [], routes, new Set());
    write({ express: expressVersion, listened: apps.some((a) => a.listened), routes, ...extra });
  }
  realExit.call(process, 0);
}

// failure reports err with the frames of its stack that are the app's:
// not Node's internals, not this lister's.
function failure(what, err) {
  let text = String(err);
  if (err && typeof err.stack === 'string') {
    const lines = err.stack.split('\n');
    const frames = lines.slice(1).filter((l) => !/\((node:|\[eval\])|at (node:|\[eval\])/.test(l));
    text = [lines[0], ...frames].join('\n');
  }
  finish({ error: `${what}: ${text}` });
}

process.exit = function (code) {
  const c = code === undefined ? process.exitCode : code;
  if (c && Number(c) !== 0) finish({ error: `the app exited with code ${c} before it listened` });
  finish({ exitCode: Number(c) || 0 });
};
process.on('uncaughtException', (err) => failure('the app threw', err));
process.on('unhandledRejection', (err) => failure('the app failed (unhandled promise rejection)', err));
process.on('beforeExit', () => finish());
setTimeout(finish, WAIT_MS).unref();

// isESM says whether Node runs file as an ES module: .mjs, or .js under a
// package.json whose type is "module".
function isESM(file) {
  if (file.endsWith('.mjs')) return true;
  if (!file.endsWith('.js')) return false;
  for (let dir = path.dirname(file); ; dir = path.dirname(dir)) {
    try {
      return JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')).type === 'module';
    } catch (err) {
      if (err.code !== 'ENOENT') return false;
    }
    if (path.dirname(dir) === dir) return false;
  }
}

process.argv = [process.argv[0], script, ...process.argv.slice(2)];
if (isESM(script)) {
  hookESM(script);
  import(pathToFileURL(script).href).catch((err) => failure(`loading ${script}`, err));
} else {
  try {
    Module._load(script, null, true);
  } catch (err) {
    failure(`loading ${script}`, err);
  }
}
