// The cameras on the map: one billboard each, all in one BillboardCollection (hundreds of cameras, never an
// entity apiece), drawn at the mounting height; coloured and shaped by health so that it reads without colour:
// online a green disc, frozen an amber diamond, offline a red square crossed in white, unknown a hollow grey
// ring. A health change redraws only that camera's billboard. Fields of view are translucent wedges on the
// ground (heading ± fov/2 out to the useful range): the selected camera's always, and close up (view under
// ~600 m) those of the cameras nearest the centre of the view, at most MAX_WEDGES.
import type { Camera, CameraHealth, CameraState } from '../../../shared/video.ts';
import { Cesium, type CesiumModule } from './cesium.ts';
import { LocalEnu } from './local-enu.ts';
import type { Selection } from './selection.ts';

/** Views lower than this show the fields of view of the cameras around. */
const WEDGE_VIEW_HEIGHT_M = 600;
const MAX_WEDGES = 60;
const ICON_PX = 22;
const HIGHLIGHT = '#ffe066';

export const HEALTH_COLORS: Record<CameraHealth, string> = {
  online: '#3ecf8e',
  frozen: '#f5a524',
  offline: '#e5484d',
  unknown: '#9aa5b1',
};

type Billboard = CesiumModule.Billboard;

/**
 * One icon per health, drawn once on a canvas and handed over as a data URL: the collection's texture atlas
 * keeps one copy per URL (a canvas object would get a new atlas entry for every billboard).
 */
function healthIcon(health: CameraHealth): string {
  const c = document.createElement('canvas');
  c.width = c.height = ICON_PX;
  const g = c.getContext('2d')!;
  const m = ICON_PX / 2;
  g.lineJoin = 'round';
  g.fillStyle = HEALTH_COLORS[health];
  g.strokeStyle = '#05080d';
  g.lineWidth = 2;
  switch (health) {
    case 'online':
      g.beginPath();
      g.arc(m, m, m - 3, 0, 2 * Math.PI);
      g.fill();
      g.stroke();
      break;
    case 'frozen':
      g.beginPath();
      g.moveTo(m, 1.5);
      g.lineTo(ICON_PX - 1.5, m);
      g.lineTo(m, ICON_PX - 1.5);
      g.lineTo(1.5, m);
      g.closePath();
      g.fill();
      g.stroke();
      break;
    case 'offline':
      g.fillRect(3, 3, ICON_PX - 6, ICON_PX - 6);
      g.strokeStyle = '#ffffff';
      g.strokeRect(3, 3, ICON_PX - 6, ICON_PX - 6);
      g.lineWidth = 2.5;
      g.beginPath();
      g.moveTo(7, 7);
      g.lineTo(ICON_PX - 7, ICON_PX - 7);
      g.moveTo(ICON_PX - 7, 7);
      g.lineTo(7, ICON_PX - 7);
      g.stroke();
      break;
    default:
      g.lineWidth = 3;
      g.strokeStyle = HEALTH_COLORS.unknown;
      g.beginPath();
      g.arc(m, m, m - 4, 0, 2 * Math.PI);
      g.stroke();
  }
  return c.toDataURL();
}

function ringIcon(): string {
  const c = document.createElement('canvas');
  c.width = c.height = 40;
  const g = c.getContext('2d')!;
  g.strokeStyle = HIGHLIGHT;
  g.lineWidth = 3.5;
  g.fillStyle = 'rgba(255, 224, 102, 0.14)';
  g.beginPath();
  g.arc(20, 20, 17, 0, 2 * Math.PI);
  g.fill();
  g.stroke();
  return c.toDataURL();
}


/**
 * A healthy camera fades from across the airport (hundreds of green dots would bury the terminals and their
 * names); an offline or frozen one stays solid at any distance: that is what the operator must see.
 */
function fadeFor(health: CameraHealth): CesiumModule.NearFarScalar | undefined {
  return health === 'online' || health === 'unknown' ? new Cesium.NearFarScalar(1500, 1, 7000, 0.25) : undefined;
}
export class CameraLayer {
  private readonly billboards: CesiumModule.BillboardCollection;
  private readonly ring: Billboard;
  private readonly index = new Map<string, { billboard: Billboard; camera: Camera; health: CameraHealth }>();
  private readonly icons: Record<CameraHealth, string>;
  private wedges: CesiumModule.Primitive | null = null;
  private wedgeKey = '';
  private selectedId: string | null = null;
  private shown = true;

