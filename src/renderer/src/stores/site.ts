import { defineStore } from 'pinia';
import { shallowRef } from 'vue';
import type { SiteView } from '../../../shared/contract/index.ts';
import { api } from '../api/instance.ts';

// The site view is large and never edited here: a shallow ref, not deep reactive state.
export const useSiteStore = defineStore('site', () => {
  const view = shallowRef<SiteView | null>(null);
  async function load(): Promise<SiteView> {
    view.value ??= await api.call('site.get', {});
    return view.value;
  }
  return { view, load };
});
