// How a feature declares its calls: the input schema once (its type is inferred), the result type, and the
// roles that may make the call (null: before sign-in). Pure TypeScript + zod, shared by core and renderer.
import type { z } from 'zod';
import { CONSOLE_ROLES, type Role } from '../domain.ts';

/** Every role at a console (not a unit's terminal, which makes only its own calls). */
export const ANY_ROLE: readonly Role[] = CONSOLE_ROLES;
/** Every signed-in role, terminals included (sign out, change one's password). */
export const EVERY_ROLE: readonly Role[] = [...CONSOLE_ROLES, 'unit'];

/** A call: its input schema, its result type (phantom: types only) and who may make it. */
export interface CallSpec<I extends z.ZodType = z.ZodType, O = unknown> {
  input: I;
  roles: readonly Role[] | null;
  /** Never set: carries the result type. */
  readonly output?: O;
}

/** `call(schema, roles).returns<Result>()` */
export function call<I extends z.ZodType>(input: I, roles: readonly Role[] | null) {
  return { returns: <O>(): CallSpec<I, O> => ({ input, roles }) };
}

export type CallTable = Record<string, CallSpec>;
export type InputOf<S> = S extends CallSpec<infer I, unknown> ? z.output<I> : never;
export type RawInputOf<S> = S extends CallSpec<infer I, unknown> ? z.input<I> : never;
export type OutputOf<S> = S extends CallSpec<z.ZodType, infer O> ? O : never;
