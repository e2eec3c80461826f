#!/usr/bin/env node
'use strict';
// npx bulwark …: runs this platform's bulwark binary with the same
// arguments and standard streams, passes on the signals a process manager
// sends (TERM to stop, HUP to reload, INT), and exits as the binary did.

const { spawn } = require('node:child_process');
const { binaryPath } = require('../index.js');

let bin;
try {
  bin = binaryPath();
} catch (err) {
  console.error(err.message);
  process.exit(1);
}

const child = spawn(bin, process.argv.slice(2), { stdio: 'inherit', windowsHide: true });
const signals = process.platform === 'win32' ? ['SIGINT', 'SIGTERM'] : ['SIGINT', 'SIGTERM', 'SIGHUP'];
for (const sig of signals) {
  process.on(sig, () => child.kill(sig));
}
child.on('error', (err) => {
  console.error(`bulwark: cannot start ${bin}: ${err.message}`);
  process.exit(1);
});
child.on('exit', (code, signal) => {
  if (signal) {
    // End as the binary did, so the caller sees the same signal.
    process.removeAllListeners(signal);
    process.kill(process.pid, signal);
    return;
  }
  process.exit(code);
});
