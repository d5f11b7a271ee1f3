// JUnit XML: one <testsuite> per script, one <testcase> per script × check. A crash is an
// <error>, a failed budget or regression a <failure>, an inconclusive comparison <skipped>;
// a budget at level "warn" passes and says so in <system-out>.
import type { CiResult } from '../result.js';
import { formatValue } from '../metrics.js';
import { checkLabel, expected, valueList } from './common.js';

export function xmlEscape(s: string): string {
  return (
    s
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/"/g, '&quot;')
      .replace(/'/g, '&apos;')
      // Characters XML 1.0 does not allow at all.
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '')
  );
}

const seconds = (ms: number) => (Math.max(0, ms) / 1000).toFixed(3);

export function renderJunit(result: CiResult, hostname = 'localhost'): string {
  const out: string[] = ['<?xml version="1.0" encoding="UTF-8"?>'];
  let tests = 0;
  let failures = 0;
  let errors = 0;
  let skipped = 0;
  const suites: string[] = [];
  result.scripts.forEach((script, index) => {
    const cases: string[] = [];
    let sFailures = 0;
    let sErrors = 0;
    let sSkipped = 0;
    const wall = script.runs.reduce((sum, r) => sum + r.wallMs, 0);
    const classname = xmlEscape(script.script);
    if (script.error) {
      sErrors++;
      const e = script.error;
      cases.push(
        `    <testcase name="runs without crashing" classname="${classname}" time="0.000">\n` +
          `      <error message="${xmlEscape(`crashed on run ${e.run}: it ${e.message}`)}" type="crash">${xmlEscape(e.output.join('\n'))}</error>\n` +
          `    </testcase>`,
      );
    }
    for (const check of script.checks) {
      const name = xmlEscape(`${checkLabel(check)} ${expected(check)}`);
      const details = xmlEscape(
        [
          check.message,
          `found ${formatValue(check.metric, check.value)}; all runs: ${valueList(check.metric, check.values)}`,
          check.kind === 'regression' ? `baseline runs: ${valueList(check.metric, check.baselineValues)}` : '',
          check.location ? `at ${check.location.function} ${check.location.file}:${check.location.line}; fix: ${check.location.hint}` : '',
        ]
          .filter(Boolean)
          .join('\n'),
      );
      let body = '';
      if (check.status === 'fail') {
        sFailures++;
        body = `\n      <failure message="${xmlEscape(check.message)}" type="${check.kind}">${details}</failure>\n    `;
      } else if (check.status === 'inconclusive') {
        sSkipped++;
        body = `\n      <skipped message="${xmlEscape(`inconclusive: ${check.message}`)}"/>\n    `;
      } else if (check.status === 'warn') {
        body = `\n      <system-out>${xmlEscape(`warning: ${check.message}`)}</system-out>\n    `;
      }
      cases.push(`    <testcase name="${name}" classname="${classname}" time="${seconds(wall / Math.max(1, script.checks.length))}">${body}</testcase>`);
    }
    const count = cases.length;
    tests += count;
    failures += sFailures;
    errors += sErrors;
    skipped += sSkipped;
    suites.push(
      `  <testsuite name="${classname}" id="${index}" package="async-prof" hostname="${xmlEscape(hostname)}" timestamp="${result.startedAt.replace(/\.\d+Z$/, '')}" ` +
        `tests="${count}" failures="${sFailures}" errors="${sErrors}" skipped="${sSkipped}" time="${seconds(wall)}">\n` +
        `    <properties>\n` +
        `      <property name="runs" value="${script.runs.length}"/>\n` +
        `      <property name="aggregate" value="${result.settings.aggregate}"/>\n` +
        `      <property name="node" value="${xmlEscape(result.environment.node)}"/>\n` +
        `    </properties>\n` +
        (cases.length ? `${cases.join('\n')}\n` : '') +
        `  </testsuite>`,
    );
  });
  out.push(
    `<testsuites name="async-prof ci" tests="${tests}" failures="${failures}" errors="${errors}" skipped="${skipped}" time="${seconds(result.durationMs)}">`,
    ...suites,
    '</testsuites>',
  );
  return `${out.join('\n')}\n`;
}
