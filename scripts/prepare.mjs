#!/usr/bin/env node
/**
 * npm's `prepare`: the build (`npm run build`), except when npx runs it.
 *
 * `npx weave` in a checkout finds `weave` among this package's own bins, and npm then
 * installs the checkout into npx's cache to link them, running `prepare` there: a second
 * whole build (16 s of a first `npx weave --version` in a fresh clone, against 1.4 s
 * after). npm sets npm_command=exec for that install; the checkout was built by its
 * own `npm install` (and is rebuilt by every npm script that runs code), so a built
 * dist/ is used as it is.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
if (process.env.npm_command === 'exec' && existsSync(path.join(root, 'dist', 'cli', 'weave.js'))) process.exit(0);
const r = spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
process.exit(r.status ?? 1);
