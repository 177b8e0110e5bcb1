// The video services of one core, made once per core start (the media ticket secret is random per start).
import type { Core } from '../core.ts';
import { ApiError } from '../calls.ts';
import { HeldFiles, MediaServer, type MediaResponse } from './media-server.ts';
import { MediaTickets } from './media-tickets.ts';
import { PatrolService } from './patrol.ts';
import { SqlitePatrolRepository } from './patrol-repository.ts';
import type { CameraDirectory, EvidenceStore } from './video-ports.ts';
import { SqliteWallLayoutRepository } from './wall-layout-repository.ts';
import { WallLayouts } from './wall-layouts.ts';

export interface VideoServices {
  cameras: CameraDirectory;
  evidence: EvidenceStore;
  tickets: MediaTickets;
  reports: HeldFiles;
  media: MediaServer;
  walls: WallLayouts;
  patrol: PatrolService;
}

const made = new WeakMap<Core, VideoServices>();

export function videoCore(core: Core): VideoServices {
  const existing = made.get(core);
  if (existing) return existing;
  const { cameras, evidence } = core;
  const tickets = new MediaTickets(core.clock);
  const reports = new HeldFiles(core.clock);
  const log = (line: string) => console.warn(line);
  const services: VideoServices = {
    cameras, evidence, tickets, reports,
    media: new MediaServer(tickets, cameras, evidence, reports, { log }),
    walls: new WallLayouts(new SqliteWallLayoutRepository(core.db), cameras, core.audit, core.clock),
    patrol: new PatrolService(new SqlitePatrolRepository(core.db), cameras, evidence, core.audit, core.clock, { demo: core.config.demo, log }),
  };
  // A user's live pictures end with their last session: a signed-out seat holds no camera.
  core.sessions.onUserGone((username) => services.media.closeLiveOf(username));
  made.set(core, services);
  return services;
}

/** GET /media/<ticket> for either shell: see media-server.ts. */
export async function serveMedia(core: Core, pathname: string): Promise<MediaResponse> {
  let video: VideoServices;
  try {
    video = videoCore(core);
  } catch (err) {
    const body = Buffer.from(`${(err as Error).message}\n`);
    return { status: 503, headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' }, body };
  }
  return video.media.serve(pathname);
}
