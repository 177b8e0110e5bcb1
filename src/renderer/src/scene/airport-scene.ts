// The 3D airport: a Cesium viewer running offline (bundled NaturalEarthII imagery, ellipsoid terrain,
// no ion), and the site drawn on it layer by layer. It lives outside Vue's reactivity: components hold it in a
// shallowRef and call its methods. Heights: the ellipsoid stands for the aerodrome elevation, so a height of
// h m MSL is drawn at h − elevation (the scene has no terrain to put the airport on).
// Labels are decluttered by distance: buildings are named from as far out as their size warrants, posts only
// close up, alarms and targets further out. Names are drawn over everything (never depth-tested: the translucent
// clearance surfaces would strike through them); so are alarm and target markers (an operator must never lose a
// threat behind a roof). Post markers are depth-tested beyond 3 km.
import type { ClearanceFeature, ClearanceSurfaceName } from '../../../shared/clearance.ts';
import type { SiteView } from '../../../shared/contract/index.ts';
import type { Alarm, GeoPoint, Track } from '../../../shared/domain.ts';
import type { ImagerySource, PerceptionCircle, Runway, SiteFeature } from '../../../shared/site.ts';
import type { LayerId } from '../stores/layers.ts';
import type { TrailPoint } from '../stores/drones.ts';
import type { TrackBatch } from '../stores/tracks.ts';
import { AlarmClockLabels } from './alarm-clock-labels.ts';
import { CameraLayer } from './camera-layer.ts';
import { DroneLayer, type DroneWords } from './drone-layer.ts';
import { DutyLayer, followDutyStore } from './duty-layer.ts';
import { Cesium, type CesiumModule } from './cesium.ts';
import { LocalEnu } from './local-enu.ts';
import type { Selection } from './selection.ts';
import { UnitLayer } from './unit-layer.ts';

export type { Selection };

const PICK_BOX_CSS_PX = 11;

/** The words the scene draws, supplied by the UI in the operator's language. */
export interface SceneWords {
  track(t: Track): string;
  alarm(a: Alarm): string;
  /** The label that stands for n more alarms at one spot. */
  more(n: number): string;
  drones: DroneWords;
}

/** What the navigation controls show: heading, the scale at the centre of the view, and the view mode. */
export interface ViewState {
  headingDeg: number;
  metresPerPixel: number | null;
  topDown: boolean;
}

/** The camera never goes closer to the ground than this: wheel zoom stops above the terminal roofs. */
export const MIN_ZOOM_DISTANCE_M = 150;
const MAX_ZOOM_DISTANCE_M = 300_000;
const ALWAYS = Number.POSITIVE_INFINITY;
const FONT = '"Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", sans-serif';
const HIGHLIGHT = '#ffe066';
/** Alarm labels stacked at one spot, at most. */
const MAX_STACK = 3;

type Entity = CesiumModule.Entity;
type Color = CesiumModule.Color;

const css = (c: string, alpha = 1): Color => Cesium.Color.fromCssColorString(c).withAlpha(alpha);
const nearFar = (near: number, nearValue: number, far: number, farValue: number) => new Cesium.NearFarScalar(near, nearValue, far, farValue);
const upTo = (far: number) => new Cesium.DistanceDisplayCondition(0, far);

export const COLORS = {
  runway: '#23272e',
  marking: '#f4f4f4',
  apron: '#5d646e',
  taxiway: '#4a5059',
  road: '#3b3f46',
  fence: '#f5c518',
  terminal: ['#9fb7cc', '#b9cde0'],
  building: ['#8c939c', '#a4abb3'],
  checkpoint: '#ff9f1c',
  post: '#2f80ed',
  station: '#1b5fc9',
  severity: { 1: '#4aa3df', 2: '#f2c94c', 3: '#f2994a', 4: '#eb5757' } as Record<number, string>,
  ring: { remote: '#7f8c8d', outer: '#56ccf2', inner: '#f2c94c', core: '#eb5757' } as Record<string, string>,
  surface: {
    'inner-horizontal': '#56ccf2', conical: '#2d9cdb', approach: '#f2994a', 'approach-section-2': '#f2c94c',
    'approach-horizontal': '#e2b93b', transitional: '#6fcf97', 'take-off-climb': '#bb6bd9',
    'uav-inspection-area': '#ff6b6b', 'protection-radius': '#ff9f43',
  } as Record<ClearanceSurfaceName, string>,
};

export class AirportScene {
  readonly viewer: CesiumModule.Viewer;
  private readonly layers = new Map<LayerId, CesiumModule.CustomDataSource>();
  private readonly selections = new WeakMap<object, Selection>();
  private gridPrimitive: CesiumModule.Primitive | null = null;
  private markingsPrimitive: CesiumModule.Primitive | null = null;
  private readonly trackPoints: CesiumModule.PointPrimitiveCollection;
  private readonly trackLabels: CesiumModule.LabelCollection;
  private readonly trackIndex = new Map<string, { point: CesiumModule.PointPrimitive; label: CesiumModule.Label; track: Track; drawn: string }>();
  /** Rings around what is selected (a target, alarms) and the marker of a clicked map point. */
  private readonly highlightPoints: CesiumModule.PointPrimitiveCollection;
  private highlight: { trackId: string | null; alarmIds: ReadonlySet<string> } = { trackId: null, alarmIds: new Set() };
  private trackRing: CesiumModule.PointPrimitive | null = null;
  private pickMarker: CesiumModule.PointPrimitive[] = [];
  /** Alarm markers, with what they were drawn from, so that only changed alarms are redrawn. */
  private readonly alarmEntities = new Map<string, { entity: Entity; drawn: string; alarm: Alarm; text: string; offsetY: number; lit: boolean; shown?: boolean }>();
  private lastAlarms: Alarm[] = [];
  private topDown = false;
  private perspectivePitch = Cesium.Math.toRadians(-40);
  /** OLS entities by group (the three approach sections are one group). */
  private readonly surfaceEntities = new Map<string, Entity[]>();
  private elevation = 0;
  private referencePoint: [number, number] = [0, 0];
  /** Labels that follow the UI language. */
  private readonly localized: Array<{ entity: Entity; text: { zh: string; en: string } }> = [];
  private locale = 'zh-CN';
  /** The video cameras (their own primitive collection; see camera-layer.ts). */
  readonly cameras: CameraLayer;
  /** The fused drone tracks (their own primitives; see drone-layer.ts), made when the site is loaded. */
  drones!: DroneLayer;
  /** Patrol duty coverage (see duty-layer.ts), made when the site is loaded. */
  duty: DutyLayer | null = null;
  private unfollowDuty: (() => void) | null = null;
  /** The units and their orders (see unit-layer.ts), and the alarms' 1-3-5 clocks (alarm-clock-labels.ts): made when the site is loaded. */
  units: UnitLayer | null = null;
  clocks: AlarmClockLabels | null = null;
  private homeView: { destination: CesiumModule.Cartesian3; orientation: { heading: number; pitch: number; roll: number } } | null = null;

