import {
  closeSync,
  mkdirSync,
  openSync,
  readFileSync,
  realpathSync,
  unlinkSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';

const lockedHere = new Set<string>();

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function inUse(file: string, holder: string): Error {
  return new Error(
    `embedded-mongo: data file ${file} is in use by ${holder}; stop it first, or run the store on ` +
      'its own (npm run db) and point every process at it with MONGO_URL',
  );
}

/**
 * The data file's real path: symlinks (of the file and of its folders) resolved, so that two
 * names of one file take one lock. Creates the folder when missing.
 */
export function realDataPath(dataFile: string): string {
  const file = resolve(dataFile);
  try {
    return realpathSync(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  mkdirSync(dirname(file), { recursive: true });
  return join(realpathSync(dirname(file)), basename(file));
}

/**
 * Takes `<dataFile>.lock` for this process, so that two stores never write one data file (the
 * last snapshot would silently win). The lock is taken on the real path, so a symlink to a
 * locked file is refused too. A lock left by a process that died is taken over.
 * Returns the release function.
 */
export function lockDataFile(dataFile: string): () => void {
  const file = realDataPath(dataFile);
  const lock = `${file}.lock`;
  if (lockedHere.has(file)) throw inUse(file, 'another store in this process');
  mkdirSync(dirname(file), { recursive: true });
  try {
    const fd = openSync(lock, 'wx');
    writeSync(fd, String(process.pid));
    closeSync(fd);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    const holder = Number(readFileSync(lock, 'utf8').trim());
    if (Number.isInteger(holder) && holder > 0 && holder !== process.pid && alive(holder)) {
      throw inUse(file, `process ${holder}`);
    }
    writeFileSync(lock, String(process.pid));
  }
  lockedHere.add(file);
  return () => {
    lockedHere.delete(file);
    try {
      if (readFileSync(lock, 'utf8').trim() === String(process.pid)) unlinkSync(lock);
    } catch {
      // Already gone: nothing to release.
    }
  };
}
