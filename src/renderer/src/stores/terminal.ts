// The unit terminal's state: its unit and open orders (read from the core, refreshed by `terminal.changed`), the
// reports it makes, and its position. A phone on a patrol loses its connection often: every report goes first
// to an outbox kept in localStorage (its reportId and the time it was made travel with it) and is sent, in
// order, whenever the terminal is online; the core does not apply a reportId twice, so sending again after a
// lost answer is safe. Reports the core refuses for good (an order cancelled meanwhile) leave the outbox and
// are said once. Positions are sent at most every 10 s, and only the latest one waits in the outbox.
import { defineStore } from 'pinia';
import { computed, ref, watch } from 'vue';
import type { GeoPoint } from '../../../shared/domain.ts';
import type { OrderState, TerminalReportKind, TerminalState } from '../../../shared/response.ts';
import { api, connection } from '../api/instance.ts';
import { CallError } from '../api/client.ts';
import { alertNewOrder } from '../components/terminal/order-alert.ts';
import { errorText } from '../i18n/words.ts';
import { useSessionStore } from './session.ts';

export interface PendingReport {
  reportId: string;
  kind: TerminalReportKind;
  orderId?: string;
  status?: 'available' | 'off-duty';
  position?: GeoPoint;
  /** When the unit made it (this phone's clock). */
  at: number;
}

export interface PositionFix {
  position: GeoPoint;
  accuracyM: number;
  at: number;
}

/** Never more often than this: a phone's battery, the police network, and the core's write queue. */
export const POSITION_INTERVAL_MS = 10_000;
/** A report with no answer by then is treated as lost in the network, and sent again later (same reportId). */
const REPORT_TIMEOUT_MS = 8_000;
const RETRY_MS = 5_000;
/** Errors after which the same report may succeed later; any other refusal is final. */
const TRANSIENT = new Set(['network', 'rate-limited', 'unavailable']);
/** What a report does to its order, for showing a pending one before the core has it. */
const REPORTED_STATE: Partial<Record<TerminalReportKind, OrderState>> = { acknowledge: 'acknowledged', arrive: 'on-scene', done: 'done' };

/** A report id: random, unguessable enough, and available outside secure contexts (randomUUID is not). */
export function newReportId(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

function timeout<T>(work: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new CallError({ code: 'network', message: `no answer within ${ms / 1000} s` })), ms);
    work.then(resolve, reject).finally(() => clearTimeout(timer));
  });
}