  constructor(
    container: HTMLElement,
    private readonly opts: { imagery?: ImagerySource; onSelect: (s: Selection) => void; words: SceneWords; trailOf?: (droneId: string) => readonly TrailPoint[] },
  ) {
    Cesium.Ion.defaultAccessToken = '';
    this.viewer = new Cesium.Viewer(container, {
      baseLayer: Cesium.ImageryLayer.fromProviderAsync(
        Cesium.TileMapServiceImageryProvider.fromUrl(Cesium.buildModuleUrl('Assets/Textures/NaturalEarthII')),
      ),
      terrainProvider: new Cesium.EllipsoidTerrainProvider(),
      baseLayerPicker: false, geocoder: false, homeButton: false, sceneModePicker: false, navigationHelpButton: false,
      animation: false, timeline: false, fullscreenButton: false, infoBox: false, selectionIndicator: false,
      requestRenderMode: true, maximumRenderTimeChange: Infinity,
    });
    if (opts.imagery) {
      // An internal map server (PGIS) over the bundled fallback, which still shows where its tiles fail.
      this.viewer.imageryLayers.add(imageryLayer(opts.imagery));
    }
    const scene = this.viewer.scene;
    scene.globe.depthTestAgainstTerrain = false;
    scene.globe.baseColor = css('#0b1a2a');
    scene.backgroundColor = css('#05080d');
    if (scene.skyAtmosphere) scene.skyAtmosphere.show = false;
    scene.fog.enabled = false;
    // An airport seen from a few hundred metres: no sun, moon, stars or ground atmosphere to draw. FXAA off keeps
    // labels sharp. Together they take a third off a frame where WebGL is drawn by the CPU (a command-room PC
    // without a usable GPU, or SwiftShader in the tests: 257 → 170 ms for 964×814 CSS px).
    scene.globe.showGroundAtmosphere = false;
    if (scene.sun) scene.sun.show = false;
    if (scene.moon) scene.moon.show = false;
    if (scene.skyBox) scene.skyBox.show = false;
    scene.postProcessStages.fxaa.enabled = false;
    // Wheel zoom stops above the roofs; the camera never goes under the ground.
    const control = scene.screenSpaceCameraController;
    control.minimumZoomDistance = MIN_ZOOM_DISTANCE_M;
    control.maximumZoomDistance = MAX_ZOOM_DISTANCE_M;
    control.enableCollisionDetection = true;
    this.trackPoints = scene.primitives.add(new Cesium.PointPrimitiveCollection());
    this.trackLabels = scene.primitives.add(new Cesium.LabelCollection());
    this.highlightPoints = scene.primitives.add(new Cesium.PointPrimitiveCollection());
    this.cameras = new CameraLayer(this.viewer, (msl) => this.h(msl));

    // Alarm labels are decluttered again whenever the view has moved.
    this.viewer.camera.percentageChanged = 0.1;
    this.viewer.camera.changed.addEventListener(() => this.declutterAlarmLabels());
    this.viewer.camera.moveEnd.addEventListener(() => this.declutterAlarmLabels());

    const handler = new Cesium.ScreenSpaceEventHandler(scene.canvas);
    handler.setInputAction((e: { position: CesiumModule.Cartesian2 }) => {
      const selection = this.selectionAt(e.position);
      if (selection) opts.onSelect(selection);
    }, Cesium.ScreenSpaceEventType.LEFT_CLICK);
  }

  /** What a click at a point of the canvas (CSS pixels) selects: an object, else the map point; null off the globe. */
  selectionAt(position: CesiumModule.Cartesian2): Selection | null {
    const scene = this.viewer.scene;
    // A generous pick box (see pickBoxPx).
    const side = this.pickBoxPx();
    const picked = scene.pick(position, side, side) as { id?: unknown } | undefined;
    // Entities carry their selection in a WeakMap; track and camera primitives carry it as their id.
    const id = picked?.id;
    if (this.duty?.pick(id)) return null; // a duty point: selected in the duty panel, not as a map point
    const selection = id && typeof id === 'object' ? this.selections.get(id) ?? (isPrimitiveSelection(id) ? id : undefined) : undefined;
    if (selection) return selection;
    // Cameras and targets under a translucent surface (the inner horizontal surface spans the airport at 45 m):
    // look through it for one of them, and only for them (a click through a surface is otherwise a map point).
    const below = (scene.drillPick(position, 4, side, side) as Array<{ id?: unknown }>)
      .map((p) => p.id)
      .find((v): v is Extract<Selection, { kind: 'track' | 'camera' | 'drone' }> => Boolean(v) && typeof v === 'object' && isPrimitiveSelection(v as object));
    if (below) return below;
    const cartesian = this.viewer.camera.pickEllipsoid(position, scene.globe.ellipsoid);
    if (!cartesian) return null;
    const c = Cesium.Cartographic.fromCartesian(cartesian);
    return { kind: 'point', lon: Cesium.Math.toDegrees(c.longitude), lat: Cesium.Math.toDegrees(c.latitude) };
  }

  /** Draws the whole site; call once. */
  load(site: SiteView): void {
    const pack = site.pack;
    this.elevation = pack.aerodrome.elevationM;
    const [lon, lat] = pack.aerodrome.referencePoint;
    this.referencePoint = [lon, lat];
    const enu = new LocalEnu(lon, lat);
    this.drawRunways(pack.runways);
    for (const f of pack.features.features) this.drawFeature(f);
    for (const c of pack.perceptionCircles) this.drawCircle(c, enu);
    for (const s of site.clearance) this.drawSurface(s);
    this.drones = new DroneLayer(this.viewer, {
      heightOf: (msl) => this.h(msl), elevationM: this.elevation, words: this.opts.words.drones, clearance: site.clearance,
      surfaceColor: (s) => COLORS.surface[s], trailOf: this.opts.trailOf,
    });
    this.drawGrid(site);
    this.duty = new DutyLayer(this.viewer, site.grid);
    this.unfollowDuty = followDutyStore(this.duty);
    this.units = new UnitLayer(this.viewer);
    this.clocks = new AlarmClockLabels(this.viewer, (msl) => this.h(msl));
    this.clocks.setAlarms(this.lastAlarms);
    this.homeView = {
      destination: Cesium.Cartesian3.fromDegrees(lon - 0.009, lat - 0.036, 3300),
      orientation: { heading: Cesium.Math.toRadians(9), pitch: Cesium.Math.toRadians(-40), roll: 0 },
    };
    this.home(0);
  }

