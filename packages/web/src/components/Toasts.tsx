/** The short notes of state/toasts.ts, announced politely to screen readers. */
import { useTranslation } from 'react-i18next';
import { useStore } from '../state/store.js';
import { dismissToast, toastStore } from '../state/toasts.js';
import { CrossIcon } from './icons.js';

export function Toasts() {
  const { t } = useTranslation();
  const toasts = useStore(toastStore, (all) => all);
  return (
    <div className="toasts" role="status" aria-live="polite">
      {toasts.map((toast) => (
        <div key={toast.id} className={`toast toast-${toast.tone}`}>
          <span>{toast.text}</span>
          <button type="button" className="toast-close" aria-label={t('common.dismiss')} onClick={() => dismissToast(toast.id)}>
            <CrossIcon size={14} />
          </button>
        </div>
      ))}
    </div>
  );
}
