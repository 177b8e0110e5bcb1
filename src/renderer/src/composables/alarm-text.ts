// How an alarm reads to the operator, in the current language.
import { useI18n } from 'vue-i18n';
import type { Alarm } from '../../../shared/domain.ts';
import { localText } from '../i18n/index.ts';

export function useAlarmText() {
  const { t } = useI18n();
  const title = (a: Alarm): string => {
    if (a.type === 'touch-circle') {
      const circle = localText(a.details.circleName as { zh: string; en: string } | undefined) || (a.circleRing ? t(`rings.${a.circleRing}`) : '');
      return t('alarms.touchCircle', { track: String(a.details.trackId ?? ''), circle });
    }
    if (a.type === 'manual') return String(a.details.note || t('alarms.type.manual'));
    if (a.type === 'source-silent') {
      return t('alarms.sourceSilent', { source: localText(a.details.sourceName as { zh: string; en: string } | undefined), detail: String(a.details.detail ?? '') });
    }
    return a.title;
  };
  const short = (a: Alarm): string => `${t(`alarms.type.${a.type}`)} · ${t(`alarms.severity.${a.severity}`)}`;
  return { title, short };
}
