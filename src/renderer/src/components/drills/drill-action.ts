// A coordinator's action on the drill, as every drill control runs it: busy while it runs, a success message if
// given, the core's refusal worded (drillErrorText). One place, so that the controls behave alike.
import { ref } from 'vue';
import { ElMessage } from 'element-plus';
import { drillErrorText } from './drill-words.ts';

export function useDrillAction() {
  const busy = ref(false);
  /** Runs `work`; true when it succeeded. */
  async function run(work: () => Promise<unknown>, done?: string): Promise<boolean> {
    busy.value = true;
    try {
      await work();
      if (done) ElMessage.success(done);
      return true;
    } catch (e) {
      ElMessage.error(drillErrorText(e));
      return false;
    } finally {
      busy.value = false;
    }
  }
  return { busy, run };
}
