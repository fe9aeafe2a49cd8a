// Adds up vitest's and Playwright's JSON reports into the closing "N passed, N failed" line:
//   node scripts/count-results.mjs <failed steps> <report.json>...
// A step that failed without a report (typecheck, build) counts as one failure.
import { existsSync, readFileSync } from 'node:fs';

const [failedStepsArg, ...reports] = process.argv.slice(2);
let passed = 0;
let failed = 0;
let skipped = 0;

for (const file of reports) {
  if (!existsSync(file)) continue;
  const report = JSON.parse(readFileSync(file, 'utf8'));
  if (report.stats) {
    // Playwright
    const s = report.stats;
    passed += (s.expected ?? 0) + (s.flaky ?? 0);
    failed += s.unexpected ?? 0;
    skipped += s.skipped ?? 0;
  } else {
    // vitest
    passed += report.numPassedTests ?? 0;
    failed += report.numFailedTests ?? 0;
    skipped += (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
  }
}
const reported = failed;
const failedSteps = Number(failedStepsArg ?? 0);
// Steps that failed outside any test (type errors, a broken build) must still make the run red.
if (failedSteps > 0 && reported === 0) failed += 1;

console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