export const useTerminalStore = defineStore('terminal', () => {
  const session = useSessionStore();
  const state = ref<TerminalState | null>(null);
  const loadError = ref('');
  /** A report the core refused for good: said once, then gone. */
  const refusal = ref<{ kind: TerminalReportKind; message: string } | null>(null);
  const outbox = ref<PendingReport[]>([]);
  const browserOnline = ref(navigator.onLine);
  const online = computed(() => session.connected && browserOnline.value && session.user !== null);
  /** When the connection last came or went, for "在线/离线 since". */
  const onlineSince = ref(Date.now());
  const sharePosition = ref(false);
  const fix = ref<PositionFix | null>(null);
  const positionProblem = ref<'denied' | 'unavailable' | 'unsupported' | 'insecure' | null>(null);
  const seenOrders = new Set<string>();
  let outboxKey = '';
  let watchId: number | null = null;
  let lastPositionQueuedAt = 0;
  let flushing = false;
  let retryTimer: number | undefined;
  let ticker: number | undefined;
  const unsubscribe: Array<() => void> = [];

  /** The orders as the unit sees them: the core's state, with its own reports still waiting applied. */
  const orders = computed(() =>
    (state.value?.orders ?? []).map(({ order, alarm }) => {
      const pending = outbox.value.filter((r) => r.orderId === order.id && REPORTED_STATE[r.kind]);
      const shownState = pending.length ? REPORTED_STATE[pending[pending.length - 1].kind]! : order.state;
      return { order, alarm, shownState, pending: pending.map((r) => r.kind) };
    }),
  );
  const pendingStatus = computed(() => [...outbox.value].reverse().find((r) => r.kind === 'status')?.status ?? null);

  function start(username: string): void {
    stop();
    state.value = null;
    loadError.value = '';
    seenOrders.clear();
    outboxKey = `skyfence.terminal.outbox.${username}`;
    outbox.value = readOutbox(outboxKey);
    sharePosition.value = localStorage.getItem(`skyfence.terminal.share.${username}`) === 'on';
    const onOnline = () => {
      browserOnline.value = true;
      if (!session.connected) void connection.reconnect().catch(() => undefined);
    };
    const onOffline = () => (browserOnline.value = false);
    window.addEventListener('online', onOnline);
    window.addEventListener('offline', onOffline);
    unsubscribe.push(() => window.removeEventListener('online', onOnline), () => window.removeEventListener('offline', onOffline));
    unsubscribe.push(api.on('terminal.changed', (s) => setState(s)));
    // Back online (after a drop the session store has resumed the session by then): read the state again, then
    // send what waited.
    unsubscribe.push(
      watch(online, (now) => {
        onlineSince.value = Date.now();
        if (now) void load().then(flush);
      }),
    );
    ticker = window.setInterval(maybeSendPosition, POSITION_INTERVAL_MS);
    if (sharePosition.value) watchPosition();
    void load().then(flush);
  }

  function stop(): void {
    for (const u of unsubscribe.splice(0)) u();
    clearInterval(ticker);
    clearTimeout(retryTimer);
    stopWatching();
  }

  async function load(): Promise<void> {
    if (!online.value) return;
    try {
      setState(await timeout(api.call('terminal.state', {}), REPORT_TIMEOUT_MS));
      loadError.value = '';
    } catch (e) {
      loadError.value = errorText(e);
    }
  }

  function setState(s: TerminalState): void {
    const fresh = s.orders.filter(({ order }) => order.state === 'sent' && !seenOrders.has(order.id));
    for (const { order } of s.orders) seenOrders.add(order.id);
    state.value = s;
    if (fresh.length) alertNewOrder();
  }

  /** One tap: the report is kept first, then sent if the terminal is online. */
  function report(kind: TerminalReportKind, facts: { orderId?: string; status?: 'available' | 'off-duty'; position?: GeoPoint } = {}): void {
    refusal.value = null;
    // Only the latest position matters: an older one still waiting is replaced.
    if (kind === 'position') outbox.value = outbox.value.filter((r) => r.kind !== 'position');
    outbox.value = [...outbox.value, { reportId: newReportId(), kind, ...facts, at: Date.now() }];
    saveOutbox();
    void flush();
  }

  async function flush(): Promise<void> {
    if (flushing || !online.value) return;
    flushing = true;
    clearTimeout(retryTimer);
    try {
      while (outbox.value.length && online.value) {
        const item = outbox.value[0];
        try {
          const { state: s } = await timeout(api.call('terminal.report', item), REPORT_TIMEOUT_MS);
          drop(item);
          setState(s);
        } catch (e) {
          const code = (e as { code?: string }).code ?? 'network';
          if (TRANSIENT.has(code)) {
            retryTimer = window.setTimeout(() => void flush(), RETRY_MS);
            break;
          }
          drop(item);
          refusal.value = { kind: item.kind, message: errorText(e) };
        }
      }
    } finally {
      flushing = false;
    }
  }

  function drop(item: PendingReport): void {
    outbox.value = outbox.value.filter((r) => r.reportId !== item.reportId);
    saveOutbox();
  }

  function saveOutbox(): void {
    try {
      localStorage.setItem(outboxKey, JSON.stringify(outbox.value));
    } catch {
      // Storage full or refused: the reports stay in memory for as long as the page is open.
    }
  }

  function setSharePosition(on: boolean): void {
    sharePosition.value = on;
    localStorage.setItem(outboxKey.replace('.outbox.', '.share.'), on ? 'on' : 'off');
    if (on) watchPosition();
    else stopWatching();
  }

  function watchPosition(): void {
    positionProblem.value = null;
    // Browsers give positions to secure pages only (HTTPS, or this machine): another reason for TLS in front.
    if (!window.isSecureContext) return void (positionProblem.value = 'insecure');
    if (!navigator.geolocation) return void (positionProblem.value = 'unsupported');
    if (watchId !== null) return;
    watchId = navigator.geolocation.watchPosition(
      (p) => {
        positionProblem.value = null;
        fix.value = { position: { lon: p.coords.longitude, lat: p.coords.latitude }, accuracyM: p.coords.accuracy, at: p.timestamp };
        maybeSendPosition();
      },
      (err) => (positionProblem.value = err.code === err.PERMISSION_DENIED ? 'denied' : 'unavailable'),
      { enableHighAccuracy: true, maximumAge: POSITION_INTERVAL_MS },
    );
  }

  function stopWatching(): void {
    if (watchId !== null) navigator.geolocation.clearWatch(watchId);
    watchId = null;
  }

  function maybeSendPosition(): void {
    const f = fix.value;
    if (!sharePosition.value || !f || f.at <= lastPositionQueuedAt) return;
    if (Date.now() - lastPositionQueuedAt < POSITION_INTERVAL_MS) return;
    lastPositionQueuedAt = Date.now();
    report('position', { position: f.position });
  }

  return {
    state, loadError, refusal, outbox, online, onlineSince, sharePosition, fix, positionProblem, orders, pendingStatus,
    start, stop, load, report, flush, setSharePosition,
  };
});

function readOutbox(key: string): PendingReport[] {
  try {
    const list = JSON.parse(localStorage.getItem(key) ?? '[]') as unknown;
    return Array.isArray(list) ? list.filter((r): r is PendingReport => typeof r?.reportId === 'string' && typeof r?.kind === 'string' && typeof r?.at === 'number') : [];
  } catch {
    return [];
  }
}