  home(durationS = 1.2): void {
    if (!this.homeView) return;
    if (this.topDown) {
      this.topDown = false;
      this.viewer.camera.switchToPerspectiveFrustum();
      this.viewer.scene.screenSpaceCameraController.enableTilt = true;
      this.viewer.scene.screenSpaceCameraController.enableLook = true;
    }
    if (durationS === 0) this.viewer.camera.setView(this.homeView);
    else this.viewer.camera.flyTo({ ...this.homeView, duration: durationS });
    this.viewer.scene.requestRender();
  }

  flyTo(lon: number, lat: number, altM?: number): void {
    const target = Cesium.Cartesian3.fromDegrees(lon, lat, this.h(altM));
    const pitch = this.topDown ? -Cesium.Math.PI_OVER_TWO : Cesium.Math.toRadians(-45);
    this.viewer.camera.flyToBoundingSphere(new Cesium.BoundingSphere(target, 0), {
      offset: new Cesium.HeadingPitchRange(this.topDown ? 0 : this.viewer.camera.heading, pitch, 3000),
      duration: 1,
    });
  }

  /** Frames an area (an incident's alarms and units): the view flies to take in every point, from the south-west. */
  frame(points: readonly GeoPoint[], durationS = 1.2): void {
    if (!points.length) return;
    const sphere = Cesium.BoundingSphere.fromPoints(points.map((p) => Cesium.Cartesian3.fromDegrees(p.lon, p.lat, this.h(p.altM))));
    const range = Math.max(900, sphere.radius * 3.2);
    const pitch = this.topDown ? -Cesium.Math.PI_OVER_TWO : Cesium.Math.toRadians(-50);
    this.viewer.camera.flyToBoundingSphere(sphere, { offset: new Cesium.HeadingPitchRange(this.topDown ? 0 : Cesium.Math.toRadians(20), pitch, range), duration: durationS });
    this.viewer.scene.requestRender();
  }

  // --- navigation ----------------------------------------------------------------------------------

  /** Heading, scale at the centre of the view, and mode: what the compass and the scale bar show. */
  viewState(): ViewState {
    const camera = this.viewer.camera;
    return { headingDeg: Cesium.Math.toDegrees(camera.heading) % 360, metresPerPixel: this.metresPerPixel(), topDown: this.topDown };
  }

  /** Calls back after every frame drawn (the view may have moved); returns the unsubscribe. */
  onViewChange(listener: () => void): () => void {
    return this.viewer.scene.postRender.addEventListener(listener);
  }

  /** Turns the view to face north, about the point at its centre. */
  resetNorth(): void {
    const camera = this.viewer.camera;
    const centre = this.centreOfView();
    if (!centre) {
      camera.setView({ orientation: { heading: 0, pitch: camera.pitch, roll: 0 } });
    } else {
      const range = Cesium.Cartesian3.distance(camera.positionWC, centre);
      camera.flyToBoundingSphere(new Cesium.BoundingSphere(centre, 0), { offset: new Cesium.HeadingPitchRange(0, camera.pitch, range), duration: 0.6 });
    }
    this.viewer.scene.requestRender();
  }

  /** Zooms towards (factor < 1) or away from (factor > 1) the centre of the view, within the camera's limits. */
  zoom(factor: number): void {
    const camera = this.viewer.camera;
    const centre = this.centreOfView();
    if (!centre) {
      const h = camera.positionCartographic.height;
      if (factor < 1) camera.zoomIn(h * (1 - factor));
      else camera.zoomOut(h * (factor - 1));
    } else {
      const range = Cesium.Cartesian3.distance(camera.positionWC, centre);
      const next = Math.min(MAX_ZOOM_DISTANCE_M, Math.max(MIN_ZOOM_DISTANCE_M, range * factor));
      camera.flyToBoundingSphere(new Cesium.BoundingSphere(centre, 0), { offset: new Cesium.HeadingPitchRange(camera.heading, camera.pitch, next), duration: 0.4 });
    }
    this.viewer.scene.requestRender();
  }

  /**
   * 2D: a top-down map (north up, orthographic, no tilt) over the same point; 3D: the perspective view again.
   * The same scene either way, so that every layer and selection carries over.
   */
  setTopDown(on: boolean): void {
    if (on === this.topDown) return;
    const camera = this.viewer.camera;
    const control = this.viewer.scene.screenSpaceCameraController;
    const centre = this.centreOfView() ?? Cesium.Cartesian3.fromDegrees(...this.referencePoint, 0);
    const range = Cesium.Cartesian3.distance(camera.positionWC, centre);
    this.topDown = on;
    if (on) {
      this.perspectivePitch = camera.pitch;
      camera.flyToBoundingSphere(new Cesium.BoundingSphere(centre, 0), {
        offset: new Cesium.HeadingPitchRange(0, -Cesium.Math.PI_OVER_TWO, range), duration: 0.6,
        complete: () => {
          if (this.topDown) camera.switchToOrthographicFrustum();
          this.viewer.scene.requestRender();
        },
      });
    } else {
      camera.switchToPerspectiveFrustum();
      camera.flyToBoundingSphere(new Cesium.BoundingSphere(centre, 0), {
        offset: new Cesium.HeadingPitchRange(camera.heading, Math.min(this.perspectivePitch, Cesium.Math.toRadians(-20)), range), duration: 0.6,
      });
    }
    control.enableTilt = !on;
    control.enableLook = !on;
    this.viewer.scene.requestRender();
  }

  /** The point of the ground at the centre of the view (null when the view looks above the horizon). */
  private centreOfView(): CesiumModule.Cartesian3 | null {
    const canvas = this.viewer.scene.canvas;
    return this.pickGround(canvas.clientWidth / 2, canvas.clientHeight / 2);
  }

