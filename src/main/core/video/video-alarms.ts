// What the video pipeline raises, and how an open alarm of the same key takes a new report:
//  - camera-offline / camera-frozen: ONE alarm per source and network group (the access switch; a camera with
//    no group is its own), listing the cameras affected now. Members failing and recovering update it; the
//    system closes it when the last one is back. 200 cameras behind a dead switch are one alarm, not 200.
//  - video-analytic: one open alarm per camera and kind (flood control: more events update it and count in
//    `updates`); motion is no alarm at all (a console raising one per motion event is a flood).
//  - plate-watchlist: a watch-listed plate read at a checkpoint, one per plate and checkpoint while open.
import type { Alarm, GeoPoint, LocalText, Severity } from '../../../shared/domain.ts';
import type { AnalyticKind, Camera } from '../../../shared/video.ts';
import type { MergeAlarm, RaiseAlarm } from '../alarms/alarm-service.ts';

export type GroupAlarmType = 'camera-offline' | 'camera-frozen';

/**
 * After an operator closes an analytic or plate alarm, the same camera and kind (plate and checkpoint) raise
 * again within this time only when worse: a camera that keeps seeing the swaying fence would otherwise reopen
 * the alarm just ruled a false alarm, every few seconds.
 */
export const VIDEO_QUIET_AFTER_CLOSE_MS = 15 * 60_000;

/**
 * An operator may close a group alarm while its cameras are still down (a known outage): it is raised again
 * within this time only when a camera it did not list fails too. A group whose cameras all came back and
 * then fail again is a new outage, raised at once (the system closed it with no cameras listed).
 */
export const GROUP_QUIET_AFTER_CLOSE_MS = 24 * 3600_000;

/** Cameras at once that make a group alarm major. */
export const MAJOR_GROUP_SIZE = 10;

/** The note of the system's close when the last camera of a group is back. */
export const GROUP_RECOVERED_NOTE: Record<GroupAlarmType, string> = {
  'camera-offline': '系统：全部摄像机已恢复在线 (all cameras back online)',
  'camera-frozen': '系统：全部摄像机画面已恢复 (all pictures moving again)',
};

export const ANALYTIC_SEVERITY: Record<Exclude<AnalyticKind, 'motion'>, Severity> = {
  tamper: 2,
  loitering: 2,
  'line-crossing': 3,
  intrusion: 3,
  'unattended-object': 3,
  'face-watchlist': 4,
};

export const PLATE_WATCHLIST_SEVERITY: Severity = 3;

/** The alarm key of a group: `<type>:<sourceId>:<group, or the camera's own id when it has none>`. */
export const groupKey = (type: GroupAlarmType, sourceId: string, camera: Pick<Camera, 'group' | 'cameraId'>): string =>
  `${type}:${sourceId}:${camera.group ?? camera.cameraId}`;

export const analyticKey = (cameraId: string, kind: AnalyticKind): string => `video-analytic:${cameraId}:${kind}`;
export const plateKey = (plate: string, checkpointId: string): string => `plate-watchlist:${plate}:${checkpointId}`;

/** 2 for a few cameras; 3 (major) for ten or more at once, or every camera of a group (the switch is dead). */
export function groupSeverity(affected: number, groupSize: number, grouped: boolean): Severity {
  if (affected >= MAJOR_GROUP_SIZE) return 3;
  if (grouped && groupSize >= 2 && affected >= groupSize) return 3;
  return 2;
}

/** Where the map puts a group alarm: the centroid of the cameras affected. */
export function centroid(cameras: Camera[]): GeoPoint | null {
  if (!cameras.length) return null;
  const lon = cameras.reduce((s, c) => s + c.position.lon, 0) / cameras.length;
  const lat = cameras.reduce((s, c) => s + c.position.lat, 0) / cameras.length;
  return { lon, lat };
}

/** The report of one group's cameras affected now (non-empty). */
export function groupAlarm(type: GroupAlarmType, sourceId: string, key: string, group: string | null, affected: Camera[], groupSize: number): RaiseAlarm {
  const cameraIds = affected.map((c) => c.id).sort();
  return {
    source: 'video', type, key, position: centroid(affected),
    severity: groupSeverity(affected.length, groupSize, group !== null),
    details: { sourceId, group, cameraIds, peak: cameraIds.length },
  } as RaiseAlarm;
}

export function analyticAlarm(camera: Camera, analytic: Exclude<AnalyticKind, 'motion'>, eventId: string, snapshotId: string | null, label?: string): RaiseAlarm<'video-analytic'> {
  return {
    source: 'video', type: 'video-analytic', key: analyticKey(camera.id, analytic), severity: ANALYTIC_SEVERITY[analytic],
    position: { lon: camera.position.lon, lat: camera.position.lat },
    details: { sourceId: camera.sourceId, cameraId: camera.id, cameraName: camera.name, analytic, eventId, snapshotId, ...(label ? { label } : {}) },
  };
}

export function plateAlarm(
  camera: Camera,
  read: { id: string; plate: string; checkpointId: string; direction: 'in' | 'out'; lane: number },
  checkpointName: LocalText, reason: string, snapshotId: string | null,
): RaiseAlarm<'plate-watchlist'> {
  return {
    source: 'video', type: 'plate-watchlist', key: plateKey(read.plate, read.checkpointId), severity: PLATE_WATCHLIST_SEVERITY,
    position: { lon: camera.position.lon, lat: camera.position.lat },
    details: {
      sourceId: camera.sourceId, cameraId: camera.id, checkpointId: read.checkpointId, checkpointName, plate: read.plate,
      direction: read.direction, lane: read.lane, reason, readId: read.id, snapshotId,
    },
  };
}

const sameMembers = (a: string[], b: string[]) => a.length === b.length && a.every((x, i) => x === b[i]);

/**
 * How video reports meet the alarm of their key. `newOutage`: group keys that had no camera affected before
 * this report — raised even when an alarm of the key was closed recently.
 */
export function videoMerge(newOutage: ReadonlySet<string> = new Set()): MergeAlarm {
  return (current: Alarm, next: RaiseAlarm) => {
    const closed = current.state === 'closed';
    if ((current.type === 'camera-offline' || current.type === 'camera-frozen') && next.type === current.type) {
      const nextIds = next.details.cameraIds;
      if (closed) {
        if (next.key && newOutage.has(next.key)) return next;
        const listed = new Set(current.details.cameraIds);
        return nextIds.some((id) => !listed.has(id)) ? next : null;
      }
      if (sameMembers([...current.details.cameraIds].sort(), nextIds)) return null;
      const peak = Math.max(current.details.peak ?? current.details.cameraIds.length, nextIds.length);
      return { ...next, details: { ...next.details, peak } };
    }
    if (current.type === 'video-analytic' && next.type === 'video-analytic') {
      if (next.details.eventId === current.details.eventId) return null; // the same event again (a replay)
      if (closed) return next.severity > current.severity ? next : null;
      // More events of the camera and kind: counted in `updates`; the first event's picture stays the evidence.
      return { ...next, details: { ...next.details, eventId: current.details.eventId, snapshotId: current.details.snapshotId ?? next.details.snapshotId } };
    }
    if (current.type === 'plate-watchlist' && next.type === 'plate-watchlist') {
      if (next.details.readId === current.details.readId) return null; // the same read again
      return next; // every pass of a watch-listed vehicle counts, even after a close
    }
    return next;
  };
}
