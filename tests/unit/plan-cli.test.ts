// `skyfence plan validate` as a coordinator or CI runs it, as a child process: exit 0 with one summary line per
// good plan, 1 with every problem as file:line:column: message (never a stack), 2 on bad usage.
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';

function cli(...args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'plan', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, out, err }));
  });
}

describe('skyfence plan validate', () => {
  it('prints one line and exits 0 on a good plan', async () => {
    const r = await cli('validate', 'resources/plans/drone-intrusion-approach.yaml');
    expect(r).toEqual({ code: 0, out: 'drone-intrusion-approach v4: 综合演练, 15 steps, 5 injects, 6 timed actions — OK\n', err: '' });
  }, 60_000);

  it('prints every problem as file:line:column: message and exits 1, also when one of several files is bad', async () => {
    const r = await cli('validate', 'tests/fixtures/plans/valid-minimal.yaml', 'tests/fixtures/plans/many-problems.yaml', '--site', 'resources/sites/zuck/site.json');
    expect(r.code).toBe(1);
    expect(r.out).toBe('fixture-minimal v1: 桌面演练, 3 steps, 2 injects, 1 timed actions — OK\n');
    const lines = r.err.trim().split('\n');
    expect(lines).toHaveLength(5);
    for (const line of lines) expect(line).toMatch(/^tests\/fixtures\/plans\/many-problems\.yaml:\d+:\d+: \S/);
    expect(lines[4]).toBe('tests/fixtures/plans/many-problems.yaml:37:39: unknown camera FENCE-99: the video sources report 300 cameras (did you mean FENCE-09?)');
    expect(r.err).not.toMatch(/\bat .*\.ts:\d+/);
  }, 60_000);

  it('checks cameras against a given camera list', async () => {
    const r = await cli('validate', 'tests/fixtures/plans/valid-minimal.yaml', '--cameras', 'tests/fixtures/plans/cameras.json');
    expect(r.code).toBe(1);
    expect(r.err).toBe('tests/fixtures/plans/valid-minimal.yaml:37:39: unknown camera FENCE-01: the video sources report 2 cameras (did you mean FENCE-02?)\n');
  }, 60_000);

  it('exits 2 on bad usage, an unknown option or a site that does not load, and 1 on a missing file', async () => {
    expect((await cli('validate')).code).toBe(2);
    expect((await cli('check', 'x.yaml')).code).toBe(2);
    const unknown = await cli('validate', 'x.yaml', '--colour', 'red');
    expect([unknown.code, unknown.err.split('\n')[0]]).toEqual([2, 'unknown option --colour']);
    const site = await cli('validate', 'resources/plans/drone-intrusion-approach.yaml', '--site', 'no/such/site.json');
    expect(site.code).toBe(2);
    expect(site.err).not.toMatch(/\bat .*\.ts:\d+/);
    const missing = await cli('validate', 'no-such-plan.yaml');
    expect([missing.code, missing.err]).toEqual([1, 'no-such-plan.yaml: cannot read the file (ENOENT)\n']);
  }, 120_000);
});
