// Opens a fresh PGlite database (real PostgreSQL compiled to WebAssembly, running in this process) for the samples.
//
// Creating a PostgreSQL cluster from nothing (initdb) takes PGlite several seconds. The first run does it once and
// saves the empty cluster as a tarball in the OS temp directory; later runs load that tarball (about a second).
// Each run still gets its own brand-new database in memory: nothing is shared between runs but the empty template.
import { PGlite } from '@electric-sql/pglite';
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const TEMPLATE_KEY = 'pglite-0.5-empty-cluster-v1';

export async function openFreshPglite(): Promise<{ db: PGlite; fromTemplate: boolean }> {
  const templatePath = join(tmpdir(), `async-prof-${TEMPLATE_KEY}.tar.gz`);
  let template: Buffer | undefined;
  try {
    template = await readFile(templatePath);
  } catch {
    template = undefined;
  }
  if (template) {
    try {
      return { db: await PGlite.create({ loadDataDir: new Blob([new Uint8Array(template)]) }), fromTemplate: true };
    } catch {
      await rm(templatePath, { force: true }); // a damaged template: rebuild it below
    }
  }
  const db = await PGlite.create();
  try {
    const dump = await db.dumpDataDir('gzip');
    const partial = `${templatePath}.${process.pid}.partial`;
    await writeFile(partial, Buffer.from(await dump.arrayBuffer()));
    await rename(partial, templatePath); // atomic: concurrent runs never see half a file
  } catch {
    // caching is only an optimisation
  }
  return { db, fromTemplate: false };
}
