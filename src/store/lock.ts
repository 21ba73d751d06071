/**
 * An exclusive lock on the embedded store's directory. PGlite does not lock its data dir, and two
 * processes writing one would corrupt it, so the process takes `<home>/store.lock` first.
 */
import fs from 'node:fs';
import path from 'node:path';

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Takes the lock or throws naming the process that holds it. Returns the release function. */
export function lockStoreDirectory(home: string): () => void {
  fs.mkdirSync(home, { recursive: true });
  const file = path.join(home, 'store.lock');
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      const fd = fs.openSync(file, 'wx', 0o600);
      fs.writeSync(fd, String(process.pid));
      fs.closeSync(fd);
      let released = false;
      return () => {
        if (released) return;
        released = true;
        fs.rmSync(file, { force: true });
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = Number.parseInt(fs.readFileSync(file, 'utf8'), 10);
      if (Number.isInteger(holder) && holder !== process.pid && isAlive(holder)) {
        throw new Error(
          `The store in ${home} is in use by process ${holder}; stop it first, or set TRIBUTARY_HOME to another directory`,
        );
      }
      // The holder died without releasing: the lock is stale.
      fs.rmSync(file, { force: true });
    }
  }
  throw new Error(`Could not take the store lock ${file}`);
}