  constructor(private readonly viewer: CesiumModule.Viewer, private readonly heightOf: (msl: number) => number) {
    this.billboards = viewer.scene.primitives.add(new Cesium.BillboardCollection({ scene: viewer.scene }));
    this.icons = { online: healthIcon('online'), frozen: healthIcon('frozen'), offline: healthIcon('offline'), unknown: healthIcon('unknown') };
    this.ring = this.billboards.add({ position: Cesium.Cartesian3.ZERO, image: ringIcon(), show: false, disableDepthTestDistance: Number.POSITIVE_INFINITY });
    // The wedges around follow the view: redrawn when it stops moving.
    viewer.camera.moveEnd.addEventListener(() => this.drawWedges());
  }

  /** Every camera (the whole list, after video.cameras): cameras no longer in it are removed. */
  setCameras(cameras: Iterable<Camera>, states: ReadonlyMap<string, CameraState>): void {
    const keep = new Set<string>();
    for (const camera of cameras) {
      keep.add(camera.id);
      const health = states.get(camera.id)?.health ?? 'unknown';
      const position = Cesium.Cartesian3.fromDegrees(camera.position.lon, camera.position.lat, this.heightOf(camera.position.altM));
      const known = this.index.get(camera.id);
      if (known) {
        known.billboard.position = position;
        known.billboard.image = this.icons[health];
        (known.billboard as { translucencyByDistance: CesiumModule.NearFarScalar | undefined }).translucencyByDistance = fadeFor(health);
        known.camera = camera;
        known.health = health;
        continue;
      }
      const id: Selection = { kind: 'camera', cameraId: camera.id };
      const billboard = this.billboards.add({
        id, position, image: this.icons[health],
        // Big enough to pick close up, small dots from across the airport.
        scaleByDistance: new Cesium.NearFarScalar(300, 1.15, 8000, 0.3),
        translucencyByDistance: fadeFor(health),
        // Cameras on walls and poles stay visible through nearby roofs; far away the buildings hide them.
        disableDepthTestDistance: 4000,
      });
      this.index.set(camera.id, { billboard, camera, health });
    }
    for (const [id, known] of [...this.index]) {
      if (!keep.has(id)) {
        this.billboards.remove(known.billboard);
        this.index.delete(id);
      }
    }
    this.placeRing();
    this.drawWedges(true);
  }

  /** Health changes: only the changed billboards are touched. */
  applyStates(states: CameraState[]): void {
    let changed = false;
    for (const s of states) {
      const known = this.index.get(s.id);
      if (!known || known.health === s.health) continue;
      known.health = s.health;
      known.billboard.image = this.icons[s.health];
      changed = true;
    }
    if (changed) {
      this.drawWedges(true);
      this.viewer.scene.requestRender();
    }
  }

  select(cameraId: string | null): void {
    if (cameraId === this.selectedId) return;
    this.selectedId = cameraId;
    this.placeRing();
    this.drawWedges(true);
  }

  setVisible(on: boolean): void {
    this.shown = on;
    this.billboards.show = on;
    if (this.wedges) this.wedges.show = on;
    this.viewer.scene.requestRender();
  }

  /** Cameras drawn (for the end-to-end tests). */
  count(): number {
    return this.shown ? this.index.size : 0;
  }

  /** How one camera is drawn (for the end-to-end tests). */
  state(id: string): { health: CameraHealth; shown: boolean; lon: number; lat: number; altM: number; selected: boolean } | null {
    const known = this.index.get(id);
    if (!known) return null;
    const p = known.camera.position;
    return { health: known.health, shown: this.shown && known.billboard.show, lon: p.lon, lat: p.lat, altM: p.altM, selected: this.selectedId === id };
  }

  /** Fields of view drawn now. */
  wedgeCount(): number {
    return this.wedgeKey ? this.wedgeKey.split(',').length : 0;
  }

