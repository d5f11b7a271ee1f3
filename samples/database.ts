// Seed 003 (practice exercises) Exercise 6 "Async Database Operations" (a database wrapper as an async context
// manager, CRUD, transactions that commit or roll back, batch operations) and the database part of seed 002 (lab)
// Exercise 7. The seed falls back to a mock; this sample uses a real embedded PostgreSQL: PGlite (PostgreSQL compiled
// to WebAssembly, running inside this process), through samples/lib/b-pglite.ts.
//
// Timeline: opening the database (WASM start-up, the longest span); then one query span per statement — inserts in
// sequence, a transaction that commits and one that rolls back, a batch insert in one transaction, and five
// queries issued together with Promise.all that PGlite serves one at a time (it is a single connection, like a
// pool of size 1), so their spans queue up rather than overlap in the database.
import type { PGlite, Transaction } from '@electric-sql/pglite';
import { openFreshPglite } from './lib/b-pglite.js';

interface User {
  id: number;
  name: string;
  email: string;
  created_at: Date;
}

class AsyncDatabase {
  #db?: PGlite;

  get db(): PGlite {
    if (!this.#db) throw new Error('not connected');
    return this.#db;
  }

  async connect(): Promise<void> {
    const { db } = await openFreshPglite();
    this.#db = db;
    const { rows } = await db.query<{ version: string }>('SELECT version()');
    console.log(`  Connected to database (${rows[0]!.version.split(' on ')[0]})`);
  }

  async disconnect(): Promise<void> {
    if (this.#db) {
      await this.#db.close();
      this.#db = undefined;
      console.log('  Disconnected from database');
    }
  }

  /** `async with AsyncDatabase() as db:` */
  static async with<R>(body: (db: AsyncDatabase) => Promise<R>): Promise<R> {
    const database = new AsyncDatabase();
    await database.connect();
    try {
      return await body(database);
    } finally {
      await database.disconnect();
    }
  }

  async createUsersTable(): Promise<void> {
    await this.db.exec(`
      CREATE TABLE IF NOT EXISTS users (
        id SERIAL PRIMARY KEY,
        name VARCHAR(255) NOT NULL,
        email VARCHAR(255) UNIQUE NOT NULL,
        created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP
      )
    `);
  }

  async insertUser(name: string, email: string, tx: Transaction | PGlite = this.db): Promise<number> {
    const { rows } = await tx.query<{ id: number }>('INSERT INTO users (name, email) VALUES ($1, $2) RETURNING id', [name, email]);
    return rows[0]!.id;
  }

  async getUser(id: number): Promise<User | undefined> {
    const { rows } = await this.db.query<User>('SELECT id, name, email, created_at FROM users WHERE id = $1', [id]);
    return rows[0];
  }

  async getAllUsers(): Promise<User[]> {
    return (await this.db.query<User>('SELECT id, name, email, created_at FROM users ORDER BY id')).rows;
  }

  async updateUser(id: number, changes: { name?: string; email?: string }): Promise<boolean> {
    const sets: string[] = [];
    const params: unknown[] = [];
    for (const [column, value] of Object.entries(changes)) {
      if (value === undefined) continue;
      params.push(value);
      sets.push(`${column} = $${params.length}`);
    }
    if (sets.length === 0) return false;
    params.push(id);
    const result = await this.db.query(`UPDATE users SET ${sets.join(', ')} WHERE id = $${params.length}`, params);
    return (result.affectedRows ?? 0) > 0;
  }

  async deleteUser(id: number): Promise<boolean> {
    const result = await this.db.query('DELETE FROM users WHERE id = $1', [id]);
    return (result.affectedRows ?? 0) > 0;
  }

  /** The seed's Transaction context manager: COMMIT if the body succeeds, ROLLBACK if it throws. */
  transaction<R>(body: (tx: Transaction) => Promise<R>): Promise<R> {
    return this.db.transaction(body);
  }

  /** Inserts many users in one transaction with one multi-row INSERT. */
  async batchInsertUsers(users: { name: string; email: string }[]): Promise<number[]> {
    const values = users.map((_, i) => `($${2 * i + 1}, $${2 * i + 2})`).join(', ');
    const params = users.flatMap((u) => [u.name, u.email]);
    return this.transaction(async (tx) => {
      const { rows } = await tx.query<{ id: number }>(`INSERT INTO users (name, email) VALUES ${values} RETURNING id`, params);
      return rows.map((r) => r.id);
    });
  }

  async countUsers(): Promise<number> {
    const { rows } = await this.db.query<{ n: number }>('SELECT count(*)::int AS n FROM users');
    return rows[0]!.n;
  }
}

async function demonstrateDatabaseOperations(): Promise<void> {
  console.log('='.repeat(60));
  console.log('ASYNC DATABASE OPERATIONS DEMO');
  console.log('='.repeat(60));

  await AsyncDatabase.with(async (db) => {
    console.log('\n1. Creating users table...');
    await db.createUsersTable();

    console.log('\n2. Inserting users...');
    const userData: [string, string][] = [
      ['Alice Johnson', 'alice@example.com'],
      ['Bob Smith', 'bob@example.com'],
      ['Carol Davis', 'carol@example.com'],
    ];
    for (const [name, email] of userData) {
      const userId = await db.insertUser(name, email);
      console.log(`  Created user ${userId}: ${name}`);
    }

    console.log('\n3. Querying users...');
    for (const user of await db.getAllUsers()) console.log(`  - ${user.name} (${user.email})`);

    console.log('\n4. Getting single user...');
    const user = await db.getUser(1);
    if (user) console.log(`  Found: ${user.name}`);

    console.log('\n5. Updating and deleting...');
    console.log(`  Updated user 2: ${await db.updateUser(2, { name: 'Robert Smith' })} -> ${(await db.getUser(2))?.name}`);
    console.log(`  Deleted user 3: ${await db.deleteUser(3)}`);
    console.log(`  Deleted user 99: ${await db.deleteUser(99)}`);

    console.log('\n6. Transactions...');
    const newId = await db.transaction(async (tx) => db.insertUser('Dave Wilson', 'dave@example.com', tx));
    console.log(`  Committed: user ${newId} Dave Wilson`);
    const before = await db.countUsers();
    try {
      await db.transaction(async (tx) => {
        await db.insertUser('Erin Brown', 'erin@example.com', tx);
        await db.insertUser('Alice Again', 'alice@example.com', tx); // duplicate email: the whole transaction fails
      });
    } catch (error) {
      console.log(`  Rolled back: ${(error as Error).message}`);
    }
    console.log(`  Users before: ${before}, after the failed transaction: ${await db.countUsers()} (Erin was not kept)`);

    console.log('\n7. Batch insert...');
    const batch = Array.from({ length: 50 }, (_, i) => ({ name: `Batch User ${i + 1}`, email: `batch${i + 1}@example.com` }));
    const started = performance.now();
    const ids = await db.batchInsertUsers(batch);
    // Database time is real work, not a simulated delay, so it is shown in real milliseconds (not scaled).
    const ms = performance.now() - started;
    console.log(`  Inserted ${ids.length} users in one transaction (ids ${ids[0]}-${ids[ids.length - 1]}) in ${ms.toFixed(1)} ms`);

    console.log('\n8. Concurrent queries...');
    const [count, first, last, domains, longest] = await Promise.all([
      db.countUsers(),
      db.getUser(1),
      db.db.query<{ name: string }>('SELECT name FROM users ORDER BY id DESC LIMIT 1'),
      db.db.query<{ domain: string; n: number }>(
        `SELECT split_part(email, '@', 2) AS domain, count(*)::int AS n FROM users GROUP BY 1 ORDER BY 1`,
      ),
      db.db.query<{ name: string }>('SELECT name FROM users ORDER BY length(name) DESC, id LIMIT 1'),
    ]);
    console.log(`  Total users: ${count}`);
    console.log(`  First: ${first?.name}; last: ${last.rows[0]?.name}; longest name: ${longest.rows[0]?.name}`);
    console.log(`  Domains: ${domains.rows.map((r) => `${r.domain}=${r.n}`).join(', ')}`);
  });
}

await demonstrateDatabaseOperations();
