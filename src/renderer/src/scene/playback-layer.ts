// The picture of one playback frame on the map: tracks, alarms and units as primitives updated in place (a
// point and a label each, in collections of their own; nothing is rebuilt when a frame repeats what is drawn),
// and the cameras' health through the scene's own camera layer. Colours as in the live layers (track threat
// level, alarm severity, unit status); every drill object is ringed in the drill colour and its label marked
// 演练, so that a drill's objects read as a drill in playback too. Alarms closed at the instant are not drawn.
import type { PlaybackFrame } from '../../../shared/drills.ts';
import type { Camera, CameraHealth, CameraState } from '../../../shared/video.ts';
import { COLORS } from './airport-scene.ts';
import type { CameraLayer } from './camera-layer.ts';
import { Cesium, type CesiumModule } from './cesium.ts';
import { LEVEL_COLORS } from './drone-layer.ts';
import { UNIT_STATUS_COLORS } from './unit-layer.ts';

const DRILL = '#f2994a';
const ALWAYS = Number.POSITIVE_INFINITY;
const FONT = '"Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", sans-serif';
const TRACK_COLOR = '#8fbf9f';
const UNIT_OTHER = '#9aa5b1';
/** Units stand on the ground: drawn a little above it. */
const GROUND_M = 3;

type Color = CesiumModule.Color;
const colours = new Map<string, Color>();
const css = (c: string, alpha = 1): Color => {
  const key = `${c}/${alpha}`;
  let colour = colours.get(key);
  if (!colour) colours.set(key, (colour = Cesium.Color.fromCssColorString(c).withAlpha(alpha)));
  return colour;
};

/** The words the layer draws, in the UI language. */
export interface PlaybackWords {
  track(t: PlaybackFrame['tracks'][number]): string;
  alarm(a: PlaybackFrame['alarms'][number]): string;
  unit(u: PlaybackFrame['units'][number]): string;
}

interface Drawn<T> {
  item: T;
  point: CesiumModule.PointPrimitive;
  label: CesiumModule.Label;
  /** What the point and label were drawn from: an unchanged object is not touched. */
  key: string;
}

type TrackItem = PlaybackFrame['tracks'][number];
type AlarmItem = PlaybackFrame['alarms'][number];
type UnitItem = PlaybackFrame['units'][number];

export class PlaybackLayer {
  private readonly points: CesiumModule.PointPrimitiveCollection;
  private readonly labels: CesiumModule.LabelCollection;
  private readonly tracks = new Map<string, Drawn<TrackItem>>();
  private readonly alarms = new Map<string, Drawn<AlarmItem>>();
  private readonly units = new Map<string, Drawn<UnitItem>>();
  private cameraList: Camera[] = [];
  private cameraOnline = new Map<string, boolean>();
  private lastAt: number | null = null;

  constructor(
    private readonly viewer: CesiumModule.Viewer,
    private readonly opts: { heightOf: (msl: number | undefined) => number; words: PlaybackWords; cameras: CameraLayer },
  ) {
    this.points = viewer.scene.primitives.add(new Cesium.PointPrimitiveCollection());
    this.labels = viewer.scene.primitives.add(new Cesium.LabelCollection());
  }

  /** The cameras of the site (positions, fields of view): their health comes from each frame. */
  setCameras(cameras: Camera[]): void {
    this.cameraList = cameras;
    this.drawCameras(true);
  }

  /** Draws a frame: only what changed since the last one is touched. */
  apply(frame: PlaybackFrame): void {
    this.lastAt = frame.at;
    this.sync(this.tracks, frame.tracks, (t) => this.trackLook(t));
    this.sync(this.alarms, frame.alarms.filter((a) => a.state !== 'closed' && a.position), (a) => this.alarmLook(a));
    this.sync(this.units, frame.units, (u) => this.unitLook(u));
    const online = new Map(frame.cameras.map((c) => [c.id, c.online]));
    const changed = online.size !== this.cameraOnline.size || [...online].some(([id, on]) => this.cameraOnline.get(id) !== on);
    this.cameraOnline = online;
    if (changed) this.drawCameras(false);
    this.viewer.scene.requestRender();
  }

  /** Re-words every label (after a language switch). */
  relabel(): void {
    for (const map of [this.tracks, this.alarms, this.units] as Array<Map<string, Drawn<unknown>>>) for (const d of map.values()) d.key = '';
  }

  /** What is drawn (for the end-to-end tests). */
  state(): { at: number | null; tracks: number; alarms: Record<string, { state: string; drill: boolean; label: string }>; units: number; drillTracks: number; offlineCameras: number } {
    return {
      at: this.lastAt,
      tracks: this.tracks.size,
      drillTracks: [...this.tracks.values()].filter((d) => d.item.drill).length,
      alarms: Object.fromEntries([...this.alarms].map(([id, d]) => [id, { state: d.item.state, drill: d.item.drill, label: d.label.text }])),
      units: this.units.size,
      offlineCameras: [...this.cameraOnline.values()].filter((on) => !on).length,
    };
  }

