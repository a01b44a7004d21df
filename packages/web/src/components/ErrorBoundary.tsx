/**
 * Catches a screen that failed to render or to load — typically a lazy chunk that no
 * longer exists because the server was updated while this tab stayed open — and offers
 * a reload instead of a blank page. (React itself reports the error to the console.)
 */
import { Component, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Button } from './Button.js';

function ReloadPrompt() {
  const { t } = useTranslation();
  return (
    <div className="load-failed" role="alert">
      <p className="load-failed-title">{t('app.loadFailedTitle')}</p>
      <p className="load-failed-body">{t('app.loadFailedBody')}</p>
      <Button onClick={() => window.location.reload()}>{t('app.reload')}</Button>
    </div>
  );
}

export class ErrorBoundary extends Component<{ children: ReactNode }, { failed: boolean }> {
  override state = { failed: false };

  static getDerivedStateFromError() {
    return { failed: true };
  }

  override render() {
    return this.state.failed ? <ReloadPrompt /> : this.props.children;
  }
}
