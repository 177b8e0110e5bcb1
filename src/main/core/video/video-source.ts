// What the core asks of a video source (a VMS, an ONVIF camera, later a media gateway): its cameras' pictures
// and PTZ. Each source adapter (kind `vms`, kind `onvif`) registers one with the camera registry; media and
// PTZ calls go to the source that owns the camera. Credentials stay inside the adapter.
import type { Readable } from 'node:stream';

export interface MediaStream {
  contentType: string;
  body: Readable;
  /** Stops the upstream (the viewer went away). */
  close(): void;
}

export interface VideoSourceMedia {
  /** The picture now, as JPEG bytes. `cameraId` is the source's own id. */
  snapshot(cameraId: string, opts: { timeoutMs: number }): Promise<Buffer>;
  /** A live MJPEG stream (multipart/x-mixed-replace, parts with X-Timestamp), or null if the source has none. */
  live(cameraId: string): Promise<MediaStream | null>;
  /** An event's snapshot at the source, if it still holds it. */
  eventSnapshot?(eventId: string, opts: { timeoutMs: number }): Promise<Buffer | null>;
  /** Sends a PTZ camera to a preset. */
  gotoPreset?(cameraId: string, presetId: string): Promise<void>;
}
