// A local east-north-up frame at a point on the ellipsoid, for laying out runway markings and circles in
// metres. Within a few kilometres its flat-earth error is millimetres; the clearance surfaces themselves
// come computed from the core on the WGS84 ellipsoid.
import { Cesium, type CesiumModule } from './cesium.ts';

export class LocalEnu {
  private readonly toWorldMatrix: CesiumModule.Matrix4;
  private readonly toLocalMatrix: CesiumModule.Matrix4;

  constructor(lon: number, lat: number, private readonly groundHeight = 0) {
    this.toWorldMatrix = Cesium.Transforms.eastNorthUpToFixedFrame(Cesium.Cartesian3.fromDegrees(lon, lat, groundHeight));
    this.toLocalMatrix = Cesium.Matrix4.inverseTransformation(this.toWorldMatrix, new Cesium.Matrix4());
  }

  toLocal(lon: number, lat: number): { x: number; y: number } {
    const p = Cesium.Matrix4.multiplyByPoint(this.toLocalMatrix, Cesium.Cartesian3.fromDegrees(lon, lat, this.groundHeight), new Cesium.Cartesian3());
    return { x: p.x, y: p.y };
  }

  /** A world position x east, y north of the origin, at height h above the ellipsoid. */
  toWorld(x: number, y: number, h: number): CesiumModule.Cartesian3 {
    const p = Cesium.Matrix4.multiplyByPoint(this.toWorldMatrix, new Cesium.Cartesian3(x, y, 0), new Cesium.Cartesian3());
    const c = Cesium.Cartographic.fromCartesian(p);
    return Cesium.Cartesian3.fromRadians(c.longitude, c.latitude, h);
  }
}
