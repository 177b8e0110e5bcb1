// Where accounts are kept: the interface the account service needs, so that a directory or a server
// database can replace SQLite without touching the service. Each method is one atomic statement.
import type { UserRecord } from '../../../shared/contract/users.ts';
import type { Role } from '../../../shared/domain.ts';

/** 'unit-account': a unit's terminal account cannot take a console role, nor a console account the role unit. */
export type AccountChange = 'ok' | 'not-found' | 'last-admin' | 'unit-account';

export interface StoredUser extends UserRecord {
  passwordHash: string;
}

export interface UserRepository {
  count(): Promise<number>;
  find(username: string): Promise<StoredUser | null>;
  list(): Promise<UserRecord[]>;
  insert(user: StoredUser): Promise<void>;
  setPassword(username: string, passwordHash: string, mustChange: boolean): Promise<AccountChange>;
  /** Refused ('last-admin') when it would leave no enabled administrator. */
  setDisabled(username: string, disabled: boolean): Promise<AccountChange>;
  /** Refused ('last-admin') when it would leave no enabled administrator; 'unit-account' across the unit line. */
  setRole(username: string, role: Role): Promise<AccountChange>;
}
