import type { ApiClient } from './api-client.js';
import { AUDIT_RULES, auditKey, worstVerdict } from './audit-rules.js';
import { confirmAction, revealKey } from './dialogs.js';
import { h } from './dom.js';
import { formatCount, formatDate } from './format.js';
import type { ApiKey, IssuedKey, KeyList, Usage } from './wire.js';

const SIGNED_IN_WARNING = 'The dashboard is signed in with this key and will sign out.';

export interface KeysTabOptions {
  api: ApiClient;
  container: HTMLElement;
  openCreate: () => void;
  showError: (error: unknown) => void;
}

/** The API Keys list: one row per key with its toggle, regenerate and delete. */
export class KeysTab {
  /** Which keys the table shows (ids, names, prefixes, states), to notice when they change elsewhere. */
  private shown = '';
  /** The server's clock minus the browser's, from the last usage report: the audit judges on the mock's time. */
  private clockOffset = 0;

  constructor(private readonly options: KeysTabOptions) {}

  /**
   * Moves the request counters and last-used dates in place from a usage report (which costs no
   * quota); re-reads the whole list only when keys were added, removed, renamed, regenerated or toggled.
   */
  async update(usage: Usage): Promise<void> {
    this.clockOffset = Date.parse(usage.now) - Date.now();
    if (signature(usage.keys) !== this.shown) {
      await this.refresh();
      return;
    }
    for (const key of usage.keys) {
      const row = this.options.container.querySelector(`tr[data-key-id="${CSS.escape(key.id)}"]`);
      row?.querySelector('[data-label="Requests"]')?.replaceChildren(requestCounter(key.usage));
      row?.querySelector('[data-label="Last used"]')?.replaceChildren(time(key.last_used));
    }
  }

  async refresh(): Promise<void> {
    const list = await this.options.api.get<KeyList>('/api-keys');
    const own = this.signedInKeyId(list.data);
    const focus = this.focusedControl();
    // The list always holds the key the dashboard signed in with, so "empty" means no other key.
    const others = list.data.some((key) => key.id !== own);
    this.options.container.replaceChildren(this.table(list.data, own), ...(others ? [] : [this.emptyState()]));
    this.restoreFocus(focus);
    this.shown = signature(list.data);
  }

  /** Which row and control had keyboard focus, so a re-render can put it back. */
  private focusedControl(): { keyId: string; action: string } | undefined {
    const active = document.activeElement;
    if (!(active instanceof HTMLElement) || !this.options.container.contains(active)) return undefined;
    const keyId = active.closest<HTMLElement>('[data-key-id]')?.dataset.keyId;
    return keyId && active.dataset.action ? { keyId, action: active.dataset.action } : { keyId: '', action: '' };
  }

  // The same control in the new rows; if its row is gone (deleted), the create button.
  private restoreFocus(focus: { keyId: string; action: string } | undefined): void {
    if (!focus) return;
    const selector = `[data-key-id="${CSS.escape(focus.keyId)}"] [data-action="${CSS.escape(focus.action)}"]`;
    const target = focus.keyId ? this.options.container.querySelector<HTMLElement>(selector) : null;
    (target ?? document.getElementById('open-create'))?.focus();
  }

  /** The id of the key the dashboard is signed in with, when exactly one listed prefix matches it. */
  private signedInKeyId(keys: ApiKey[]): string | undefined {
    const matches = keys.filter((key) => this.options.api.presents(key.prefix));
    return matches.length === 1 ? matches[0]?.id : undefined;
  }

  private emptyState(): HTMLElement {
    const create = h('button', { type: 'button', class: 'button primary' }, 'Create a key');
    create.addEventListener('click', () => this.options.openCreate());
    return h(
      'div',
      { class: 'card empty' },
      h('p', {}, h('strong', {}, 'No API keys yet besides the one you signed in with.')),
      h('p', { class: 'muted' }, 'Create one key per integration, so each can be rotated or revoked on its own.'),
      create,
    );
  }

  private table(keys: ApiKey[], own: string | undefined): HTMLElement {
    const columns = ['Name', 'Environment', 'Prefix', 'Permissions', 'Created', 'Last used', 'Expires', 'Requests', 'Audit', 'Status', 'Actions'];
    const head = h('tr', {}, ...columns.map((label) => h('th', { scope: 'col', class: label === 'Requests' ? 'number' : null }, label)));
    const rows = keys.map((key) => this.row(key, key.id === own));
    return h(
      'div',
      { class: 'table-wrap' },
      h('table', { class: 'responsive', 'aria-label': 'API keys' }, h('thead', {}, head), h('tbody', {}, ...rows)),
    );
  }

  private row(key: ApiKey, own: boolean): HTMLTableRowElement {
    const cell = (label: string, ...content: Array<Node | string>): HTMLTableCellElement =>
      h('td', { 'data-label': label, class: label === 'Requests' ? 'number' : null }, ...content);
    return h(
      'tr',
      { 'data-key-id': key.id },
      h(
        'th',
        { scope: 'row', 'data-label': 'Name' },
        h('div', { class: 'key-name' }, key.name, own ? h('span', { class: 'badge you' }, 'signed in') : ''),
        key.description ? h('div', { class: 'key-description' }, key.description) : '',
      ),
      cell('Environment', h('span', { class: `badge ${key.environment}` }, key.environment)),
      cell('Prefix', h('code', {}, key.prefix)),
      cell('Permissions', h('span', { class: 'permission-list' }, ...key.permissions.map((p) => h('code', {}, p)))),
      cell('Created', time(key.created_at)),
      cell('Last used', time(key.last_used)),
      cell('Expires', time(key.expires_at)),
      cell('Requests', requestCounter(key.usage)),
      cell('Audit', auditBadge(key, Date.now() + this.clockOffset)),
      cell('Status', this.activeSwitch(key, own)),
      cell('Actions', this.actions(key, own)),
    );
  }

