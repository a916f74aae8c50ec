#!/usr/bin/env node
/**
 * Completes package-lock.json for `npm ci` on machines whose npm registry serves only this platform's
 * native packages (e.g. @swc/core-darwin-arm64 answers 404 here). npm then leaves those optional
 * platform packages out of the lock, and `npm ci` refuses the lock as "out of sync".
 *
 * For every optionalDependency without a lock entry, this adds one with its version and the os/cpu
 * read from the package name; npm skips such an entry on a non-matching platform without fetching it.
 * Run after `npm install`: `node scripts/complete-lock.js`.
 */
const fs = require('fs');
const path = require('path');

const lockPath = path.join(__dirname, '..', 'package-lock.json');
const lock = JSON.parse(fs.readFileSync(lockPath, 'utf8'));
const packages = lock.packages;
const OSES = ['darwin', 'win32', 'freebsd', 'android', 'openharmony', 'linux', 'sunos', 'aix', 'netbsd', 'openbsd'];
const CPUS = ['arm64', 'x64', 'ia32', 'arm', 'ppc64', 's390x', 'riscv64', 'loong64', 'mips64el'];

const parts = (name) => name.split('/').pop().split('-');
const osOf = (name) => OSES.find((o) => parts(name).includes(o));
const cpuOf = (name) => CPUS.find((c) => parts(name).includes(c));

let added = 0;
for (const [where, pkg] of Object.entries(packages)) {
  for (const [name, version] of Object.entries(pkg.optionalDependencies ?? {})) {
    const os = osOf(name);
    const cpu = cpuOf(name);
    if (!os && !cpu) continue; // not a platform package: leave npm's resolution alone
    const nested = `${where ? `${where}/` : ''}node_modules/${name}`;
    if (packages[nested] || packages[`node_modules/${name}`]) continue;
    const entry = { version: version.replace(/^[\^~=]/, '') };
    if (pkg.dev) entry.dev = true;
    entry.optional = true;
    if (os) entry.os = [os];
    if (cpu) entry.cpu = [cpu];
    packages[`node_modules/${name}`] = entry;
    added++;
  }
}
fs.writeFileSync(lockPath, `${JSON.stringify(lock, null, 2)}\n`);
console.log(`complete-lock: added ${added} platform entries`);
