// vue-i18n: Simplified Chinese by default, English on request; the choice is remembered on this machine.
import { createI18n } from 'vue-i18n';
import en from './en.ts';
import zhCN from './zh-CN.ts';

export type Locale = 'zh-CN' | 'en';
const STORAGE_KEY = 'skyfence.locale';

export function savedLocale(): Locale {
  return localStorage.getItem(STORAGE_KEY) === 'en' ? 'en' : 'zh-CN';
}

export const i18n = createI18n({
  legacy: false,
  locale: savedLocale(),
  fallbackLocale: 'zh-CN',
  messages: { 'zh-CN': zhCN, en },
});

export function setLocale(locale: Locale): void {
  i18n.global.locale.value = locale;
  localStorage.setItem(STORAGE_KEY, locale);
  document.documentElement.lang = locale;
}

/** Pick the current language's text of a { zh, en } pair from the site pack. */
export function localText(text: { zh: string; en: string } | undefined): string {
  if (!text) return '';
  return i18n.global.locale.value === 'en' ? text.en : text.zh;
}