  private activeSwitch(key: ApiKey, own: boolean): HTMLElement {
    const input = h('input', {
      type: 'checkbox',
      role: 'switch',
      'aria-label': `Active: ${key.name}`,
      'data-action': 'toggle',
      checked: key.active,
    });
    const state = h('span', {}, key.active ? 'Active' : 'Inactive');
    input.addEventListener('change', async () => {
      const active = input.checked;
      if (own && !active) {
        const confirmed = await confirmAction({
          title: `Deactivate “${key.name}”?`,
          text: `${SIGNED_IN_WARNING} It stops working until it is activated again.`,
          confirmLabel: 'Deactivate key',
        });
        if (!confirmed) {
          input.checked = true;
          return input.focus();
        }
      }
      await this.mutate(input, () => this.options.api.patch(`/api-keys/${encodeURIComponent(key.id)}`, { active })).catch(
        () => {
          input.checked = !active; // the API said no: show the state it kept
        },
      );
    });
    return h('label', { class: 'switch' }, input, state);
  }

  private actions(key: ApiKey, own: boolean): HTMLElement {
    const warning = own ? `${SIGNED_IN_WARNING} ` : '';
    const regenerate = h(
      'button',
      { type: 'button', class: 'button link', 'data-action': 'regenerate' },
      'Regenerate',
      hidden(` ${key.name}`),
    );
    const remove = h(
      'button',
      { type: 'button', class: 'button link danger-text', 'data-action': 'delete' },
      'Delete',
      hidden(` ${key.name}`),
    );
    regenerate.addEventListener('click', async () => {
      const confirmed = await confirmAction({
        title: `Regenerate “${key.name}”?`,
        text: `${warning}The current key stops working immediately. Update every application that uses it with the new key.`,
        confirmLabel: 'Regenerate key',
      });
      if (!confirmed) return regenerate.focus();
      let issued: IssuedKey | undefined;
      await this.mutate(regenerate, async () => {
        issued = await this.options.api.post<IssuedKey>(`/api-keys/${encodeURIComponent(key.id)}/regenerate`);
      }).catch(() => undefined);
      if (!issued) return;
      // The list already shows the new prefix behind the modal; afterwards focus goes back to the row.
      await revealKey(issued.name, issued.key);
      this.restoreFocus({ keyId: key.id, action: 'regenerate' });
    });
    remove.addEventListener('click', async () => {
      const confirmed = await confirmAction({
        title: `Delete “${key.name}”?`,
        text: `${warning}Requests with this key fail immediately. This cannot be undone.`,
        confirmLabel: 'Delete key',
      });
      if (!confirmed) return remove.focus();
      await this.mutate(remove, () => this.options.api.delete(`/api-keys/${encodeURIComponent(key.id)}`)).catch(
        () => undefined,
      );
    });
    return h('div', { class: 'actions' }, regenerate, remove);
  }

  /** Runs one change with its control disabled, shows an API error as it is, then re-reads the list. */
  private async mutate(control: HTMLInputElement | HTMLButtonElement, change: () => Promise<unknown>): Promise<void> {
    control.disabled = true;
    try {
      await change();
    } catch (error) {
      this.options.showError(error);
      throw error;
    } finally {
      control.disabled = false;
    }
    await this.refresh().catch(this.options.showError);
  }
}

/**
 * What `keyguard audit` says of the key, with the same rules and default thresholds: the worst
 * finding as a badge with its reason, every other reason in the badge's list.
 */
function auditBadge(key: ApiKey, now: number): HTMLElement {
  const verdicts = auditKey(key, now);
  const worst = worstVerdict(verdicts);
  if (!worst) return h('span', { class: 'badge audit-ok', 'data-audit': 'ok' }, 'OK');
  const reasons = verdicts.map((verdict) => `${AUDIT_RULES[verdict.ruleId].shortDescription}: ${verdict.reason}`);
  const more = verdicts.length > 1 ? ` +${verdicts.length - 1}` : '';
  return h(
    'div',
    { class: 'audit', 'data-audit': worst.ruleId },
    h('span', { class: `badge audit-${worst.severity}`, title: reasons.join('\n') }, `${AUDIT_RULES[worst.ruleId].label}${more}`),
    h('div', { class: 'key-description' }, worst.reason),
  );
}

/** The total since the key was created, then today's count. */
function requestCounter(usage: ApiKey['usage']): HTMLElement {
  return h(
    'span',
    {},
    formatCount(usage.requests_total),
    h('span', { class: 'key-description' }, ` (${formatCount(usage.requests_today)} today)`),
  );
}

function signature(keys: ReadonlyArray<Pick<ApiKey, 'id' | 'name' | 'prefix' | 'active'>>): string {
  return JSON.stringify(keys.map(({ id, name, prefix, active }) => [id, name, prefix, active]));
}

/** A `<time>`, or "Never" where the API has no date (never used, never expires). */
function time(iso: string | null): Node | string {
  return iso ? h('time', { datetime: iso }, formatDate(iso)) : 'Never';
}

function hidden(text: string): HTMLElement {
  return h('span', { class: 'visually-hidden' }, text);
}
