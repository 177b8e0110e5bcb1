// Signed out elsewhere (another seat signed this user out, the password was changed, an administrator changed
// the account): the core sends 'session.ended' to this connection. Back to the sign-in screen, with the reason
// in words, and no resume token left that could bring the old session back after a reload.
import { ElMessageBox } from 'element-plus';
import { api } from '../api/instance.ts';
import { i18n } from '../i18n/index.ts';
import { useSessionStore } from '../stores/session.ts';

/** The session store's key for the resume token (stores/session.ts). */
const RESUME_KEY = 'skyfence.resume';

export function watchSessionEnded(): () => void {
  const session = useSessionStore();
  return api.on('session.ended', ({ reason }) => {
    if (!session.user) return;
    sessionStorage.removeItem(RESUME_KEY);
    session.user = null;
    const t = i18n.global.t;
    const known = ['signed-out', 'password-changed', 'account-changed'].includes(reason) ? reason : 'signed-out';
    void ElMessageBox.alert(t(`sessionEnded.${known}`), t('sessionEnded.title'), {
      confirmButtonText: t('sessionEnded.ok'), type: 'warning', customClass: 'session-ended-notice',
    }).catch(() => undefined);
  });
}
