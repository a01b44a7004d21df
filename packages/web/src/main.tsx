/** Start-up: theme first (so nothing flashes), then translations, then the app. */
import '@fontsource-variable/inter';
import './styles/theme.css';
import './styles/base.css';
import './styles/auth.css';
import './styles/shell.css';
import './styles/chat-list.css';
import './styles/conversation.css';
import './styles/dialogs.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.js';
import { ErrorBoundary } from './components/ErrorBoundary.js';
import { setupI18n } from './i18n/index.js';
import { registerServiceWorker } from './push/web-push.js';
import { initPreferences } from './state/preferences.js';
import { SessionProvider } from './state/session.js';

initPreferences();
// Push notifications with the tab closed, and the offline screen (public/sw.js).
registerServiceWorker();
await setupI18n();

const container = document.getElementById('root');
if (!container) throw new Error('index.html has no #root element');
createRoot(container).render(
  <StrictMode>
    <ErrorBoundary>
      <SessionProvider>
        <App />
      </SessionProvider>
    </ErrorBoundary>
  </StrictMode>,
);
