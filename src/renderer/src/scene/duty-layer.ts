// Patrol duty on the map: the grid cells that hold mandatory points, tinted by coverage (all done green, some
// due amber, any missed red; translucent, on the ground), the points as markers coloured by state with their
// check-in radius, and the mandatory lines as dashed polylines through their points. A few dozen objects: plain
// entities in one data source of their own. A click on a point selects it in the duty store (the panel opens on
// it) instead of selecting a map point. followDutyStore keeps the layer in step with the store and the language.
import { effectScope, watch } from 'vue';
import type { GridCell } from '../../../shared/site.ts';
import type { DutyPlan, DutyStatus, PatrolPointState } from '../../../shared/response.ts';
import { i18n, localText } from '../i18n/index.ts';
import { useDutyStore } from '../stores/duty.ts';
import { useLayerStore } from '../stores/layers.ts';
import { Cesium, type CesiumModule } from './cesium.ts';

export const DUTY_COLORS: Record<PatrolPointState, string> = {
  done: '#3ecf8e',
  due: '#f5a524',
  missed: '#e5484d',
  unassigned: '#9aa5b1',
};
const LINE_COLOR = '#8fd3ff';
const HIGHLIGHT = '#ffe066';
const FONT = '"Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", sans-serif';
/** Point names are drawn only this close: from further out the coloured markers and cells say enough. */
const LABEL_RANGE_M = 5000;

type Entity = CesiumModule.Entity;
const css = (c: string, alpha = 1) => Cesium.Color.fromCssColorString(c).withAlpha(alpha);

/** A cell's colour: any point missed red, all done green, else amber. */
export function cellState(c: DutyStatus['cells'][number]): PatrolPointState {
  return c.missed > 0 ? 'missed' : c.done >= c.required ? 'done' : 'due';
}

export class DutyLayer {
  private readonly source = new Cesium.CustomDataSource('duty');
  private readonly cellsById: Map<string, GridCell>;
  private readonly points = new Map<string, { marker: Entity; area: Entity; drawn: string }>();
  private readonly cells = new Map<string, { entity: Entity; drawn: string }>();
  private readonly entityPoint = new WeakMap<object, string>();
  private plan: DutyPlan | null = null;
  private status: DutyStatus | null = null;
  private selected: string | null = null;

  constructor(private readonly viewer: CesiumModule.Viewer, grid: readonly GridCell[]) {
    this.cellsById = new Map(grid.map((c) => [c.id, c]));
    void viewer.dataSources.add(this.source);
    this.source.show = false;
    // Read-only diagnostics for the end-to-end tests: what the layer draws.
    (window as unknown as { __skyfenceDuty?: unknown }).__skyfenceDuty = {
      pointState: (id: string) => this.pointState(id),
      cellStates: () => this.cellStates(),
    };
  }

  setVisible(on: boolean): void {
    this.source.show = on;
    this.viewer.scene.requestRender();
  }

  /** The points and lines (once the plan is read, and again when the language changes). */
  setPlan(plan: DutyPlan): void {
    this.plan = plan;
    this.source.entities.removeAll();
    this.points.clear();
    this.cells.clear();
    for (const line of plan.lines) {
      const positions = line.pointIds
        .map((id) => plan.points.find((p) => p.id === id)?.position)
        .filter((p): p is [number, number] => Boolean(p))
        .map(([lon, lat]) => Cesium.Cartesian3.fromDegrees(lon, lat, 1.5));
      this.source.entities.add({
        polyline: { positions, width: 2.5, material: new Cesium.PolylineDashMaterialProperty({ color: css(LINE_COLOR, 0.9), dashLength: 18 }) },
      });
    }
    for (const p of plan.points) {
      const position = Cesium.Cartesian3.fromDegrees(p.position[0], p.position[1], 2);
      const area = this.source.entities.add({
        position, ellipse: { semiMajorAxis: p.radiusM, semiMinorAxis: p.radiusM, height: 0.6, material: css(DUTY_COLORS.unassigned, 0.18) },
      });
      const marker = this.source.entities.add({ position });
      this.entityPoint.set(marker, p.id);
      this.entityPoint.set(area, p.id);
      this.points.set(p.id, { marker, area, drawn: '' });
    }
    this.draw();
  }

  setStatus(status: DutyStatus | null): void {
    this.status = status;
    this.draw();
  }

  select(pointId: string | null): void {
    this.selected = pointId;
    this.draw();
  }

