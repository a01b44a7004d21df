/** The search box of a console list (people, rooms): the list loads again for what was submitted. */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Button } from '../../components/Button.js';
import { TextField } from '../../components/fields.js';

export function AdminSearch({ label, hint, onSearch }: { label: string; hint?: string; onSearch(query: string): void }) {
  const { t } = useTranslation();
  const [query, setQuery] = useState('');
  return (
    <form
      className="admin-search"
      onSubmit={(event) => {
        event.preventDefault();
        onSearch(query.trim());
      }}
    >
      <TextField label={label} {...(hint && { hint })} value={query} onChange={(e) => setQuery(e.target.value)} />
      <Button type="submit" variant="secondary">
        {t('admin.search')}
      </Button>
    </form>
  );
}
