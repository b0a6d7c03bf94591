import { isPlainObject, type BridgeUi } from './protocol.js';

export interface ApplyThemeOptions {
  /** Where the variables go. Default: `document.documentElement`. */
  target?: HTMLElement;
  /** Variable prefix (default `--chastify-`): `bg` → `--chastify-bg`, `isDark` → `--chastify-is-dark`. */
  prefix?: string;
  /** Also toggle this class for dark themes (e.g. `dark` for Tailwind's class strategy). Default: none. */
  darkClass?: string | false;
}

const kebab = (key: string) => key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`).replace(/[^a-z0-9-]/gi, '');

/**
 * The CSS custom properties for a `ui` object: every string, number and boolean field
 * (`bg`, `text`, `border`, `theme`, `isDark` as 1/0, and anything else a host sends).
 */
export function themeVariables(ui: BridgeUi | Record<string, unknown>, prefix = '--chastify-'): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(ui)) {
    const name = kebab(key);
    if (!name) continue;
    if (typeof value === 'string' && value.length <= 200) out[`${prefix}${name}`] = value;
    else if (typeof value === 'number' && Number.isFinite(value)) out[`${prefix}${name}`] = String(value);
    else if (typeof value === 'boolean') out[`${prefix}${name}`] = value ? '1' : '0';
  }
  return out;
}

export function isDarkUi(ui: BridgeUi | Record<string, unknown>): boolean {
  return ui.isDark === true || ui.theme === 'dark';
}

/**
 * Applies a host `ui` to the page: CSS custom properties (see `themeVariables`),
 * `color-scheme`, and `data-chastify-theme="light|dark"` (plus `darkClass` when asked). Use them
 * in CSS: `body { background: var(--chastify-bg); color: var(--chastify-text) }`.
 */
export function applyTheme(ui: BridgeUi | Record<string, unknown>, options: ApplyThemeOptions = {}): void {
  if (!isPlainObject(ui)) return;
  const target = options.target ?? document.documentElement;
  for (const [name, value] of Object.entries(themeVariables(ui, options.prefix))) target.style.setProperty(name, value);
  const dark = isDarkUi(ui);
  target.style.setProperty('color-scheme', dark ? 'dark' : 'light');
  target.setAttribute('data-chastify-theme', dark ? 'dark' : 'light');
  if (options.darkClass) target.classList.toggle(options.darkClass, dark);
}
