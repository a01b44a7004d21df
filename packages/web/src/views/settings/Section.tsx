/** A titled card in the settings page; the heading names the region for assistive tech. */
import { type ReactNode, useId } from 'react';

export function Section({
  title,
  description,
  tone,
  children,
}: {
  title: string;
  description?: string;
  tone?: 'danger';
  children: ReactNode;
}) {
  const headingId = useId();
  return (
    <section className={tone === 'danger' ? 'settings-section settings-section-danger' : 'settings-section'} aria-labelledby={headingId}>
      <h2 className="settings-section-title" id={headingId}>
        {title}
      </h2>
      {description && <p className="settings-section-description">{description}</p>}
      {children}
    </section>
  );
}
