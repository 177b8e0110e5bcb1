// The console's own state: mode, the core's clock, and every data source's health.
import { z } from 'zod';
import type { SystemStatus } from '../domain.ts';
import { ANY_ROLE, call } from './define.ts';

export const systemCalls = {
  'system.status': call(z.object({}).strict(), ANY_ROLE).returns<SystemStatus>(),
};

export interface SystemEvents {
  'status.changed': SystemStatus;
}
