// A log that says each kind of thing at most once per `ms`, counting what it left out: a client retrying a
// refused thing many times a second must not flood the console's log.
export type NoteOnce = (kind: string, line: string) => void;

export function oncePer(ms: number, log: (line: string) => void): NoteOnce {
  const last = new Map<string, { at: number; skipped: number }>();
  return (kind, line) => {
    const now = Date.now();
    const seen = last.get(kind);
    if (seen && now - seen.at < ms) {
      seen.skipped++;
      return;
    }
    log(seen?.skipped ? `${line} (and ${seen.skipped} more like it)` : line);
    last.set(kind, { at: now, skipped: 0 });
  };
}
