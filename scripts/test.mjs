// The suite: the unit project, then the end-to-end project, one after the other. On a two-core machine the
// browser tests (Cesium drawn by SwiftShader) must not share the cores with the unit tests' simulators and
// scrypt; both run even when the first fails, and the exit code is the worse of the two.
import { spawnSync } from 'node:child_process';

const extra = process.argv.slice(2);
let worst = 0;
for (const project of ['unit', 'e2e']) {
  const run = spawnSync('npx', ['vitest', 'run', '--project', project, ...extra], { stdio: 'inherit' });
  worst = Math.max(worst, run.status ?? 1);
}
process.exit(worst);
