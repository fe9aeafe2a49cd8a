// Adds up vitest's and Playwright's JSON reports into the closing "N passed, N failed" line:
//   node scripts/count-results.mjs <failed steps> <report.json>...
// A step that failed without a report (typecheck, build) counts as one failure.
import { existsSync, readFileSync } from 'node:fs';

const [failedStepsArg, ...reports] = process.argv.slice(2);
let passed = 0;
let failed = 0;
let skipped = 0;
/** One line per failed test, printed above the count: the end of a long log says what to look at. */
const failures = [];
const relative = (file) => file.replace(`${process.cwd()}/`, '');
const firstLine = (text) => String(text ?? '').replace(/\x1b\[[0-9;]*m/g, '').split('\n').find((l) => l.trim()) ?? '';

function playwrightFailures(suite, where) {
  for (const spec of suite.specs ?? [])
    for (const t of spec.tests ?? [])
      if (t.status === 'unexpected') {
        const error = t.results?.at(-1)?.error?.message;
        failures.push(`${where}: ${spec.file}:${spec.line} › ${spec.title}: ${firstLine(error)}`);
      }
  for (const child of suite.suites ?? []) playwrightFailures(child, where);
}

for (const file of reports) {
  if (!existsSync(file)) continue;
  const report = JSON.parse(readFileSync(file, 'utf8'));
  if (report.stats) {
    // Playwright
    const s = report.stats;
    passed += (s.expected ?? 0) + (s.flaky ?? 0);
    failed += s.unexpected ?? 0;
    skipped += s.skipped ?? 0;
    for (const suite of report.suites ?? []) playwrightFailures(suite, file);
  } else {
    // vitest
    passed += report.numPassedTests ?? 0;
    failed += report.numFailedTests ?? 0;
    skipped += (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
    for (const f of report.testResults ?? []) {
      for (const t of f.assertionResults ?? [])
        if (t.status === 'failed') failures.push(`${file}: ${relative(f.name)} › ${t.fullName}: ${firstLine(t.failureMessages?.[0])}`);
      // a file that failed outside any test (an import, a hook)
      if (f.status === 'failed' && !(f.assertionResults ?? []).some((t) => t.status === 'failed')) failures.push(`${file}: ${relative(f.name)}: ${firstLine(f.message)}`);
    }
  }
}
const reported = failed;
const failedSteps = Number(failedStepsArg ?? 0);
// Steps that failed outside any test (type errors, a broken build) must still make the run red.
if (failedSteps > 0 && reported === 0) failed += 1;

for (const line of failures) console.log(`failed: ${line.slice(0, 400)}`);
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