  /** True when a picked object is one of this layer's points (then selected in the duty store: the panel opens on it). */
  pick(picked: unknown): boolean {
    const id = picked && typeof picked === 'object' ? this.entityPoint.get(picked) : undefined;
    if (!id || !this.source.show) return false;
    useDutyStore().selectPoint(id);
    return true;
  }

  /** What a point marker shows now (for the end-to-end tests): its state, or null when it is not drawn. */
  pointState(pointId: string): { state: string; shown: boolean; selected: boolean } | null {
    const known = this.points.get(pointId);
    if (!known) return null;
    return { state: known.drawn.split('|')[0], shown: this.source.show, selected: this.selected === pointId };
  }

  cellStates(): Record<string, PatrolPointState> {
    return Object.fromEntries((this.status?.cells ?? []).filter((c) => this.cells.has(c.gridCellId)).map((c) => [c.gridCellId, cellState(c)]));
  }

  destroy(): void {
    this.viewer.dataSources.remove(this.source, true);
  }

  private draw(): void {
    if (!this.plan) return;
    const states = new Map((this.status?.points ?? []).map((p) => [p.pointId, p.state]));
    for (const p of this.plan.points) {
      const known = this.points.get(p.id)!;
      const state = states.get(p.id) ?? 'unassigned';
      const lit = this.selected === p.id;
      const text = `${localText(p.name)} · ${i18n.global.t(`duty.states.${state}`)}`;
      const drawn = `${state}|${lit}|${text}`;
      if (known.drawn === drawn) continue;
      known.drawn = drawn;
      const color = css(DUTY_COLORS[state]);
      known.marker.point = new Cesium.PointGraphics({
        pixelSize: lit ? 16 : 11, color, outlineColor: css(lit ? HIGHLIGHT : '#ffffff'), outlineWidth: lit ? 4 : 2,
        disableDepthTestDistance: Number.POSITIVE_INFINITY, scaleByDistance: new Cesium.NearFarScalar(1500, 1, 20000, 0.6),
      });
      known.marker.label = new Cesium.LabelGraphics({
        text, font: `600 12px ${FONT}`, fillColor: css('#ffffff'), showBackground: true, backgroundColor: color.withAlpha(0.78),
        backgroundPadding: new Cesium.Cartesian2(5, 2), pixelOffset: new Cesium.Cartesian2(0, -14), verticalOrigin: Cesium.VerticalOrigin.BOTTOM,
        distanceDisplayCondition: lit ? undefined : new Cesium.DistanceDisplayCondition(0, LABEL_RANGE_M), disableDepthTestDistance: Number.POSITIVE_INFINITY,
      });
      known.area.ellipse!.material = new Cesium.ColorMaterialProperty(color.withAlpha(lit ? 0.35 : 0.2));
    }
    const shown = new Set<string>();
    for (const c of this.status?.cells ?? []) {
      const cell = this.cellsById.get(c.gridCellId);
      if (!cell || c.required === 0) continue;
      shown.add(c.gridCellId);
      const state = cellState(c);
      const known = this.cells.get(c.gridCellId);
      if (known?.drawn === state) continue;
      if (known) this.source.entities.remove(known.entity);
      const entity = this.source.entities.add({
        polygon: {
          hierarchy: cell.ring.map(([lon, lat]) => Cesium.Cartesian3.fromDegrees(lon, lat)), height: 0.3,
          material: css(DUTY_COLORS[state], 0.26), outline: true, outlineColor: css(DUTY_COLORS[state], 0.8),
        },
      });
      this.cells.set(c.gridCellId, { entity, drawn: state });
    }
    for (const [id, known] of [...this.cells]) {
      if (!shown.has(id)) {
        this.source.entities.remove(known.entity);
        this.cells.delete(id);
      }
    }
    this.viewer.scene.requestRender();
  }
}

/**
 * Keeps a duty layer in step with the duty store (plan, status, selection) and the UI language; reads the store
 * the first time the layer is shown. Returns the stop.
 */
export function followDutyStore(layer: DutyLayer): () => void {
  const store = useDutyStore();
  const layers = useLayerStore();
  const scope = effectScope(true);
  scope.run(() => {
    watch([() => store.plan, () => i18n.global.locale.value], ([plan]) => plan && layer.setPlan(plan), { immediate: true });
    watch(() => store.status, (s) => layer.setStatus(s), { immediate: true });
    watch(() => store.selectedPointId, (id) => layer.select(id), { immediate: true });
    watch(() => layers.visible.duty, (on) => on && !store.plan && void store.load().catch(() => undefined), { immediate: true });
  });
  return () => scope.stop();
}
