/**
 * The version `weave --version` and `hub --version` print: the package's, and what it runs on.
 *   process.stdout.write(versionText('weave') + '\n');
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

function versionOf(file: string): string {
  try {
    return (JSON.parse(readFileSync(file, 'utf8')) as { version?: string }).version ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

export function versionText(bin: string): string {
  const own = versionOf(path.join(ROOT, 'package.json'));
  const asc = versionOf(path.join(ROOT, 'node_modules', 'assemblyscript', 'package.json'));
  return `${bin} ${own} (node ${process.versions.node}, assemblyscript ${asc})`;
}