  private pickGround(x: number, y: number): CesiumModule.Cartesian3 | null {
    return this.viewer.camera.pickEllipsoid(new Cesium.Cartesian2(x, y), this.viewer.scene.globe.ellipsoid) ?? null;
  }

  /** Metres on the ground per CSS pixel at the centre of the view, from two ground points 100 px apart. */
  private metresPerPixel(): number | null {
    const canvas = this.viewer.scene.canvas;
    const cx = canvas.clientWidth / 2;
    const cy = canvas.clientHeight / 2;
    const a = this.pickGround(cx - 50, cy);
    const b = this.pickGround(cx + 50, cy);
    return a && b ? Cesium.Cartesian3.distance(a, b) / 100 : null;
  }

  // --- selection -----------------------------------------------------------------------------------

  /** Rings the selected target and alarms, and enlarges their markers. */
  setHighlight(trackId: string | null, alarmIds: ReadonlySet<string>): void {
    const before = this.highlight;
    this.highlight = { trackId, alarmIds };
    // Redraw the alarm markers whose highlight changed.
    for (const id of new Set([...before.alarmIds, ...alarmIds])) {
      const known = this.alarmEntities.get(id);
      if (known) known.drawn = '';
    }
    this.showAlarms(this.lastAlarms);
    this.drawTrackRing();
  }

  /** Marks the clicked map point where a manual alarm would be raised (null: no marker). */
  showPick(point: { lon: number; lat: number } | null): void {
    for (const p of this.pickMarker) this.highlightPoints.remove(p);
    this.pickMarker = [];
    if (point) {
      const position = Cesium.Cartesian3.fromDegrees(point.lon, point.lat, 1);
      this.pickMarker = [
        this.highlightPoints.add({ position, pixelSize: 26, color: css('#38b6ff', 0.18), outlineColor: css('#38b6ff'), outlineWidth: 3, disableDepthTestDistance: ALWAYS }),
        this.highlightPoints.add({ position, pixelSize: 7, color: css('#ffffff'), outlineColor: css('#0b1220'), outlineWidth: 1, disableDepthTestDistance: ALWAYS }),
      ];
    }
    this.viewer.scene.requestRender();
  }

  private drawTrackRing(): void {
    const known = this.highlight.trackId ? this.trackIndex.get(this.highlight.trackId) : undefined;
    if (!known) {
      if (this.trackRing) this.highlightPoints.remove(this.trackRing);
      this.trackRing = null;
    } else if (this.trackRing) {
      this.trackRing.position = known.point.position;
    } else {
      this.trackRing = this.highlightPoints.add({
        position: known.point.position, pixelSize: 30, color: css(HIGHLIGHT, 0.12), outlineColor: css(HIGHLIGHT), outlineWidth: 3,
        disableDepthTestDistance: ALWAYS,
      });
    }
    this.viewer.scene.requestRender();
  }

  setLayerVisible(id: LayerId, on: boolean): void {
    if (id === 'grid' && this.gridPrimitive) this.gridPrimitive.show = on;
    if (id === 'runways' && this.markingsPrimitive) this.markingsPrimitive.show = on;
    if (id === 'cameras') this.cameras.setVisible(on);
    if (id === 'drones') this.drones?.setVisible(on);
    if (id === 'duty') this.duty?.setVisible(on);
    if (id === 'units') this.units?.setVisible(on);
    if (id === 'alarms') this.clocks?.setVisible(on);
    if (id === 'tracks') {
      this.trackPoints.show = on;
      this.trackLabels.show = on;
      if (this.trackRing) this.trackRing.show = on;
    }
    const layer = this.layers.get(id);
    if (layer) layer.show = on;
    this.viewer.scene.requestRender();
  }

  /** Shows or hides one kind of obstacle limitation surface (within the OLS layer). */
  setSurfaceVisible(group: string, on: boolean): void {
    for (const e of this.surfaceEntities.get(group) ?? []) e.show = on;
    this.viewer.scene.requestRender();
  }

  /**
   * Alarm markers: a point coloured by severity and a brief label below it naming the target and the alarm.
   * Several alarms of one target stack their labels; a highlighted alarm is larger, ringed and always named.
   */
  showAlarms(alarms: Alarm[]): void {
    this.lastAlarms = alarms;
    this.clocks?.setAlarms(alarms);
    const layer = this.layer('alarms');
    const open = alarms.filter((a) => a.state !== 'closed' && a.position);
    const openIds = new Set(open.map((a) => a.id));
    for (const [id, { entity }] of this.alarmEntities) {
      if (!openIds.has(id)) {
        layer.entities.remove(entity);
        this.alarmEntities.delete(id);
      }
    }
    // Labels of one target's alarms (or of alarms at one spot) stack below each other, most severe first; at most
    // MAX_STACK of them, the next one says how many more there are, the rest are points only.
    const spotOf = (a: Alarm) =>
      a.type === 'touch-circle' || a.type === 'clearance-penetration' ? `${a.details.sourceId}/${a.details.trackId}`
        : a.type === 'drone-threat' ? a.details.trackId : `${a.position!.lon.toFixed(4)},${a.position!.lat.toFixed(4)}`;
    const perSpot = new Map<string, number>();
    for (const a of open) perSpot.set(spotOf(a), (perSpot.get(spotOf(a)) ?? 0) + 1);
    const stack = new Map<string, number>();
    const slot = (a: Alarm) => {
      const key = spotOf(a);
      const n = stack.get(key) ?? 0;
      stack.set(key, n + 1);
      return { index: n, total: perSpot.get(key)! };
    };
    for (const a of [...open].sort((x, y) => y.severity - x.severity || x.raisedAt - y.raisedAt)) {
      const p = a.position!;
      const lit = this.highlight.alarmIds.has(a.id);
      const { index, total } = slot(a);
      const overflow = index === MAX_STACK && total > MAX_STACK + 1;
      const text = lit || index < MAX_STACK || total === MAX_STACK + 1 ? this.opts.words.alarm(a) : overflow ? this.opts.words.more(total - MAX_STACK) : '';
      const drawn = `${a.state}|${a.severity}|${text}|${lit}|${index}|${p.lon},${p.lat},${p.altM}`;
      const existing = this.alarmEntities.get(a.id);
      if (existing?.drawn === drawn) continue;
      if (existing) layer.entities.remove(existing.entity);
      const color = css(COLORS.severity[a.severity]);
      const e = layer.entities.add({
        position: Cesium.Cartesian3.fromDegrees(p.lon, p.lat, this.h(p.altM)),
        point: {
          pixelSize: lit ? 20 : a.state === 'new' ? 14 : 10, color, outlineColor: css(lit ? HIGHLIGHT : '#ffffff'), outlineWidth: lit ? 4 : 2,
          disableDepthTestDistance: ALWAYS, scaleByDistance: lit ? undefined : nearFar(3000, 1, 60000, 0.6),
        },
        label: {
          text, font: `${lit ? 700 : 600} 13px ${FONT}`, fillColor: css(lit ? '#0b1220' : '#ffffff'),
          showBackground: true, backgroundColor: lit ? css(HIGHLIGHT, 0.95) : color.withAlpha(0.82), backgroundPadding: new Cesium.Cartesian2(6, 3),
          horizontalOrigin: Cesium.HorizontalOrigin.CENTER, verticalOrigin: Cesium.VerticalOrigin.TOP,
          pixelOffset: new Cesium.Cartesian2(0, 14 + Math.min(index, MAX_STACK) * 22),
          show: false, // until decluttered
          // Named while near enough to matter; the selected alarm always.
          distanceDisplayCondition: lit ? undefined : upTo(60000),
          scaleByDistance: lit ? undefined : nearFar(3000, 1, 60000, 0.75),
          disableDepthTestDistance: ALWAYS,
        },
      });
      this.selections.set(e, { kind: 'alarm', alarmId: a.id });
      this.alarmEntities.set(a.id, { entity: e, drawn, alarm: a, text, offsetY: 14 + Math.min(index, MAX_STACK) * 22, lit });
    }
    this.declutterAlarmLabels();
  }

