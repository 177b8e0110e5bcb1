// Where the steps of drone responses are kept (table drone_response_steps, append-only) and how a step is
// written: the order check runs inside the same transaction as the insert and its audit row, so that two seats
// recording at once are ordered by the one writer and the second sees the first's step.
import type { AlarmState } from '../../../shared/domain.ts';
import type { DroneResponseStep } from '../../../shared/drones.ts';
import type { AuditEntry } from '../alarms/alarm-repository.ts';
import { appendAudit } from '../store/audit-chain.ts';
import type { Database, Tx } from '../store/database.ts';

/** What a step's check sees: the steps so far (oldest first) and the alarm's state now (null: no such alarm). */
export interface StepContext {
  steps: DroneResponseStep[];
  alarmState: AlarmState | null;
}

export interface DroneResponseRepository {
  /** The steps of one alarm's response, oldest first (committed data). */
  steps(alarmId: string): Promise<DroneResponseStep[]>;
  /**
   * In one transaction: reads the steps and the alarm's state, lets `decide` return the step to append (or
   * throw, and nothing is written), appends it with its audit entry. Returns every step, the new one last.
   */
  append(alarmId: string, decide: (ctx: StepContext) => { step: DroneResponseStep; audit: AuditEntry }): Promise<DroneResponseStep[]>;
  /** Alarm ids whose responses are not closed and have a step of one of these kinds. */
  openWith(steps: readonly string[]): Promise<string[]>;
}

interface StepRow {
  step: string;
  at: number;
  by_user: string;
  by_name: string;
  payload: string;
}

const SELECT_STEPS = 'SELECT step, at, by_user, by_name, payload FROM drone_response_steps WHERE alarm_id = ? ORDER BY id';

export class SqliteDroneResponseRepository implements DroneResponseRepository {
  constructor(private readonly db: Database) {}

  async steps(alarmId: string): Promise<DroneResponseStep[]> {
    return (await this.db.all<StepRow>(SELECT_STEPS, [alarmId])).map(fromRow);
  }

  append(alarmId: string, decide: (ctx: StepContext) => { step: DroneResponseStep; audit: AuditEntry }): Promise<DroneResponseStep[]> {
    return this.db.transaction(async (tx) => {
      const steps = (await tx.all<StepRow>(SELECT_STEPS, [alarmId])).map(fromRow);
      const { step, audit } = decide({ steps, alarmState: await alarmState(tx, alarmId) });
      const { step: name, at, by, ...facts } = step;
      await tx.run('INSERT INTO drone_response_steps (alarm_id, step, at, by_user, by_name, payload) VALUES (?, ?, ?, ?, ?, ?)', [
        alarmId, name, at, by.username, by.displayName, JSON.stringify(facts),
      ]);
      await appendAudit(tx, [audit]);
      return [...steps, step];
    });
  }

  async openWith(steps: readonly string[]): Promise<string[]> {
    const rows = await this.db.all<{ alarm_id: string }>(
      `SELECT DISTINCT alarm_id FROM drone_response_steps WHERE step IN (SELECT value FROM json_each(?))
         AND alarm_id NOT IN (SELECT alarm_id FROM drone_response_steps WHERE step = 'closed')`,
      [JSON.stringify(steps)],
    );
    return rows.map((r) => r.alarm_id);
  }
}

async function alarmState(tx: Tx, alarmId: string): Promise<AlarmState | null> {
  const [row] = await tx.all<{ state: AlarmState }>('SELECT state FROM alarms WHERE id = ?', [alarmId]);
  return row?.state ?? null;
}

function fromRow(r: StepRow): DroneResponseStep {
  const facts = JSON.parse(r.payload) as Omit<DroneResponseStep, 'step' | 'at' | 'by'>;
  return { ...facts, step: r.step as DroneResponseStep['step'], at: r.at, by: { username: r.by_user, displayName: r.by_name } };
}
