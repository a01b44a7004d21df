/** In settings, for admins and moderators: the way into the admin console. */
import { useTranslation } from 'react-i18next';
import { Button } from '../../components/Button.js';
import { isStaff } from '../../state/admin.js';
import { navigate, ROUTES } from '../../state/router.js';
import { useMe } from '../../state/session.js';
import { Section } from '../settings/Section.js';

export function AdminEntrySection() {
  const { t } = useTranslation();
  const me = useMe();
  if (!isStaff(me.role)) return null;
  return (
    <Section title={t('admin.entryTitle')} description={t('admin.entryDescription', { role: t(`admin.roles.${me.role}`) })}>
      <div>
        <Button variant="secondary" onClick={() => navigate(ROUTES.admin)}>
          {t('admin.open')}
        </Button>
      </div>
    </Section>
  );
}
