/**
 * Messages per day as bars, drawn as SVG (no chart library for one chart). Scales to the
 * busiest day; the whole chart is one image with a sentence for screen readers, and each
 * bar has a tooltip with its day and count.
 */
import { useTranslation } from 'react-i18next';

const WIDTH = 600;
const HEIGHT = 160;
const AXIS = 18;

export function MessagesChart({ days }: { days: ReadonlyArray<{ day: string; count: number }> }) {
  const { t, i18n } = useTranslation();
  const peak = days.reduce((best, d) => (d.count > best.count ? d : best), days[0] ?? { day: '', count: 0 });
  const max = Math.max(1, peak.count);
  const slot = WIDTH / Math.max(1, days.length);
  const label = (day: string) =>
    new Date(`${day}T00:00:00Z`).toLocaleDateString(i18n.language, { month: 'short', day: 'numeric', timeZone: 'UTC' });
  const first = days[0];
  const last = days.at(-1);
  return (
    <figure className="admin-chart">
      <figcaption>{t('admin.stats.perDay')}</figcaption>
      <svg
        viewBox={`0 0 ${WIDTH} ${HEIGHT + AXIS}`}
        role="img"
        aria-label={t('admin.stats.chartLabel', {
          from: first ? label(first.day) : '',
          to: last ? label(last.day) : '',
          peakDay: peak.day ? label(peak.day) : '',
          peak: peak.count,
        })}
        preserveAspectRatio="none"
        data-testid="messages-chart"
      >
        <line x1={0} y1={HEIGHT} x2={WIDTH} y2={HEIGHT} className="admin-chart-axis" />
        {days.map((d, i) => {
          const height = (d.count / max) * (HEIGHT - 8);
          return (
            <rect
              key={d.day}
              className="admin-chart-bar"
              x={i * slot + slot * 0.15}
              y={HEIGHT - height}
              width={slot * 0.7}
              height={height}
              data-count={d.count}
            >
              <title>{`${label(d.day)}: ${d.count}`}</title>
            </rect>
          );
        })}
        {first && (
          <text x={0} y={HEIGHT + AXIS - 4} className="admin-chart-label">
            {label(first.day)}
          </text>
        )}
        {last && (
          <text x={WIDTH} y={HEIGHT + AXIS - 4} textAnchor="end" className="admin-chart-label">
            {label(last.day)}
          </text>
        )}
      </svg>
    </figure>
  );
}
