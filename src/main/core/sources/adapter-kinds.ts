// The registry of source adapter kinds: every kind the console can start, polled or pushing. An entry of
// `sources` in config.json names one of these by `kind`; its kind checks the entry and makes its adapter.
import { droneDetectionKind } from '../drones/drone-detection-feed.ts';
import { runwayOpsKind } from '../drones/runway-ops-source.ts';
import { onvifKind } from '../video/onvif-source.ts';
import { remoteIdKind } from '../drones/remote-id/remote-id-source.ts';
import { sapientKind } from '../drones/sapient/sapient-source.ts';
import type { AdapterKind } from './adapter-kind.ts';
import { trackStreamKind } from './track-stream.ts';
import { vmsKind } from '../video/vms-source.ts';
import { unitGpsKind } from '../units/unit-gps-source.ts';

export const ADAPTER_KINDS: ReadonlyMap<string, AdapterKind> = new Map(
  ([droneDetectionKind, remoteIdKind, sapientKind, runwayOpsKind, trackStreamKind, vmsKind, onvifKind, unitGpsKind] as AdapterKind[]).map((k) => [k.kind, k]),
);

export function findAdapterKind(kind: string): AdapterKind | undefined {
  return ADAPTER_KINDS.get(kind);
}