  /**
   * Screen-space declutter of the alarm labels: most urgent first (the highlighted ones before all), a label is
   * shown only where it does not overlap one already placed; the others keep their marker. Run after every
   * change of the alarms and whenever the camera has moved.
   */
  private declutterAlarmLabels(): void {
    const scene = this.viewer.scene;
    const placed: Array<{ x0: number; y0: number; x1: number; y1: number }> = [];
    const entries = [...this.alarmEntities.values()].sort(
      (x, y) => Number(y.lit) - Number(x.lit) || y.alarm.severity - x.alarm.severity || y.alarm.raisedAt - x.alarm.raisedAt,
    );
    for (const known of entries) {
      const label = known.entity.label;
      if (!label) continue;
      const p = known.alarm.position!;
      const at = known.text ? Cesium.SceneTransforms.worldToWindowCoordinates(scene, Cesium.Cartesian3.fromDegrees(p.lon, p.lat, this.h(p.altM))) : undefined;
      let show = false;
      if (at) {
        const w = labelWidthPx(known.text);
        const box = { x0: at.x - w / 2, x1: at.x + w / 2, y0: at.y + known.offsetY, y1: at.y + known.offsetY + 20 };
        show = known.lit || !placed.some((b) => box.x0 < b.x1 && box.x1 > b.x0 && box.y0 < b.y1 && box.y1 > b.y0);
        if (show) placed.push(box);
      }
      if (known.shown !== show) {
        label.show = new Cesium.ConstantProperty(show);
        known.shown = show;
      }
    }
    scene.requestRender();
  }

  /** Where an alarm's marker is (for flying to it). */
  alarmPosition(id: string): { lon: number; lat: number; altM?: number } | null {
    return this.alarmEntities.get(id)?.alarm.position ?? null;
  }

  /**
   * A batch of track changes from the track store, straight to the primitive collections (updated in place).
   * Live drones are coloured by their ring, birds and unknowns grey; a target whose source is down is drawn
   * hollow and grey, labelled with the time of its last position.
   */
  applyTracks(batch: TrackBatch): void {
    if (batch.reset) {
      const keep = new Set(batch.updated.map((t) => t.id));
      for (const id of [...this.trackIndex.keys()]) if (!keep.has(id)) this.removeTrack(id);
    }
    for (const t of batch.updated) this.drawTrack(t);
    for (const id of batch.removed) this.removeTrack(id);
    this.drawTrackRing();
    this.viewer.scene.requestRender();
  }

  /** Redraws every label in the current language (after a language switch). */
  relabel(): void {
    for (const { track } of this.trackIndex.values()) this.drawTrack(track, true);
    for (const known of this.alarmEntities.values()) known.drawn = '';
    this.showAlarms(this.lastAlarms);
    this.drones?.relabel();
  }

  /** What the scene shows of a track (for the end-to-end tests). */
  trackState(id: string): { shown: boolean; live: boolean; label: string; outline: string } | null {
    const known = this.trackIndex.get(id);
    if (!known) return null;
    return { shown: known.point.show && this.trackPoints.show, live: known.track.live, label: known.label.text, outline: known.point.outlineColor.toCssHexString() };
  }

  private drawTrack(t: Track, force = false): void {
    const position = Cesium.Cartesian3.fromDegrees(t.position.lon, t.position.lat, this.h(t.position.altM));
    const text = this.opts.words.track(t);
    const known = this.trackIndex.get(t.id);
    const drawn = `${t.live}|${t.classification}|${t.circleRing}|${text}`;
    if (known && known.drawn === drawn && !force) {
      known.point.position = position;
      known.label.position = position;
      known.track = t;
      return;
    }
    const style = trackStyle(t);
    if (known) {
      Object.assign(known.point, { position, color: style.fill, outlineColor: style.outline, outlineWidth: style.outlineWidth, pixelSize: style.size });
      Object.assign(known.label, { position, text, fillColor: style.text, showBackground: !t.live });
      known.track = t;
      known.drawn = drawn;
      return;
    }
    const id = { kind: 'track', trackId: t.id } satisfies Selection;
    const point = this.trackPoints.add({
      id, position, pixelSize: style.size, color: style.fill, outlineColor: style.outline, outlineWidth: style.outlineWidth,
      disableDepthTestDistance: ALWAYS, scaleByDistance: nearFar(3000, 1, 60000, 0.6),
    });
    const label = this.trackLabels.add({
      id, position, text, font: `600 13px ${FONT}`, fillColor: style.text, outlineColor: css('#05080d'), outlineWidth: 3,
      style: Cesium.LabelStyle.FILL_AND_OUTLINE,
      // A lost target's longer label on a dark plate, readable over any ground.
      showBackground: !t.live, backgroundColor: css('#1a222c', 0.85), backgroundPadding: new Cesium.Cartesian2(5, 3), horizontalOrigin: Cesium.HorizontalOrigin.LEFT, verticalOrigin: Cesium.VerticalOrigin.BOTTOM,
      pixelOffset: new Cesium.Cartesian2(10, -6), distanceDisplayCondition: upTo(60000), scaleByDistance: nearFar(3000, 1, 60000, 0.75),
      disableDepthTestDistance: ALWAYS,
    });
    this.trackIndex.set(t.id, { point, label, track: t, drawn });
  }

