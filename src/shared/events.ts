// IPC channel names: no dependencies, so that the sandboxed preload can bundle them.
export const IPC_CALL_CHANNEL = 'skyfence:call';
export const IPC_EVENT_CHANNEL = 'skyfence:events';