  /** Where an object of the frame is (an alarm, a track or a unit), to fly to it. */
  positionOf(id: string): { lon: number; lat: number; altM?: number } | null {
    const t = this.tracks.get(id)?.item;
    if (t) return { lon: t.lon, lat: t.lat, altM: t.altM };
    const a = this.alarms.get(id)?.item;
    if (a?.position) return a.position;
    const u = this.units.get(id)?.item;
    return u ? { lon: u.lon, lat: u.lat } : null;
  }

  destroy(): void {
    const primitives = this.viewer.scene.primitives;
    primitives.remove(this.points);
    primitives.remove(this.labels);
  }

  // --- drawing -------------------------------------------------------------------------------------

  private sync<T extends { id: string }>(known: Map<string, Drawn<T>>, items: T[], look: (item: T) => Look): void {
    const keep = new Set<string>();
    for (const item of items) {
      keep.add(item.id);
      const l = look(item);
      const key = `${l.position.x},${l.position.y},${l.position.z}|${l.colour}|${l.size}|${l.ring}|${l.text}`;
      const d = known.get(item.id);
      if (d?.key === key) {
        d.item = item;
        continue;
      }
      if (d) {
        d.item = item;
        d.key = key;
        this.style(d.point, d.label, l);
      } else {
        const point = this.points.add({ position: l.position, disableDepthTestDistance: ALWAYS });
        const label = this.labels.add({
          position: l.position, font: `600 13px ${FONT}`, fillColor: css('#ffffff'), showBackground: true,
          backgroundPadding: new Cesium.Cartesian2(5, 2), horizontalOrigin: Cesium.HorizontalOrigin.LEFT, verticalOrigin: Cesium.VerticalOrigin.CENTER,
          pixelOffset: new Cesium.Cartesian2(12, 0), disableDepthTestDistance: ALWAYS,
          distanceDisplayCondition: new Cesium.DistanceDisplayCondition(0, 40_000),
        });
        this.style(point, label, l);
        known.set(item.id, { item, point, label, key });
      }
    }
    for (const [id, d] of [...known]) {
      if (keep.has(id)) continue;
      this.points.remove(d.point);
      this.labels.remove(d.label);
      known.delete(id);
    }
  }

  private style(point: CesiumModule.PointPrimitive, label: CesiumModule.Label, l: Look): void {
    point.position = l.position;
    point.pixelSize = l.size;
    point.color = css(l.colour);
    // A drill object is ringed in the drill colour; a live one outlined in white.
    point.outlineColor = l.ring ? css(DRILL) : css('#ffffff', 0.9);
    point.outlineWidth = l.ring ? 4 : 1.5;
    label.position = l.position;
    label.text = l.text;
    label.backgroundColor = l.ring ? css(DRILL, 0.85) : css(l.colour === '#ffffff' ? '#22364d' : l.colour, 0.78);
    label.show = l.text.length > 0;
  }

  private trackLook(t: TrackItem): Look {
    const level = t.level as keyof typeof LEVEL_COLORS | undefined;
    return {
      position: Cesium.Cartesian3.fromDegrees(t.lon, t.lat, Math.max(0.5, this.opts.heightOf(t.altM))),
      colour: level !== undefined && LEVEL_COLORS[level] ? LEVEL_COLORS[level] : TRACK_COLOR,
      size: 10, ring: Boolean(t.drill), text: this.opts.words.track(t),
    };
  }

  private alarmLook(a: AlarmItem): Look {
    const p = a.position!;
    return {
      position: Cesium.Cartesian3.fromDegrees(p.lon, p.lat, this.opts.heightOf(p.altM)),
      colour: COLORS.severity[a.severity] ?? COLORS.severity[2], size: a.state === 'new' ? 15 : 11, ring: a.drill, text: this.opts.words.alarm(a),
    };
  }

  private unitLook(u: UnitItem): Look {
    return {
      position: Cesium.Cartesian3.fromDegrees(u.lon, u.lat, GROUND_M),
      colour: (UNIT_STATUS_COLORS as Record<string, string>)[u.status] ?? UNIT_OTHER, size: 12, ring: false, text: this.opts.words.unit(u),
    };
  }

  /** The cameras' health at the frame's instant: online or offline (a camera the frame does not name: unknown). */
  private drawCameras(reset: boolean): void {
    const since = this.lastAt ?? 0;
    const states = new Map<string, CameraState>(this.cameraList.map((c) => [c.id, { id: c.id, health: this.healthOf(c), since }]));
    if (reset) this.opts.cameras.setCameras(this.cameraList, states);
    else this.opts.cameras.applyStates([...states.values()]);
  }

  private healthOf(c: Camera): CameraHealth {
    const on = this.cameraOnline.get(c.id) ?? this.cameraOnline.get(c.cameraId);
    return on === undefined ? 'unknown' : on ? 'online' : 'offline';
  }
}

interface Look {
  position: CesiumModule.Cartesian3;
  colour: string;
  size: number;
  ring: boolean;
  text: string;
}
