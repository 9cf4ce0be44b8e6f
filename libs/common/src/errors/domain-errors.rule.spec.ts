import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const ROOT = join(__dirname, '..', '..', '..', '..');
/** The HTTP edge: where framework exceptions may be built (and are mapped). */
const EDGE = /(\.controller|\.filter|\.guard)\.ts$|libs\/common\/src\/errors\//;
const NEST_EXCEPTION = /new\s+[A-Z]\w*Exception\s*\(/;

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : sources(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts') ? [path] : [];
  });
}

describe('domain errors below the edge', () => {
  it('no service, repository or library builds a framework exception: they throw DomainError', () => {
    const roots = ['apps', 'libs'].map((dir) => join(ROOT, dir));
    const offenders = roots
      .flatMap(sources)
      .map((path) => relative(ROOT, path))
      .filter((path) => !path.startsWith('libs/embedded-mongo/') && !EDGE.test(path))
      .filter((path) => NEST_EXCEPTION.test(readFileSync(join(ROOT, path), 'utf8')));
    expect(offenders).toEqual([]);
  });
});
