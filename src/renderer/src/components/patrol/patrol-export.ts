// Downloads the patrol report of a period (CSV or PDF) through a short-lived media link: the records tab and a
// just-finished run's report both use it.
import { api } from '../../api/instance.ts';

export async function downloadPatrolReport(range: { from: number; to: number }, format: 'csv' | 'pdf', fileName: string): Promise<void> {
  const link = await api.call('patrol.report', { ...range, format });
  const a = document.createElement('a');
  a.href = link.url;
  a.download = fileName;
  a.rel = 'noopener';
  document.body.append(a);
  a.click();
  a.remove();
}
