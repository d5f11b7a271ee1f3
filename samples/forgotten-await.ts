// ANTI-PATTERN: a forgotten await — a floating promise. Seed 003 (practice) "Common Anti-Patterns to Avoid" ("don't
// create unnecessary tasks without awaiting", "avoid memory leaks by cleaning up tasks"), seed 004 (AsyncIO guide)
// Phase 2 (a task must be awaited to get its result or its exception).
//
// `registerUser()` calls two async functions without `await`:
//   - saveAuditLog() is still running when registerUser() returns and reports success; its result is never read,
//     and had it failed nobody would know;
//   - sendWelcomeEmail() rejects, and no code is waiting for it: the error surfaces only as an "unhandled rejection".
//
// How this sample still exits 0: Node 20 turns an unhandled rejection into a crash (exit code 1) *unless* a
// process-level 'unhandledRejection' listener exists. We install one that prints a warning, so the run demonstrates
// the lost error and ends normally. A real application should treat that listener as a last-resort alarm, not as
// error handling.
//
// THE FIX (run with --fixed): await what you start — here both at once, with Promise.allSettled so one failure does
// not hide the other:
//     const [audit, email] = await Promise.allSettled([saveAuditLog(user), sendWelcomeEmail(user)]);
// If you really mean fire-and-forget, say so and attach the handler yourself: `void task().catch(logError)`.
// The lint rule @typescript-eslint/no-floating-promises catches the bug at compile time.
//
// Timeline: registerUser returns at once while the saveAuditLog span (0.5 s) outlives it and the sendWelcomeEmail
// span (0.2 s) ends in a rejection that no await receives; with --fixed both spans finish inside registerUser.
import { sleep } from './lib/env.js';
import { stopwatch } from './lib/b-async.js';

let auditWritten = false;

process.on('unhandledRejection', (reason) => {
  console.log(`warning: unhandled promise rejection (nobody awaited it): ${(reason as Error).message}`);
});
process.on('exit', () => {
  if (!fixed) console.log(`exit: the audit log was ${auditWritten ? 'written after registerUser had already returned' : 'never written'}; its result was never read`);
});

async function saveAuditLog(user: string): Promise<string> {
  await sleep(0.5); // a slow write
  auditWritten = true;
  return `audit entry for ${user}`;
}

async function sendWelcomeEmail(user: string): Promise<void> {
  await sleep(0.2);
  throw new Error(`SMTP connection refused while emailing ${user}`);
}

async function registerUser(user: string): Promise<string> {
  saveAuditLog(user); // BUG: not awaited — still running when we return, result lost
  sendWelcomeEmail(user); // BUG: not awaited — its rejection has no handler
  return `registered ${user}`;
}

async function registerUserFixed(user: string): Promise<string> {
  const [audit, email] = await Promise.allSettled([saveAuditLog(user), sendWelcomeEmail(user)]);
  if (audit.status === 'fulfilled') console.log(`registerUserFixed: ${audit.value} saved`);
  if (email.status === 'rejected') console.log(`registerUserFixed: welcome email failed (handled): ${(email.reason as Error).message}`);
  return `registered ${user}`;
}

const fixed = process.argv.includes('--fixed');
const elapsed = stopwatch();
const result = fixed ? await registerUserFixed('alice') : await registerUser('alice');
console.log(`main: ${result} after ${elapsed().toFixed(2)}s; audit log written yet? ${auditWritten ? 'yes' : 'no'}`);
