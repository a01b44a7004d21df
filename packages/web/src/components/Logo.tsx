/** The Parley mark: a speech bubble on the brand colour. */
export function Logo({ size = 40 }: { size?: number }) {
  return (
    <svg className="logo" aria-hidden="true" focusable="false" width={size} height={size} viewBox="0 0 64 64">
      <rect width="64" height="64" rx="18" fill="var(--color-accent)" />
      <path d="M20 16h24a8 8 0 0 1 8 8v12a8 8 0 0 1-8 8H32l-9 7v-7h-3a8 8 0 0 1-8-8V24a8 8 0 0 1 8-8z" fill="var(--color-on-accent)" />
      <circle cx="24" cy="30" r="2.8" fill="var(--color-accent)" />
      <circle cx="32" cy="30" r="2.8" fill="var(--color-accent)" />
      <circle cx="40" cy="30" r="2.8" fill="var(--color-accent)" />
    </svg>
  );
}
