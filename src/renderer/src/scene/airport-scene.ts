// The 3D airport: a Cesium viewer running offline (bundled NaturalEarthII imagery, ellipsoid terrain,
// no ion), and the site drawn on it layer by layer. It lives outside Vue's reactivity: components hold it in a
// shallowRef and call its methods. Heights: the ellipsoid stands for the aerodrome elevation, so a height of
// h m MSL is drawn at h − elevation (the scene has no terrain to put the airport on).
import type { ClearanceFeature, ClearanceSurfaceName } from '../../../shared/clearance.ts';
import type { SiteView } from '../../../shared/contract.ts';
import type { Alarm, Track } from '../../../shared/domain.ts';
import type { ImagerySource, PerceptionCircle, Runway, SiteFeature } from '../../../shared/site.ts';
import type { LayerId } from '../stores/layers.ts';
import { Cesium, type CesiumModule } from './cesium.ts';
import { LocalEnu } from './local-enu.ts';

export type Selection =
  | { kind: 'feature'; feature: SiteFeature }
  | { kind: 'runway'; runway: Runway }
  | { kind: 'surface'; surface: ClearanceFeature['properties'] }
  | { kind: 'circle'; circle: PerceptionCircle }
  | { kind: 'alarm'; alarmId: string }
  | { kind: 'track'; trackId: string }
  | { kind: 'point'; lon: number; lat: number };

type Entity = CesiumModule.Entity;
type Color = CesiumModule.Color;

