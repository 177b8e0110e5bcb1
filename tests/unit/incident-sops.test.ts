// The SOP file: the sample airport's incident types load with their checklists; a broken file names every
// problem as `file: json-path: what`; a site without one still offers the general type (其他).
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadSopFile, parseSops, SopFileError, sopFilePath } from '../../src/main/core/incidents/sop-file.ts';
import { Incidents } from '../../src/main/core/incidents/incidents.ts';
import { SAMPLE_SITE_FILE } from '../fixtures/sites.ts';

const scratch = mkdtempSync(join(tmpdir(), 'skyfence-sops-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const problemsOf = (raw: string): string[] => {
  try {
    parseSops(raw, 'sops.json');
  } catch (err) {
    if (err instanceof SopFileError) return err.problems;
    throw err;
  }
  return [];
};
const valid = () => ({
  format: 'skyfence-sops', version: 1,
  types: [{ id: 'other', name: { zh: '其他', en: 'Other' }, steps: [{ id: 'verify', text: { zh: '核实', en: 'Verify' }, targetS: 60 }] }],
});

describe('the SOP file', () => {
  it('loads the sample airport’s types: drone intrusion, unattended object, violent passenger, perimeter breach, public order, other', async () => {
    const types = (await loadSopFile(sopFilePath(dirname(SAMPLE_SITE_FILE))))!;
    expect(types.map((x) => x.id)).toEqual(['drone-intrusion', 'unattended-object', 'violent-passenger', 'perimeter-breach', 'public-order', 'other']);
    const drone = types[0];
    expect(drone.name).toEqual({ zh: '无人机入侵', en: 'Drone intrusion' });
    expect(drone.steps.map((s) => s.id)).toEqual(['verify', 'notify-atc', 'notify-clearance', 'find-pilot', 'runway-suspend', 'counter', 'evidence', 'restore']);
    // The 1-3-5 rule: the first steps carry targets of 1, 3 and 5 minutes.
    expect(drone.steps.filter((s) => s.targetS).map((s) => s.targetS)).toEqual([60, 180, 180, 300]);
    for (const type of types) for (const step of type.steps) expect(step.text.zh && step.text.en).toBeTruthy();
  });

  it('names every problem with its place', () => {
    const bad = valid() as Record<string, unknown>;
    bad.types = [
      { id: 'Drone Intrusion', name: { zh: '无人机' }, steps: [] },
      { id: 'other', name: { zh: '其他', en: 'Other' }, steps: [{ id: 'verify', text: { zh: '核实', en: 'Verify' }, targetS: -5 }] },
    ];
    expect(problemsOf(JSON.stringify(bad))).toEqual([
      'sops.json: $.types[0].id: lower-case letters, digits and -; at most 40',
      expect.stringMatching(/^sops\.json: \$\.types\[0\]\.name\.en: /),
      expect.stringMatching(/^sops\.json: \$\.types\[0\]\.steps: /),
      expect.stringMatching(/^sops\.json: \$\.types\[1\]\.steps\[0\]\.targetS: /),
    ]);
    expect(problemsOf('{ "format": ')).toEqual([expect.stringMatching(/^sops\.json: \$: not valid JSON/)]);
  });

  it('refuses a type id or a step id used twice', () => {
    const twice = valid();
    twice.types.push(structuredClone(twice.types[0]));
    twice.types[0].steps.push({ id: 'verify', text: { zh: '再核实', en: 'Verify again' }, targetS: 120 });
    expect(problemsOf(JSON.stringify(twice))).toEqual([
      'sops.json: $.types[0].steps[1].id: "verify" is used by an earlier step of other',
      'sops.json: $.types[1].id: "other" is used by an earlier type',
    ]);
  });

  it('a site without an SOP file offers the general type, and says so', async () => {
    const lines: string[] = [];
    const incidents = new Incidents({ siteDir: scratch, log: (l: string) => lines.push(l) } as unknown as ConstructorParameters<typeof Incidents>[0]);
    await incidents.load();
    expect(incidents.types().map((x) => x.id)).toEqual(['other']);
    expect(lines).toEqual([expect.stringContaining('no SOP file')]);
  });

  it('a broken SOP file stops the load with its problems', async () => {
    const site = join(scratch, 'broken');
    mkdirSync(join(site, 'response'), { recursive: true });
    writeFileSync(sopFilePath(site), JSON.stringify({ ...valid(), version: 2 }));
    await expect(loadSopFile(sopFilePath(site))).rejects.toThrow('sops.json: $.version: ');
  });
});