  /** Where a point (m MSL) appears in the scene's canvas, in CSS pixels; null when off screen. */
  project(lon: number, lat: number, altM?: number): { x: number; y: number } | null {
    const p = Cesium.SceneTransforms.worldToWindowCoordinates(this.viewer.scene, Cesium.Cartesian3.fromDegrees(lon, lat, this.h(altM)));
    return p ? { x: p.x, y: p.y } : null;
  }

  private removeTrack(id: string): void {
    const known = this.trackIndex.get(id);
    if (!known) return;
    this.trackPoints.remove(known.point);
    this.trackLabels.remove(known.label);
    this.trackIndex.delete(id);
  }

  /** The side of the pick box: 11 CSS pixels (targets are small and move every second), in drawing-buffer pixels. */
  pickBoxPx(): number {
    // The scene's pixel ratio (resolution scale × device pixel ratio) is not in Cesium's published types.
    const ratio = (this.viewer.scene as unknown as { pixelRatio?: number }).pixelRatio ?? 1;
    return Math.max(3, Math.round(PICK_BOX_CSS_PX * ratio));
  }

  /** Milliseconds of work per rendered frame, averaged over n forced frames (for the benchmark). */
  measureRenderMs(frames: number): number {
    const scene = this.viewer.scene;
    const gl = (scene as unknown as { context?: { _gl?: WebGLRenderingContext } }).context?._gl;
    // A one-pixel read waits for the GPU (SwiftShader here) to finish: gl.finish() returns at once in Chromium.
    const px = new Uint8Array(4);
    const sync = () => gl?.readPixels(0, 0, 1, 1, gl.RGBA, gl.UNSIGNED_BYTE, px);
    scene.requestRender();
    scene.render();
    sync();
    const t0 = performance.now();
    for (let i = 0; i < frames; i++) {
      scene.requestRender(); // in request-render mode a frame is drawn only when asked for
      scene.render();
    }
    // The figure is work done, not work queued.
    sync();
    return (performance.now() - t0) / frames;
  }

  setLocale(locale: string): void {
    this.locale = locale;
    for (const { entity, text } of this.localized) {
      if (entity.label) entity.label.text = new Cesium.ConstantProperty(locale === 'en' ? text.en : text.zh);
    }
    this.relabel();
  }

  destroy(): void {
    this.unfollowDuty?.();
    this.drones?.stop();
    this.viewer.destroy();
  }

  // --- drawing -------------------------------------------------------------------------------------

  private h(msl: number | undefined): number {
    return msl === undefined ? 0 : Math.max(0, msl - this.elevation);
  }

  private layer(id: LayerId): CesiumModule.CustomDataSource {
    let ds = this.layers.get(id);
    if (!ds) {
      ds = new Cesium.CustomDataSource(id);
      void this.viewer.dataSources.add(ds);
      this.layers.set(id, ds);
    }
    return ds;
  }

  private add(id: LayerId, options: CesiumModule.Entity.ConstructorOptions, selection?: Selection, text?: { zh: string; en: string }): Entity {
    const e = this.layer(id).entities.add(options);
    if (selection) this.selections.set(e, selection);
    if (text) this.localized.push({ entity: e, text });
    return e;
  }

  private drawRunways(runways: Runway[]): void {
    const instances: CesiumModule.GeometryInstance[] = [];
    const marking = Cesium.ColorGeometryInstanceAttribute.fromColor(css(COLORS.marking));
    for (const rwy of runways) {
      const [a, b] = rwy.ends;
      const enu = new LocalEnu(a.position[0], a.position[1]);
      const pb = enu.toLocal(b.position[0], b.position[1]);
      const len = Math.hypot(pb.x, pb.y);
      const ux = pb.x / len;
      const uy = pb.y / len;
      const quad = (t0: number, t1: number, l0: number, l1: number, h: number) =>
        [[t0, l0], [t1, l0], [t1, l1], [t0, l1]].map(([t, l]) => enu.toWorld(ux * t - uy * l, uy * t + ux * l, h));
      const w = rwy.widthM / 2;
      this.add('runways', {
        polygon: { hierarchy: quad(0, len, -w, w, 0.3), perPositionHeight: true, material: css(COLORS.runway) },
      }, { kind: 'runway', runway: rwy });
      const mark = (t0: number, t1: number, l0: number, l1: number) =>
        instances.push(new Cesium.GeometryInstance({
          geometry: new Cesium.PolygonGeometry({ polygonHierarchy: new Cesium.PolygonHierarchy(quad(t0, t1, l0, l1, 0.5)), perPositionHeight: true }),
          attributes: { color: marking },
        }));
      // Annex 14 §5.2: threshold stripes (12 for a 45 m runway), 30 m long from 6 m inside the threshold;
      // centreline stripes 30 m with 20 m gaps; edge lines.
      for (const [end, dir, t] of [[a, 1, 0], [b, -1, len]] as const) {
        const start = t + dir * (end.displacedThresholdM + 6);
        for (let k = 0; k < 12; k++) {
          const l0 = -w + 3 + k * ((2 * w - 6) / 12);
          mark(Math.min(start, start + dir * 30), Math.max(start, start + dir * 30), l0, l0 + 1.8);
        }
        const labelAt = t + dir * (end.displacedThresholdM + 60);
        this.add('runways', {
          position: enu.toWorld(ux * labelAt, uy * labelAt, 1),
          label: {
            text: end.designator, font: '700 16px sans-serif', fillColor: css('#ffffff'), outlineColor: css('#000000'), outlineWidth: 3,
            style: Cesium.LabelStyle.FILL_AND_OUTLINE, distanceDisplayCondition: upTo(12000), scaleByDistance: nearFar(2000, 1, 12000, 0.7),
          },
        }, { kind: 'runway', runway: rwy });
      }
      for (let t = 70; t + 30 < len - 70; t += 50) mark(t, t + 30, -0.45, 0.45);
      mark(0, len, -w, -w + 0.9);
      mark(0, len, w - 0.9, w);
    }
    this.markingsPrimitive = this.viewer.scene.primitives.add(
      new Cesium.Primitive({ geometryInstances: instances, appearance: new Cesium.PerInstanceColorAppearance({ flat: true, translucent: false }), asynchronous: false }),
    );
  }

