// `skyfence remoteid decode <hex>` as an integrator uses it: JSON on stdout, or one line on stderr and exit 1.
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.ts';

const BASIC_ID_HEX = '02223132333435363738393031323334353637383930000000';
const LOCATION_HEX = '122624160A42BF241B6ED1B4B69808AC0870086B53150E0200';

async function run(...args: string[]) {
  let out = '';
  let err = '';
  const code = await main(args, { write: (s: string) => ((out += s), true) } as never, { write: (s: string) => ((err += s), true) } as never);
  return { code, out, err };
}

describe('skyfence remoteid decode', () => {
  it('prints one message as a JSON object in engineering units', async () => {
    const r = await run('remoteid', 'decode', LOCATION_HEX);
    expect([r.code, r.err]).toEqual([0, '']);
    expect(JSON.parse(r.out)).toMatchObject({ type: 'location', directionDeg: 216, speedMps: 5.5, verticalSpeedMps: 5, lat: 45.539309, lon: -122.966389, altitudeGeoM: 110, heightM: 80, timestampS: 360.5 });
    expect(r.out).toContain('\n  "type": "location"'); // pretty, for a person to read
  });

  it('prints a pack as one array, and takes hex split over several arguments', async () => {
    const r = await run('remoteid', 'decode', 'F2 19 02', BASIC_ID_HEX, LOCATION_HEX.toLowerCase());
    expect(r.code).toBe(0);
    const messages = JSON.parse(r.out);
    expect(messages.map((m: { type: string }) => m.type)).toEqual(['basic-id', 'location']);
    expect(messages[0]).toEqual({ type: 'basic-id', protocolVersion: 2, idType: 'caa-registration', uaType: 'helicopter-or-multirotor', uasId: '12345678901234567890' });
  });

  it('says why in one line and exits 1 on bad input, never a stack', async () => {
    const cases: Array<[string, string]> = [
      ['122', 'odd length: 3 hex digits do not make whole bytes'],
      ['12GG', 'not hex: "G" at character 3'],
      [`82${'00'.repeat(24)}`, 'unknown message type 8'],
      [LOCATION_HEX.slice(0, 30), 'truncated message (15 of 25 bytes)'],
      [`F2190A${BASIC_ID_HEX.repeat(10)}`, 'over-long pack: 10 messages (at most 9)'],
      [`F21903${BASIC_ID_HEX}${LOCATION_HEX}`, 'pack claims 3 messages but has 53 bytes (78 expected)'],
    ];
    for (const [hex, why] of cases) {
      const r = await run('remoteid', 'decode', hex);
      expect([hex, r.code, r.out, r.err]).toEqual([hex, 1, '', `remoteid decode: ${why}\n`]);
    }
  });

  it('shows its usage without hex, and lists itself in the general usage', async () => {
    const r = await run('remoteid', 'decode');
    expect([r.code, r.err]).toEqual([2, 'usage:\n  skyfence remoteid decode <hex>     (one 25-byte message, or a pack F2 19 N …)\n']);
    expect((await run('nonsense')).err).toContain('skyfence remoteid decode <hex>');
  });
});
