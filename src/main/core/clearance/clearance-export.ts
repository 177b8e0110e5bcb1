// Clearance surfaces as GeoJSON (for the scene and a clearance office's GIS) and as KML.
import type { ClearanceFeature } from '../../../shared/clearance.ts';
import type { ClearanceModel, XYZ } from './clearance-model.ts';

const round = (v: number, digits: number) => Number(v.toFixed(digits));

export function clearanceFeatures(model: ClearanceModel): ClearanceFeature[] {
  const toPosition = (v: XYZ) => {
    const [lon, lat] = model.frame.toLonLat(v);
    return [round(lon, 7), round(lat, 7), round(v.z, 2)];
  };
  return model.surfaces.map((s) => {
    const polygons = s.polygons.map((rings) => rings.map((ring) => ring.map(toPosition)));
    const geometry: ClearanceFeature['geometry'] =
      polygons.length === 1 ? { type: 'Polygon', coordinates: polygons[0] } : { type: 'MultiPolygon', coordinates: polygons };
    return {
      type: 'Feature',
      geometry,
      properties: { surface: s.surface, ...(s.runway ? { runway: s.runway } : {}), slope: s.slope },
    };
  });
}

export function clearanceGeoJson(model: ClearanceModel) {
  return { type: 'FeatureCollection' as const, name: `${model.site.icao} clearance surfaces`, features: clearanceFeatures(model) };
}

const escapeXml = (s: string) => s.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);

export function clearanceKml(model: ClearanceModel): string {
  const ring = (coords: number[][]) => coords.map((c) => c.join(',')).join(' ');
  const polygonKml = (rings: number[][][]) =>
    `<Polygon><altitudeMode>absolute</altitudeMode>` +
    `<outerBoundaryIs><LinearRing><coordinates>${ring(rings[0])}</coordinates></LinearRing></outerBoundaryIs>` +
    rings.slice(1).map((h) => `<innerBoundaryIs><LinearRing><coordinates>${ring(h)}</coordinates></LinearRing></innerBoundaryIs>`).join('') +
    `</Polygon>`;
  const placemarks = clearanceFeatures(model).map((f) => {
    const { surface, runway, slope } = f.properties;
    const polys = f.geometry.type === 'Polygon' ? [f.geometry.coordinates] : f.geometry.coordinates;
    const name = runway ? `${surface} ${runway}` : surface;
    return (
      `<Placemark><name>${escapeXml(name)}</name><ExtendedData>` +
      `<Data name="surface"><value>${surface}</value></Data>` +
      (runway ? `<Data name="runway"><value>${escapeXml(runway)}</value></Data>` : '') +
      `<Data name="slope"><value>${slope}</value></Data></ExtendedData>` +
      (polys.length === 1 ? polygonKml(polys[0]) : `<MultiGeometry>${polys.map(polygonKml).join('')}</MultiGeometry>`) +
      `</Placemark>`
    );
  });
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n<kml xmlns="http://www.opengis.net/kml/2.2"><Document>` +
    `<name>${escapeXml(model.site.icao)} clearance surfaces</name>\n${placemarks.join('\n')}\n</Document></kml>\n`
  );
}
