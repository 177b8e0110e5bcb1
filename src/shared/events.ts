// Event stream names and IPC channel names: no dependencies, so the sandboxed preload can bundle them.
export const EVENT_NAMES = ['alarm.changed', 'track.updated', 'track.removed', 'status.changed'] as const;
export type EventName = (typeof EVENT_NAMES)[number];

export const IPC_CALL_CHANNEL = 'skyfence:call';
export const IPC_EVENT_CHANNEL = 'skyfence:event';