  private placeRing(): void {
    const known = this.selectedId ? this.index.get(this.selectedId) : undefined;
    this.ring.show = Boolean(known);
    if (known) {
      this.ring.position = known.billboard.position;
      // A click on the ring is a click on its camera.
      this.ring.id = known.billboard.id;
    }
    this.viewer.scene.requestRender();
  }

  /** The cameras whose field of view to draw: the selected one, and close up the nearest to the centre of the view. */
  private wedgeCameras(): Camera[] {
    const chosen = new Map<string, Camera>();
    const selected = this.selectedId ? this.index.get(this.selectedId) : undefined;
    if (selected) chosen.set(selected.camera.id, selected.camera);
    const camera = this.viewer.camera;
    if (camera.positionCartographic.height < WEDGE_VIEW_HEIGHT_M) {
      const canvas = this.viewer.scene.canvas;
      const centre = camera.pickEllipsoid(new Cesium.Cartesian2(canvas.clientWidth / 2, canvas.clientHeight / 2), this.viewer.scene.globe.ellipsoid);
      if (centre) {
        const c = Cesium.Cartographic.fromCartesian(centre);
        const [lon0, lat0] = [Cesium.Math.toDegrees(c.longitude), Cesium.Math.toDegrees(c.latitude)];
        const k = Math.cos(c.latitude);
        const near = [...this.index.values()]
          .map(({ camera: cam }) => ({ cam, d2: ((cam.position.lon - lon0) * k) ** 2 + (cam.position.lat - lat0) ** 2 }))
          .sort((a, b) => a.d2 - b.d2);
        for (const { cam } of near) {
          if (chosen.size >= MAX_WEDGES) break;
          chosen.set(cam.id, cam);
        }
      }
    }
    return [...chosen.values()];
  }

  private drawWedges(force = false): void {
    const cameras = this.wedgeCameras();
    const key = cameras.map((c) => c.id).join(',');
    if (!force && key === this.wedgeKey) return;
    this.wedgeKey = key;
    if (this.wedges) this.viewer.scene.primitives.remove(this.wedges);
    this.wedges = null;
    if (cameras.length) {
      const instances = cameras.map((cam) => {
        const selected = cam.id === this.selectedId;
        const health = this.index.get(cam.id)?.health ?? 'unknown';
        const color = Cesium.Color.fromCssColorString(selected ? HIGHLIGHT : HEALTH_COLORS[health]).withAlpha(selected ? 0.32 : 0.16);
        return new Cesium.GeometryInstance({
          geometry: new Cesium.PolygonGeometry({ polygonHierarchy: new Cesium.PolygonHierarchy(wedge(cam)), perPositionHeight: true }),
          attributes: { color: Cesium.ColorGeometryInstanceAttribute.fromColor(color) },
        });
      });
      this.wedges = this.viewer.scene.primitives.add(new Cesium.Primitive({
        geometryInstances: instances,
        appearance: new Cesium.PerInstanceColorAppearance({ flat: true, translucent: true }),
        asynchronous: false,
        show: this.shown,
      }));
    }
    this.viewer.scene.requestRender();
  }
}

/** The ground under a camera's field of view: from the camera's foot along heading ± fov/2 out to its range. */
function wedge(cam: Camera): CesiumModule.Cartesian3[] {
  const enu = new LocalEnu(cam.position.lon, cam.position.lat);
  const h = 0.8;
  const r = cam.rangeM;
  if (cam.fovDeg >= 359) {
    return Array.from({ length: 48 }, (_, i) => {
      const a = (2 * Math.PI * i) / 48;
      return enu.toWorld(r * Math.sin(a), r * Math.cos(a), h);
    });
  }
  const steps = Math.max(4, Math.ceil(cam.fovDeg / 6));
  const points = [enu.toWorld(0, 0, h)];
  for (let i = 0; i <= steps; i++) {
    const a = Cesium.Math.toRadians(cam.headingDeg - cam.fovDeg / 2 + (cam.fovDeg * i) / steps);
    points.push(enu.toWorld(r * Math.sin(a), r * Math.cos(a), h));
  }
  return points;
}
