// What the video services need from the rest of the core, as small interfaces: the camera registry (every
// source's cameras, their health and media) and the evidence store (snapshots kept in the database). The
// registry and the store are written elsewhere; these name exactly the methods used here, so that tests pass
// small real implementations of their own.
import type { Camera, CameraState } from '../../../shared/video.ts';
import type { VideoSourceMedia } from './video-source.ts';

export interface CameraDirectory {
  list(): Camera[];
  get(id: string): Camera | undefined;
  states(): CameraState[];
  /** The source's media for a camera; `cameraId` is the source's own id for it. */
  media(id: string): { media: VideoSourceMedia; cameraId: string } | undefined;
  setPreset(id: string, presetId: string): Promise<CameraState>;
}

export interface Evidence {
  contentType: string;
  data: Buffer;
  cameraId: string;
  takenAt: number;
}

export interface EvidenceStore {
  /** Keeps a JPEG; returns its id (a UUID). */
  save(cameraId: string, jpeg: Buffer, at: number): Promise<string>;
  get(id: string): Promise<Evidence | null>;
}

/** How long a snapshot may take at the source before it counts as failed. */
export const SNAPSHOT_TIMEOUT_MS = 5000;
