// Prints the slowest test files and the plain closing line `N passed, N failed, N skipped` after Vitest's own
// report, so that CI logs state the count in one line and show where the suite's time goes.
import type { Reporter, TestModule } from 'vitest/node';

export default class SummaryReporter implements Reporter {
  onTestRunEnd(modules: ReadonlyArray<TestModule>): void {
    const counts = { passed: 0, failed: 0, skipped: 0 };
    for (const m of modules) {
      for (const test of m.children.allTests()) {
        const state = test.result().state;
        if (state === 'passed') counts.passed++;
        else if (state === 'failed') counts.failed++;
        else counts.skipped++;
      }
    }
    const slowest = modules
      .map((m) => ({ file: m.relativeModuleId, s: m.diagnostic().duration / 1000 }))
      .sort((a, b) => b.s - a.s)
      .slice(0, 12);
    console.log('\nSlowest test files:');
    for (const { file, s } of slowest) console.log(`  ${s.toFixed(0).padStart(5)} s  ${file}`);
    console.log(`\n${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped`);
  }
}