  private drawFeature(f: SiteFeature): void {
    const p = f.properties;
    const sel: Selection = { kind: 'feature', feature: f };
    const g = f.geometry;
    const positions = (coords: Array<readonly [number, number]>, h: number) => coords.map(([x, y]) => Cesium.Cartesian3.fromDegrees(x, y, h));
    switch (p.kind) {
      case 'terminal':
      case 'building': {
        if (g.type !== 'Polygon') return;
        const floors = p.floors ?? 1;
        const height = p.heightM ?? floors * 4;
        const floorH = height / floors;
        const [c0, c1] = p.kind === 'terminal' ? COLORS.terminal : COLORS.building;
        // How far out the name shows: terminals by their size (the main ones from the home view), other buildings
        // close up unless tall (the tower).
        const size = Math.sqrt(areaM2(g.coordinates[0]));
        const labelRange = Math.min(12000, Math.max(2500, p.kind === 'terminal' ? 30 * size + 40 * height : 10 * size + 40 * height));
        // One slab per floor, alternating shade, so that floors read from a distance.
        for (let i = 0; i < floors; i++) {
          this.add('buildings', {
            polygon: {
              hierarchy: new Cesium.PolygonHierarchy(positions(g.coordinates[0], 0)),
              height: i * floorH, extrudedHeight: (i + 1) * floorH - Math.min(0.8, floorH * 0.1),
              material: css(i % 2 ? c1 : c0, 0.95), outline: true, outlineColor: css('#27323f'),
            },
          }, sel);
        }
        this.add('buildings', {
          position: Cesium.Cartesian3.fromDegrees(...centroid(g.coordinates[0]), height + 8),
          label: {
            // Named only when near enough, bigger and taller buildings from further out; fading out, not popping.
            text: p.name.zh, font: `600 14px ${FONT}`, fillColor: css('#e8f1fa'),
            showBackground: true, backgroundColor: css('#0b1220', 0.72), backgroundPadding: new Cesium.Cartesian2(5, 3),
            distanceDisplayCondition: upTo(labelRange),
            translucencyByDistance: nearFar(labelRange * 0.85, 1, labelRange, 0),
            scaleByDistance: nearFar(1000, 1, 12000, 0.85),
            // Never depth-tested: the translucent clearance surfaces above the roofs would otherwise strike through
            // the name. Distance alone keeps the map uncluttered.
            disableDepthTestDistance: ALWAYS,
          },
        }, sel, p.name);
        return;
      }
      case 'apron':
        if (g.type === 'Polygon') this.add('movement', { polygon: { hierarchy: positions(g.coordinates[0], 0.1), perPositionHeight: true, material: css(COLORS.apron) } }, sel);
        return;
      case 'taxiway':
      case 'road':
        if (g.type === 'LineString') {
          this.add(p.kind === 'road' ? 'roads' : 'movement', {
            corridor: { positions: positions(g.coordinates, 0), width: p.widthM ?? 20, height: p.kind === 'road' ? 0.15 : 0.2, material: css(p.kind === 'road' ? COLORS.road : COLORS.taxiway) },
          }, sel);
        }
        return;
      case 'fence': {
        const ring = g.type === 'Polygon' ? g.coordinates[0] : g.type === 'LineString' ? g.coordinates : [];
        this.add('fence', { polyline: { positions: positions(ring, p.heightM ?? 2.5), width: 2.5, material: css(COLORS.fence) } }, sel);
        return;
      }
      case 'checkpoint':
      case 'police-post':
      case 'police-station': {
        if (g.type !== 'Point') return;
        const color = p.kind === 'checkpoint' ? COLORS.checkpoint : p.kind === 'police-station' ? COLORS.station : COLORS.post;
        this.add(p.kind === 'checkpoint' ? 'checkpoints' : 'posts', {
          position: Cesium.Cartesian3.fromDegrees(g.coordinates[0], g.coordinates[1], 2),
          point: {
            pixelSize: p.kind === 'police-station' ? 13 : 10, color: css(color), outlineColor: css('#ffffff'), outlineWidth: 2,
            scaleByDistance: nearFar(1500, 1, 20000, 0.5), disableDepthTestDistance: 3000,
          },
          // Posts and checkpoints are named only close up: from further out they are coloured dots.
          label: {
            text: p.name.zh, font: `13px ${FONT}`, fillColor: css('#ffffff'), showBackground: true,
            backgroundColor: css('#0b1220', 0.75), pixelOffset: new Cesium.Cartesian2(0, -18), verticalOrigin: Cesium.VerticalOrigin.BOTTOM,
            distanceDisplayCondition: upTo(p.kind === 'police-station' ? 4500 : 3000),
            translucencyByDistance: p.kind === 'police-station' ? nearFar(3200, 1, 4500, 0) : nearFar(2100, 1, 3000, 0),
            disableDepthTestDistance: ALWAYS,
          },
        }, sel, p.name);
        return;
      }
    }
  }

  private drawCircle(c: PerceptionCircle, enu: LocalEnu): void {
    const color = css(COLORS.ring[c.ring]);
    let ring: CesiumModule.Cartesian3[];
    if (c.geometry.type === 'Circle') {
      const centre = enu.toLocal(c.geometry.center[0], c.geometry.center[1]);
      const r = c.geometry.radiusM;
      ring = Array.from({ length: 181 }, (_, i) => {
        const a = (2 * Math.PI * i) / 180;
        return enu.toWorld(centre.x + r * Math.cos(a), centre.y + r * Math.sin(a), 20);
      });
    } else {
      ring = c.geometry.coordinates[0].map(([x, y]) => Cesium.Cartesian3.fromDegrees(x, y, 20));
    }
    const sel: Selection = { kind: 'circle', circle: c };
    this.add('circles', { polyline: { positions: ring, width: c.ring === 'core' ? 3 : 2, material: new Cesium.PolylineDashMaterialProperty({ color, dashLength: 24 }) } }, sel);
    if (c.geometry.type === 'Polygon') {
      this.add('circles', { polygon: { hierarchy: ring, perPositionHeight: true, material: color.withAlpha(0.12) } });
    }
    const top = ring.reduce((best, p) => (Cesium.Cartographic.fromCartesian(p).latitude > Cesium.Cartographic.fromCartesian(best).latitude ? p : best));
    this.add('circles', {
      position: top,
      label: {
        // From the ring's northernmost point, to the right: clear of the runway designators at the thresholds.
        text: c.name.zh, font: `700 14px ${FONT}`, fillColor: Cesium.Color.lerp(color, Cesium.Color.WHITE, 0.35, new Cesium.Color()),
        showBackground: true, backgroundColor: css('#0b1220', 0.72), backgroundPadding: new Cesium.Cartesian2(6, 3),
        verticalOrigin: Cesium.VerticalOrigin.BOTTOM, horizontalOrigin: Cesium.HorizontalOrigin.LEFT,
        pixelOffset: new Cesium.Cartesian2(4, -2),
        scaleByDistance: nearFar(5000, 1, 150000, 0.7), disableDepthTestDistance: ALWAYS,
      },
    }, sel, c.name);
  }

