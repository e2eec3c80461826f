'use strict';
// The path of the bulwark binary for this machine, from the platform package
// npm installed beside this one (one of the optionalDependencies: npm
// installs only the one whose os and cpu match). Nothing is downloaded.
//
//   const { binaryPath } = require('bulwark');
//   execFileSync(binaryPath(), ['version']);

const path = require('node:path');

// The platform packages, by Node's process.platform and process.arch. The
// release build writes the same list into package.json's
// optionalDependencies.
const packages = {
  'linux x64': '@bulwark-sec/linux-x64',
  'linux arm64': '@bulwark-sec/linux-arm64',
  'linux arm': '@bulwark-sec/linux-arm',
  'darwin x64': '@bulwark-sec/darwin-x64',
  'darwin arm64': '@bulwark-sec/darwin-arm64',
  'win32 x64': '@bulwark-sec/win32-x64',
  'win32 arm64': '@bulwark-sec/win32-arm64',
};

function binaryPath() {
  if (process.env.BULWARK_BINARY) {
    return path.resolve(process.env.BULWARK_BINARY);
  }
  const key = `${process.platform} ${process.arch}`;
  const pkg = packages[key];
  if (!pkg) {
    throw new Error(`bulwark: no binary for ${key}; the release has ${Object.keys(packages).join(', ')}. ` +
      'Build it from source instead: go install github.com/bulwark-sec/bulwark/cmd/bulwark@latest');
  }
  const exe = process.platform === 'win32' ? 'bulwark.exe' : 'bulwark';
  try {
    return require.resolve(`${pkg}/bin/${exe}`);
  } catch {
    throw new Error(`bulwark: the package ${pkg} with the binary for ${key} is not installed. ` +
      'npm installs it as an optional dependency of bulwark: reinstall without --no-optional / --omit=optional, ' +
      'and with the lockfile made on a machine of any platform (npm records every platform package in it).');
  }
}

module.exports = { binaryPath };
