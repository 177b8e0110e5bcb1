// What a video source adapter hands the core: its cameras, their health and their events. The camera
// registry implements it (grouped offline/frozen alarms, analytic and plate alarms); adapters (kind `vms`,
// kind `onvif`) only translate their system's answers into these calls.
import type { Camera, AnalyticKind } from '../../../shared/video.ts';
import type { VideoSourceMedia } from './video-source.ts';

export interface VideoEventInput {
  /** The source's own id of the event: with the source id, the key that keeps it from being raised twice. */
  eventId: string;
  /** The source's own camera id. */
  cameraId: string;
  at: number;
  type: AnalyticKind | 'plate';
  /** A face watch-list hit's list label. */
  label?: string;
  plate?: { text: string; direction: 'in' | 'out'; lane: number };
  /** Fetches the event's picture from the source (kept as evidence when the event raises an alarm). */
  snapshot?: () => Promise<Buffer | null>;
}

/** How the registry watches a source's cameras (its config's `offlineAfterReports` and `frozen`). */
export interface VideoSourceOptions {
  /** Reports in a row that must say offline before a camera counts as offline (default 2: a blip raises nothing). */
  offlineAfterReports?: number;
  /** Frozen-feed detection by snapshots: its budget, or false for none (a source without snapshots). */
  frozen?: { checksPerS?: number; unchangedChecks?: number } | false;
}

export interface VideoIntake {
  /** A source's whole inventory; replaces what it had. `cameras[].id` is already `<sourceId>/<cameraId>`. */
  setCameras(sourceId: string, cameras: Camera[], media: VideoSourceMedia, opts?: VideoSourceOptions): void;
  /** The online/offline state the source reports for some of its cameras (frozen is the registry's finding). */
  reportHealth(sourceId: string, states: Array<{ cameraId: string; online: boolean }>): Promise<void>;
  /** Analytic events and plate reads. Resolves once what they raised is stored; throws otherwise, and then the
   *  caller must not move its cursor past them. */
  reportEvents(sourceId: string, events: VideoEventInput[]): Promise<void>;
  /** What the status bar shows of a source: its cameras, and how many are offline or frozen now. */
  counts(sourceId: string): { cameras: number; offline: number; frozen: number };
}
