import { describe, expect, it } from 'vitest';
import { parseSite, SiteError } from '../../src/main/core/site/load-site.ts';
import { SiteModel } from '../../src/main/core/site/site-model.ts';
import { main } from '../../src/cli/main.ts';
import { sampleSiteJson, SAMPLE_SITE_FILE } from '../fixtures/sites.ts';

const problemsOf = (json: unknown) => {
  try {
    parseSite(JSON.stringify(json), 'site.json');
  } catch (err) {
    if (err instanceof SiteError) return err.problems;
    throw err;
  }
  return [];
};

describe('site validation', () => {
  it('accepts the sample airport and builds its 200 m grid with responsible units', () => {
    const model = new SiteModel(parseSite(JSON.stringify(sampleSiteJson()), 'site.json'));
    expect(model.pack.runways.map((r) => r.id)).toEqual(['02L/20R', '02R/20L', '03R/21L']);
    expect(model.grid.cells.length).toBeGreaterThan(500);
    expect(model.grid.cells.every((c) => c.unitId !== null)).toBe(true);
    const arp = model.pack.aerodrome.referencePoint;
    const cell = model.gridCellAt(arp[0], arp[1])!;
    expect(cell.id).toMatch(/^G\d{2}-\d{2}$/);
  });

  it('reports a wrong coordinate with its JSON path', () => {
    const site = sampleSiteJson();
    site.runways[1].ends[0].position = [106.64, 129.7];
    expect(problemsOf(site)).toEqual(['site.json: $.runways[1].ends[0].position[1]: latitude must be within [-90, 90]']);
  });

  it('reports a mistyped coordinate as its distance from the reference point', () => {
    const site = sampleSiteJson();
    site.features.features[0].geometry.coordinates[0][0] = [106.6, 39.7];
    const problems = problemsOf(site);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^site\.json: \$\.features\.features\[0\]\.geometry: \[106\.6, 39\.7\] is 1\d{3}\.\d km from the aerodrome reference point .*swapped/);
  });

  it('reports a missing runway end, and every problem at once', () => {
    const site = sampleSiteJson();
    site.runways[0].ends.pop();
    site.runways[2].widthM = -45;
    site.perceptionCircles[0].ring = 'middle';
    const problems = problemsOf(site);
    expect(problems).toEqual(expect.arrayContaining([
      expect.stringMatching(/^site\.json: \$\.runways\[0\]\.ends(\[1\])?: /),
      expect.stringMatching(/^site\.json: \$\.runways\[2\]\.widthM: /),
      expect.stringMatching(/^site\.json: \$\.perceptionCircles\[0\]\.ring: /),
    ]));
  });

  it('reports ends that are not reciprocal', () => {
    const site = sampleSiteJson();
    site.runways[0].ends[1].designator = '21R';
    expect(problemsOf(site)).toEqual(['site.json: $.runways[0].ends: 02L and 21R are not reciprocal ends of one runway']);
  });

  it('reports a file that is not JSON without a stack trace', () => {
    expect(() => parseSite('{"format": "skyfence-site",', 'broken.json')).toThrow(/^broken\.json: \$: not valid JSON/);
  });
});

describe('skyfence CLI', () => {
  const run = async (args: string[]) => {
    let out = '';
    let err = '';
    const code = await main(args, { write: (s: string) => ((out += s), true) } as never, { write: (s: string) => ((err += s), true) } as never);
    return { code, out, err };
  };
  it('validates a site and exports every surface as 3D GeoJSON', async () => {
    expect((await run(['site', 'validate', SAMPLE_SITE_FILE])).out).toMatch(/ok — ZUCK .* 3 runways/);
    const { code, out } = await run(['site', 'clearance', SAMPLE_SITE_FILE, '--format', 'geojson']);
    expect(code).toBe(0);
    const fc = JSON.parse(out);
    const surfaces = new Set(fc.features.map((f: { properties: { surface: string } }) => f.properties.surface));
    expect([...surfaces].sort()).toEqual([
      'approach', 'approach-horizontal', 'approach-section-2', 'conical', 'inner-horizontal', 'protection-radius',
      'take-off-climb', 'transitional', 'uav-inspection-area',
    ]);
    const approach21L = fc.features.find((f: { properties: { surface: string; runway?: string } }) => f.properties.surface === 'approach' && f.properties.runway === '21L');
    expect(approach21L.properties.slope).toBe(0.02);
    expect(approach21L.geometry.coordinates[0][0]).toHaveLength(3);
  });
  it('exports KML and fails clearly on a missing file', async () => {
    expect((await run(['site', 'clearance', SAMPLE_SITE_FILE, '--format', 'kml'])).out).toContain('<altitudeMode>absolute</altitudeMode>');
    const missing = await run(['site', 'validate', 'nope.json']);
    expect(missing).toMatchObject({ code: 1, err: 'nope.json: cannot read the file (ENOENT)\n' });
    expect((await run(['site', 'clearance', SAMPLE_SITE_FILE, '--format', 'shp'])).code).toBe(2);
  });
});