const css = (c: string, alpha = 1): Color => Cesium.Color.fromCssColorString(c).withAlpha(alpha);

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
  private readonly trackIndex = new Map<string, { point: CesiumModule.PointPrimitive; label: CesiumModule.Label }>();
  /** Alarm markers, with what they were drawn from, so that only changed alarms are redrawn. */
  private readonly alarmEntities = new Map<string, { entity: Entity; drawn: string }>();
  /** OLS entities by group (the three approach sections are one group). */
  private readonly surfaceEntities = new Map<string, Entity[]>();
  private elevation = 0;
  /** Labels that follow the UI language. */
  private readonly localized: Array<{ entity: Entity; text: { zh: string; en: string } }> = [];
  private locale = 'zh-CN';
  private homeView: { destination: CesiumModule.Cartesian3; orientation: { heading: number; pitch: number; roll: number } } | null = null;

  constructor(container: HTMLElement, opts: { imagery?: ImagerySource; onSelect: (s: Selection) => void }) {
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
    this.trackPoints = scene.primitives.add(new Cesium.PointPrimitiveCollection());
    this.trackLabels = scene.primitives.add(new Cesium.LabelCollection());

    const handler = new Cesium.ScreenSpaceEventHandler(scene.canvas);
    handler.setInputAction((e: { position: CesiumModule.Cartesian2 }) => {
      const picked = scene.pick(e.position) as { id?: unknown } | undefined;
      // Entities carry their selection in a WeakMap; track primitives carry it as their id.
      const id = picked?.id;
      const selection = id && typeof id === 'object' ? this.selections.get(id) ?? (isTrackSelection(id) ? id : undefined) : undefined;
      if (selection) return opts.onSelect(selection);
      const cartesian = this.viewer.camera.pickEllipsoid(e.position, scene.globe.ellipsoid);
      if (!cartesian) return;
      const c = Cesium.Cartographic.fromCartesian(cartesian);
      opts.onSelect({ kind: 'point', lon: Cesium.Math.toDegrees(c.longitude), lat: Cesium.Math.toDegrees(c.latitude) });
    }, Cesium.ScreenSpaceEventType.LEFT_CLICK);
  }

  /** Draws the whole site; call once. */
  load(site: SiteView): void {
    const pack = site.pack;
    this.elevation = pack.aerodrome.elevationM;
    const [lon, lat] = pack.aerodrome.referencePoint;
    const enu = new LocalEnu(lon, lat);
    this.drawRunways(pack.runways);
    for (const f of pack.features.features) this.drawFeature(f);
    for (const c of pack.perceptionCircles) this.drawCircle(c, enu);
    for (const s of site.clearance) this.drawSurface(s);
    this.drawGrid(site);
    this.homeView = {
      destination: Cesium.Cartesian3.fromDegrees(lon - 0.009, lat - 0.036, 3300),
      orientation: { heading: Cesium.Math.toRadians(9), pitch: Cesium.Math.toRadians(-40), roll: 0 },
    };
    this.home(0);
  }

  home(durationS = 1.2): void {
    if (!this.homeView) return;
    if (durationS === 0) this.viewer.camera.setView(this.homeView);
    else this.viewer.camera.flyTo({ ...this.homeView, duration: durationS });
    this.viewer.scene.requestRender();
  }

  flyTo(lon: number, lat: number): void {
    this.viewer.camera.flyTo({
      destination: Cesium.Cartesian3.fromDegrees(lon, lat - 0.02, 2500),
      orientation: { heading: 0, pitch: Cesium.Math.toRadians(-45), roll: 0 },
      duration: 1,
    });
  }

  setLayerVisible(id: LayerId, on: boolean): void {
    if (id === 'grid' && this.gridPrimitive) this.gridPrimitive.show = on;
    if (id === 'runways' && this.markingsPrimitive) this.markingsPrimitive.show = on;
    if (id === 'tracks') {
      this.trackPoints.show = on;
      this.trackLabels.show = on;
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

  showAlarms(alarms: Alarm[], labelOf: (a: Alarm) => string): void {
    const layer = this.layer('alarms');
    const open = new Set(alarms.filter((a) => a.state !== 'closed' && a.position).map((a) => a.id));
    for (const [id, { entity }] of this.alarmEntities) {
      if (!open.has(id)) {
        layer.entities.remove(entity);
        this.alarmEntities.delete(id);
      }
    }
    for (const a of alarms) {
      if (!open.has(a.id) || !a.position) continue;
      const drawn = `${a.state}|${a.severity}|${labelOf(a)}`;
      const existing = this.alarmEntities.get(a.id);
      if (existing?.drawn === drawn) continue;
      if (existing) layer.entities.remove(existing.entity);
      const color = css(COLORS.severity[a.severity]);
      const e = layer.entities.add({
        position: Cesium.Cartesian3.fromDegrees(a.position.lon, a.position.lat, this.h(a.position.altM)),
        point: { pixelSize: a.state === 'new' ? 16 : 11, color, outlineColor: css('#ffffff'), outlineWidth: 2, disableDepthTestDistance: Number.POSITIVE_INFINITY },
        label: {
          text: labelOf(a), font: '600 14px "Noto Sans CJK SC", "Microsoft YaHei", sans-serif', fillColor: css('#ffffff'),
          showBackground: true, backgroundColor: color.withAlpha(0.85), pixelOffset: new Cesium.Cartesian2(0, -22),
          disableDepthTestDistance: Number.POSITIVE_INFINITY,
        },
      });
      this.selections.set(e, { kind: 'alarm', alarmId: a.id });
      this.alarmEntities.set(a.id, { entity: e, drawn });
    }
    this.viewer.scene.requestRender();
  }

  /** Tracks go straight to primitive collections, updated in place. */
  updateTrack(t: Track): void {
    const position = Cesium.Cartesian3.fromDegrees(t.position.lon, t.position.lat, this.h(t.position.altM));
    // Birds and unknowns are drawn grey: the operator's eye should go to drones.
    const color = css(t.classification && t.classification !== 'drone' ? '#9aa5b1' : t.circleRing ? COLORS.ring[t.circleRing] : '#d0d6de');
    const known = this.trackIndex.get(t.id);
    if (known) {
      known.point.position = position;
      known.point.color = color;
      known.label.position = position;
    } else {
      const point = this.trackPoints.add({ id: { kind: 'track', trackId: t.id } satisfies Selection, position, pixelSize: 10, color, outlineColor: css('#000000'), outlineWidth: 1, disableDepthTestDistance: Number.POSITIVE_INFINITY });
      const label = this.trackLabels.add({
        id: { kind: 'track', trackId: t.id } satisfies Selection,
        position, text: t.classification && t.classification !== 'drone' ? `${t.id} (${t.classification})` : t.id, font: '13px sans-serif', fillColor: css('#ffffff'), pixelOffset: new Cesium.Cartesian2(12, -12),
        disableDepthTestDistance: Number.POSITIVE_INFINITY,
      });
      this.trackIndex.set(t.id, { point, label });
    }
    this.viewer.scene.requestRender();
  }

  /** Where a point (m MSL) appears in the scene's canvas, in CSS pixels; null when off screen. */
  project(lon: number, lat: number, altM?: number): { x: number; y: number } | null {
    const p = Cesium.SceneTransforms.worldToWindowCoordinates(this.viewer.scene, Cesium.Cartesian3.fromDegrees(lon, lat, this.h(altM)));
    return p ? { x: p.x, y: p.y } : null;
  }

  removeTrack(id: string): void {
    const known = this.trackIndex.get(id);
    if (!known) return;
    this.trackPoints.remove(known.point);
    this.trackLabels.remove(known.label);
    this.trackIndex.delete(id);
    this.viewer.scene.requestRender();
  }

  /** Milliseconds of work per rendered frame, averaged over n forced frames (for the benchmark). */
  measureRenderMs(frames: number): number {
    const scene = this.viewer.scene;
    const gl = (scene as unknown as { context?: { _gl?: WebGLRenderingContext } }).context?._gl;
    scene.requestRender();
    scene.render();
    gl?.finish();
    const t0 = performance.now();
    for (let i = 0; i < frames; i++) {
      scene.requestRender(); // in request-render mode a frame is drawn only when asked for
      scene.render();
    }
    // Wait for the GPU (SwiftShader here) to finish, so that the figure is work done, not work queued.
    gl?.finish();
    return (performance.now() - t0) / frames;
  }

  setLocale(locale: string): void {
    this.locale = locale;
    for (const { entity, text } of this.localized) {
      if (entity.label) entity.label.text = new Cesium.ConstantProperty(locale === 'en' ? text.en : text.zh);
    }
    this.viewer.scene.requestRender();
  }

  destroy(): void {
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
            style: Cesium.LabelStyle.FILL_AND_OUTLINE, distanceDisplayCondition: new Cesium.DistanceDisplayCondition(0, 30000),
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
            text: p.name.zh, font: '600 14px "Noto Sans CJK SC", sans-serif', fillColor: css('#e8f1fa'), outlineColor: css('#0b1220'), outlineWidth: 3,
            style: Cesium.LabelStyle.FILL_AND_OUTLINE, distanceDisplayCondition: new Cesium.DistanceDisplayCondition(0, 16000),
            disableDepthTestDistance: Number.POSITIVE_INFINITY,
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
          point: { pixelSize: p.kind === 'police-station' ? 14 : 11, color: css(color), outlineColor: css('#ffffff'), outlineWidth: 2, disableDepthTestDistance: Number.POSITIVE_INFINITY },
          label: {
            text: p.name.zh, font: '13px "Noto Sans CJK SC", sans-serif', fillColor: css('#ffffff'), showBackground: true,
            backgroundColor: css('#0b1220', 0.75), pixelOffset: new Cesium.Cartesian2(0, -20),
            distanceDisplayCondition: new Cesium.DistanceDisplayCondition(0, 9000), disableDepthTestDistance: Number.POSITIVE_INFINITY,
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
        text: c.name.zh, font: '600 13px "Noto Sans CJK SC", sans-serif', fillColor: color, outlineColor: css('#000000'), outlineWidth: 3,
        style: Cesium.LabelStyle.FILL_AND_OUTLINE, disableDepthTestDistance: Number.POSITIVE_INFINITY,
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

function isTrackSelection(v: object): v is Extract<Selection, { kind: 'track' }> {
  return (v as { kind?: unknown }).kind === 'track';
}
