// Adds up vitest's and Playwright's JSON reports into the closing "N passed, N failed" line.
// A step that failed without a report (typecheck, build) counts as one failure.
import { existsSync, readFileSync } from 'node:fs';

const [vitestFile, playwrightFile, failedStepsArg] = process.argv.slice(2);
let passed = 0;
let failed = 0;
let skipped = 0;

if (vitestFile && existsSync(vitestFile)) {
  const v = JSON.parse(readFileSync(vitestFile, 'utf8'));
  passed += v.numPassedTests ?? 0;
  failed += v.numFailedTests ?? 0;
  skipped += (v.numPendingTests ?? 0) + (v.numTodoTests ?? 0);
}
if (playwrightFile && existsSync(playwrightFile)) {
  const s = JSON.parse(readFileSync(playwrightFile, 'utf8')).stats ?? {};
  passed += (s.expected ?? 0) + (s.flaky ?? 0);
  failed += s.unexpected ?? 0;
  skipped += s.skipped ?? 0;
}
const reported = failed;
const failedSteps = Number(failedStepsArg ?? 0);
// Steps that failed outside any test (type errors, a broken build) must still make the run red.
if (failedSteps > 0 && reported === 0) failed += 1;

console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
