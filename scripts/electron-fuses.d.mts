export const FUSES: Readonly<Record<string, boolean>>;
export function flipSkyfenceFuses(executable: string, opts?: { adHocSign?: boolean }): Promise<void>;
export default function afterPack(context: unknown): Promise<void>;
