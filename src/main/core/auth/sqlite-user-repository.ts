// The user repository on SQLite. The rule "never leave the console without an enabled administrator" is part of
// the UPDATE statement itself, so that two administrators acting at once cannot both pass it.
import type { UserRecord } from '../../../shared/contract/users.ts';
import type { Role } from '../../../shared/domain.ts';
import type { Database } from '../store/database.ts';
import type { AccountChange, StoredUser, UserRepository } from './user-repository.ts';

interface UserRow {
  username: string;
  display_name: string;
  role: Role;
  password_hash: string;
  created_at: number;
  disabled: number;
  must_change_password: number;
  unit_id: string | null;
}

const toRecord = (r: UserRow): UserRecord => ({
  username: r.username, displayName: r.display_name, role: r.role,
  createdAt: r.created_at, disabled: r.disabled === 1, mustChangePassword: r.must_change_password === 1,
  ...(r.unit_id === null ? {} : { unitId: r.unit_id }),
});

/** Holds while another enabled administrator remains besides the row being changed. */
const ANOTHER_ADMIN = "(role != 'admin' OR disabled = 1 OR (SELECT COUNT(*) FROM users WHERE role = 'admin' AND disabled = 0) > 1)";

export class SqliteUserRepository implements UserRepository {
  constructor(private readonly db: Database) {}

  async count(): Promise<number> {
    return (await this.db.get<{ n: number }>('SELECT COUNT(*) AS n FROM users'))?.n ?? 0;
  }

  async find(username: string): Promise<StoredUser | null> {
    const row = await this.db.get<UserRow>('SELECT * FROM users WHERE username = ?', [username]);
    return row ? { ...toRecord(row), passwordHash: row.password_hash } : null;
  }

  async list(): Promise<UserRecord[]> {
    return (await this.db.all<UserRow>('SELECT * FROM users ORDER BY id')).map(toRecord);
  }

  async insert(u: StoredUser): Promise<void> {
    await this.db.run(
      'INSERT INTO users (username, display_name, role, password_hash, created_at, disabled, must_change_password, unit_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      [u.username, u.displayName, u.role, u.passwordHash, u.createdAt, u.disabled ? 1 : 0, u.mustChangePassword ? 1 : 0, u.unitId ?? null],
    );
  }

  async setPassword(username: string, passwordHash: string, mustChange: boolean): Promise<AccountChange> {
    const r = await this.db.run('UPDATE users SET password_hash = ?, must_change_password = ? WHERE username = ?', [passwordHash, mustChange ? 1 : 0, username]);
    return r.changes ? 'ok' : 'not-found';
  }

  async setDisabled(username: string, disabled: boolean): Promise<AccountChange> {
    const guard = disabled ? ` AND ${ANOTHER_ADMIN}` : '';
    return this.change(username, await this.db.run(`UPDATE users SET disabled = ? WHERE username = ?${guard}`, [disabled ? 1 : 0, username]));
  }

  async setRole(username: string, role: Role): Promise<AccountChange> {
    // A terminal account speaks for its unit: it does not become a console account, nor the other way round.
    const current = await this.find(username);
    if (current && (current.role === 'unit') !== (role === 'unit')) return current.role === role ? 'ok' : 'unit-account';
    const guard = role === 'admin' ? '' : ` AND ${ANOTHER_ADMIN}`;
    return this.change(username, await this.db.run(`UPDATE users SET role = ? WHERE username = ?${guard}`, [role, username]));
  }

  private async change(username: string, r: { changes: number }): Promise<AccountChange> {
    if (r.changes) return 'ok';
    return (await this.find(username)) ? 'last-admin' : 'not-found';
  }
}
