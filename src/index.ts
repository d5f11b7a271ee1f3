// The public API of async-prof: `import { profile } from "async-prof"`.
// Importing it also makes this process's instrumented code (the vite plugin's output) report
// to profile(): see src/api/in-process.ts.
import { inProcessRecorder } from './api/in-process.js';

export { profile, type ProfileOptions, type ProfileResult, type ProfiledError } from './api/profile.js';
export { lagP99Below, maxLagBelow, noBlocking, noBlockingOver, describeBlocking, type MatcherOutcome, type ProfileLike } from './api/matchers.js';
export type { ReportJson } from './report/report-json.js';
export type { Frame } from './model/types.js';
export type { CiResult, ScriptResult, RunResult, ScriptError } from './ci/result.js';
export type { Check, BudgetCheck, RegressionCheck, Location } from './ci/evaluate.js';

inProcessRecorder();
