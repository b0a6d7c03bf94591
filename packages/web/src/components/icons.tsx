/** Inline SVG icons: no emoji font or icon font is needed on any machine. */
const common = { width: 18, height: 18, viewBox: '0 0 24 24', fill: 'none', stroke: 'currentColor', strokeWidth: 2, strokeLinecap: 'round' as const, strokeLinejoin: 'round' as const, 'aria-hidden': true };

export function SunIcon() {
  return (
    <svg {...common}>
      <circle cx="12" cy="12" r="4" />
      <path d="M12 2v2M12 20v2M4.9 4.9l1.4 1.4M17.7 17.7l1.4 1.4M2 12h2M20 12h2M4.9 19.1l1.4-1.4M17.7 6.3l1.4-1.4" />
    </svg>
  );
}

export function MoonIcon() {
  return (
    <svg {...common}>
      <path d="M21 12.8A9 9 0 1 1 11.2 3a7 7 0 0 0 9.8 9.8z" />
    </svg>
  );
}

export function BellIcon() {
  return (
    <svg {...common} width={14} height={14}>
      <path d="M18 8a6 6 0 0 0-12 0c0 7-3 9-3 9h18s-3-2-3-9" />
      <path d="M13.7 21a2 2 0 0 1-3.4 0" />
    </svg>
  );
}

const FA_STYLES = new Set(['fas', 'far', 'fab']);

/**
 * A home action's icon (Chaster's docs: a FontAwesome 5 name, e.g. `spade` or `fa-spade`; `far
 * fa-x`/`fab fa-x` pick the regular or brands style) drawn with FontAwesome Free 5's icon font.
 * Anything that is not an icon name (an emoji) is shown as it is.
 */
export function HomeActionIcon({ icon }: { icon: string }) {
  const words = icon.trim().split(/\s+/);
  const style = words.find((w) => FA_STYLES.has(w)) ?? 'fas';
  const names = words.filter((w) => !FA_STYLES.has(w)).map((w) => w.replace(/^fa-/, ''));
  if (names.length === 1 && /^[a-z0-9]+(-[a-z0-9]+)*$/.test(names[0]!)) {
    return <i className={`${style} fa-${names[0]} fa-icon`} aria-hidden="true" data-icon={names[0]} />;
  }
  return <span aria-hidden="true">{icon}</span>;
}
