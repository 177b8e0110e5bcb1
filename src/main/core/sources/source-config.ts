// The `sources` list of config.json, checked entry by entry by its kind, with errors that give the JSON path
// (`sources[1].url: must be tcp://host:port`). The older ways to name a drone-detection system — the
// `droneDetection` field and the --drone-url flag (SKYFENCE_DRONE_URL) — still work: each becomes (or
// overrides the URL of) the entry with id `drone-detection`. API keys are read here from the environment
// variable an entry names, and never written anywhere.
import type { SourceEntry } from './adapter-kind.ts';
import { ADAPTER_KINDS, findAdapterKind } from './adapter-kinds.ts';
import { MANUAL_FEED } from './manual-feed.ts';

/** The id the legacy `droneDetection` field and --drone-url configure. */
export const LEGACY_DRONE_ID = 'drone-detection';

export interface SourceConfigInput {
  /** config.json's `sources`, unchecked. */
  sources?: unknown[];
  /** config.json's legacy `droneDetection`. */
  droneDetection?: { url?: unknown; apiKeyEnv?: unknown; intervalMs?: unknown };
  /** --drone-url or SKYFENCE_DRONE_URL. */
  droneUrl?: string;
}

/** Every configured source, checked; throws one error naming each wrong field and where it is. */
export function sourcesFromConfig(input: SourceConfigInput, configFile: string, env: NodeJS.ProcessEnv): SourceEntry[] {
  const inFile = (field: string) => (path: string) => `${configFile}: ${field}${path}`;
  const raw: Array<{ entry: unknown; label: string; where: (path: string) => string }> = (input.sources ?? []).map((entry, i) => ({
    entry, label: `sources[${i}]`, where: inFile(`sources[${i}]`),
  }));
  if (input.droneDetection) {
    const taken = raw.find((r) => idOf(r.entry) === LEGACY_DRONE_ID);
    if (taken) throw new Error(`${configFile}: droneDetection and ${taken.label} both configure the source "${LEGACY_DRONE_ID}": keep one (sources is the newer form)`);
    const { url, apiKeyEnv, intervalMs } = input.droneDetection;
    raw.push({ entry: { id: LEGACY_DRONE_ID, kind: 'drone-detection', url, apiKeyEnv, intervalMs }, label: 'droneDetection', where: inFile('droneDetection') });
  }
  if (input.droneUrl !== undefined) {
    // The flag overrides the URL of the entry it names, or is the whole entry.
    const flag = '--drone-url (or SKYFENCE_DRONE_URL)';
    const existing = raw.find((r) => idOf(r.entry) === LEGACY_DRONE_ID);
    if (existing) {
      const inEntry = existing.where;
      existing.entry = { ...(existing.entry as object), url: input.droneUrl };
      existing.where = (path) => (path === '.url' ? flag : inEntry(path));
    } else {
      raw.push({ entry: { id: LEGACY_DRONE_ID, kind: 'drone-detection', url: input.droneUrl }, label: flag, where: (path) => `${flag}${path === '.url' ? '' : path}` });
    }
  }

  const errors: string[] = [];
  const entries: SourceEntry[] = [];
  const seen = new Map<string, string>();
  for (const { entry, label, where } of raw) {
    const result = checkEntry(entry, env);
    if ('errors' in result) {
      errors.push(...result.errors.map((e) => `${where(e.path)}: ${e.message}`));
      continue;
    }
    const { id } = result.entry;
    if (id === MANUAL_FEED) errors.push(`${where('.id')}: "${MANUAL_FEED}" is the console's own manual feed; choose another id`);
    else if (seen.has(id)) errors.push(`${where('.id')}: "${id}" is already the id of ${seen.get(id)}`);
    else {
      seen.set(id, label);
      entries.push(result.entry);
    }
  }
  if (errors.length) throw new Error(errors.join('; '));
  return entries;
}

type EntryError = { path: string; message: string };

function checkEntry(entry: unknown, env: NodeJS.ProcessEnv): { entry: SourceEntry } | { errors: EntryError[] } {
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) return { errors: [{ path: '', message: 'must be an object with id and kind' }] };
  // Fields set to undefined by the legacy mapping are absent, not wrong.
  const fields = Object.fromEntries(Object.entries(entry).filter(([, v]) => v !== undefined));
  const kindName = fields.kind;
  const kind = typeof kindName === 'string' ? findAdapterKind(kindName) : undefined;
  if (!kind) {
    const known = [...ADAPTER_KINDS.keys()].join(', ');
    return { errors: [{ path: '.kind', message: `${kindName === undefined ? 'missing' : `unknown kind ${JSON.stringify(kindName)}`} (known: ${known})` }] };
  }
  const parsed = kind.configSchema.safeParse(fields);
  if (!parsed.success) return { errors: parsed.error.issues.map((i) => ({ path: jsonPath(i.path), message: i.message })) };
  const checked = parsed.data as SourceEntry;
  const keyVar = checked.apiKeyEnv ?? kind.defaultApiKeyEnv;
  const apiKey = keyVar ? env[keyVar] : undefined;
  if (checked.apiKeyEnv && !apiKey) return { errors: [{ path: '.apiKeyEnv', message: `the environment variable ${checked.apiKeyEnv} is not set` }] };
  return { entry: { ...checked, ...(apiKey ? { apiKey } : {}) } };
}

function idOf(entry: unknown): unknown {
  return typeof entry === 'object' && entry !== null ? (entry as { id?: unknown }).id : undefined;
}

/** ['url'] → ".url", ['name', 'zh'] → ".name.zh", [0] → "[0]". */
function jsonPath(path: ReadonlyArray<PropertyKey>): string {
  return path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('');
}