  private drawSurface(f: ClearanceFeature): void {
    const s = f.properties.surface;
    const color = css(COLORS.surface[s]);
    const polygons = f.geometry.type === 'Polygon' ? [f.geometry.coordinates] : f.geometry.coordinates;
    const sel: Selection = { kind: 'surface', surface: f.properties };
    for (const rings of polygons) {
      const toPositions = (ring: number[][]) => ring.map(([x, y, z]) => Cesium.Cartesian3.fromDegrees(x, y, this.h(z)));
      if (s === 'uav-inspection-area' || s === 'protection-radius') {
        // Areas on the ground: an outline, not a surface.
        this.add(s === 'protection-radius' ? 'protection' : 'uavArea', {
          polyline: { positions: toPositions(rings[0]), width: 3, material: new Cesium.PolylineDashMaterialProperty({ color, dashLength: 32 }) },
        }, sel);
        continue;
      }
      // Surfaces are not selected as objects: a click through them is a click on the point below, whose
      // card lists every surface above it with its height.
      const group = s.startsWith('approach') ? 'approach' : s;
      const entity = this.add('ols', {
        polygon: {
          hierarchy: new Cesium.PolygonHierarchy(toPositions(rings[0]), rings.slice(1).map((h) => new Cesium.PolygonHierarchy(toPositions(h)))),
          perPositionHeight: true, material: color.withAlpha(s === 'conical' || s === 'inner-horizontal' ? 0.06 : 0.13),
          outline: true, outlineColor: color.withAlpha(0.8),
        },
      });
      this.surfaceEntities.set(group, [...(this.surfaceEntities.get(group) ?? []), entity]);
    }
  }

  private drawGrid(site: SiteView): void {
    const color = Cesium.ColorGeometryInstanceAttribute.fromColor(css('#8fd3ff', 0.35));
    const instances = site.grid.map((cell) =>
      new Cesium.GeometryInstance({
        geometry: new Cesium.SimplePolylineGeometry({ positions: cell.ring.map(([x, y]) => Cesium.Cartesian3.fromDegrees(x, y, 1)) }),
        attributes: { color },
      }),
    );
    this.gridPrimitive = this.viewer.scene.primitives.add(
      new Cesium.Primitive({ geometryInstances: instances, appearance: new Cesium.PerInstanceColorAppearance({ flat: true, translucent: true }), asynchronous: false }),
    );
  }
}

/** About how wide a label of 13 px text is on screen (CJK characters square, others about half as wide), with its padding. */
function labelWidthPx(text: string): number {
  let w = 12;
  for (const ch of text) w += ch.codePointAt(0)! > 0x2e80 ? 13 : 7.5;
  return w;
}

/** The area of a small lon/lat ring in square metres (flat-earth: fine for a building). */
function areaM2(ring: ReadonlyArray<readonly [number, number]>): number {
  const k = Math.cos((ring[0][1] * Math.PI) / 180);
  let twice = 0;
  for (let i = 0; i + 1 < ring.length; i++) {
    const [x0, y0] = [ring[i][0] * 111320 * k, ring[i][1] * 110540];
    const [x1, y1] = [ring[i + 1][0] * 111320 * k, ring[i + 1][1] * 110540];
    twice += x0 * y1 - x1 * y0;
  }
  return Math.abs(twice) / 2;
}

function centroid(ring: ReadonlyArray<readonly [number, number]>): [number, number] {
  const pts = ring.slice(0, -1);
  return [pts.reduce((s, p) => s + p[0], 0) / pts.length, pts.reduce((s, p) => s + p[1], 0) / pts.length];
}

function imageryLayer(source: ImagerySource): CesiumModule.ImageryLayer {
  switch (source.kind) {
    case 'wmts':
      return new Cesium.ImageryLayer(new Cesium.WebMapTileServiceImageryProvider({
        url: source.url, layer: source.layer ?? '', style: source.style ?? 'default', tileMatrixSetID: source.tileMatrixSetId ?? 'GoogleMapsCompatible',
      }));
    case 'tms':
      return source.url.includes('{')
        ? new Cesium.ImageryLayer(new Cesium.UrlTemplateImageryProvider({ url: source.url }))
        : Cesium.ImageryLayer.fromProviderAsync(Cesium.TileMapServiceImageryProvider.fromUrl(source.url));
    default:
      return new Cesium.ImageryLayer(new Cesium.UrlTemplateImageryProvider({ url: source.url }));
  }
}

/** How a target looks: a drone by its ring, a bird or unknown grey, a target whose source is down hollow and grey. */
function trackStyle(t: Track): { fill: Color; outline: Color; outlineWidth: number; size: number; text: Color } {
  if (!t.live) return { fill: css('#9aa5b1', 0.08), outline: css('#9aa5b1'), outlineWidth: 2, size: 13, text: css('#c5ced8') };
  if (t.classification && t.classification !== 'drone') return { fill: css('#9aa5b1'), outline: css('#05080d'), outlineWidth: 1, size: 9, text: css('#d0d6de') };
  return { fill: css(t.circleRing ? COLORS.ring[t.circleRing] : '#d0d6de'), outline: css('#05080d'), outlineWidth: 1.5, size: 12, text: css('#ffffff') };
}

function isPrimitiveSelection(v: object): v is Extract<Selection, { kind: 'track' | 'camera' | 'drone' }> {
  const kind = (v as { kind?: unknown }).kind;
  return kind === 'track' || kind === 'camera' || kind === 'drone';
}
