/** The chat list's way to the Threads view, with the count of followed threads that have new replies. */
import { useTranslation } from 'react-i18next';
import { Link } from '../../components/Link.js';
import { ROUTES } from '../../state/router.js';
import { useUnreadThreads } from '../../state/threads.js';
import { ThreadIcon } from './ThreadIcon.js';
import './threads.css';

export function ThreadsNavButton({ active }: { active: boolean }) {
  const { t } = useTranslation();
  const unread = useUnreadThreads();
  return (
    <Link href={ROUTES.threads} className="threads-nav" data-testid="threads-nav" aria-current={active ? 'page' : undefined}>
      <ThreadIcon />
      <span className="threads-nav-label">{t('threads.nav')}</span>
      {unread > 0 && (
        <>
          <span className="unread-badge" data-testid="threads-badge" aria-hidden="true">
            {unread > 99 ? '99+' : unread}
          </span>
          <span className="visually-hidden">{t('threads.navUnread', { count: unread })}</span>
        </>
      )}
    </Link>
  );
}
