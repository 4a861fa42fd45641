import type { ApiClient } from './api-client.js';
import { confirmAction, revealKey } from './dialogs.js';
import { h } from './dom.js';
import { formatCount, formatDate } from './format.js';
import type { ApiKey, IssuedKey, KeyList } from './wire.js';

export interface KeysTabOptions {
  api: ApiClient;
  container: HTMLElement;
  /** Requests per key id, from the usage endpoint. */
  requestCounts: () => Promise<Map<string, number>>;
  openCreate: () => void;
  showError: (error: unknown) => void;
}

/** The API Keys list: one row per key with its toggle, regenerate and delete. */
export class KeysTab {
  constructor(private readonly options: KeysTabOptions) {}

  async refresh(): Promise<ApiKey[]> {
    const [list, counts] = await Promise.all([
      this.options.api.get<KeyList>('/api-keys'),
      this.options.requestCounts(),
    ]);
    const focus = this.focusedControl();
    this.options.container.replaceChildren(list.data.length ? this.table(list.data, counts) : this.emptyState());
    this.restoreFocus(focus);
    return list.data;
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

  private emptyState(): HTMLElement {
    const create = h('button', { type: 'button', class: 'button primary' }, '+ Create API Key');
    create.addEventListener('click', () => this.options.openCreate());
    return h(
      'div',
      { class: 'card empty' },
      h('p', {}, h('strong', {}, 'No API keys yet.')),
      h('p', { class: 'muted' }, 'Create one to authenticate requests to this mock API.'),
      create,
    );
  }

  private table(keys: ApiKey[], counts: Map<string, number>): HTMLElement {
    const columns = ['Name', 'Environment', 'Prefix', 'Permissions', 'Created', 'Last used', 'Expires', 'Requests', 'Status', 'Actions'];
    const head = h('tr', {}, ...columns.map((label) => h('th', { scope: 'col', class: label === 'Requests' ? 'number' : null }, label)));
    const rows = keys.map((key) => this.row(key, counts.get(key.id) ?? 0));
    return h(
      'div',
      { class: 'table-wrap' },
      h('table', { class: 'responsive', 'aria-label': 'API keys' }, h('thead', {}, head), h('tbody', {}, ...rows)),
    );
  }

  private row(key: ApiKey, requests: number): HTMLTableRowElement {
    const cell = (label: string, ...content: Array<Node | string>): HTMLTableCellElement =>
      h('td', { 'data-label': label, class: label === 'Requests' ? 'number' : null }, ...content);
    return h(
      'tr',
      { 'data-key-id': key.id },
      h(
        'th',
        { scope: 'row', 'data-label': 'Name' },
        h('div', { class: 'key-name' }, key.name),
        key.description ? h('div', { class: 'key-description' }, key.description) : '',
      ),
      cell('Environment', h('span', { class: `badge ${key.environment}` }, key.environment)),
      cell('Prefix', h('code', {}, key.prefix)),
      cell('Permissions', h('span', { class: 'permission-list' }, ...key.permissions.map((p) => h('code', {}, p)))),
      cell('Created', time(key.created_at, 'Unknown')),
      cell('Last used', time(key.last_used, 'Never')),
      cell('Expires', time(key.expires_at, 'Never')),
      cell('Requests', formatCount(requests)),
      cell('Status', this.activeSwitch(key)),
      cell('Actions', this.actions(key)),
    );
  }

  private activeSwitch(key: ApiKey): HTMLElement {
    const input = h('input', {
      type: 'checkbox',
      role: 'switch',
      'aria-label': `Active: ${key.name}`,
      'data-action': 'toggle',
      checked: key.active,
    });
    const state = h('span', {}, key.active ? 'Active' : 'Inactive');
    input.addEventListener('change', () =>
      this.mutate(input, async () => {
        await this.options.api.patch(`/api-keys/${encodeURIComponent(key.id)}`, { active: input.checked });
      }).catch(() => {
        input.checked = !input.checked; // the API said no: show the state it kept
      }),
    );
    return h('label', { class: 'switch' }, input, state);
  }

  private actions(key: ApiKey): HTMLElement {
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
        text: 'The current key stops working immediately. Update every application that uses it with the new key.',
        confirmLabel: 'Regenerate key',
      });
      if (!confirmed) return regenerate.focus();
      await this.mutate(regenerate, async () => {
        const issued = await this.options.api.post<IssuedKey>(`/api-keys/${encodeURIComponent(key.id)}/regenerate`);
        await revealKey(issued.name, issued.key);
      }).catch(() => undefined);
    });
    remove.addEventListener('click', async () => {
      const confirmed = await confirmAction({
        title: `Delete “${key.name}”?`,
        text: 'Requests with this key fail immediately. This cannot be undone.',
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

function time(iso: string | null, empty: string): Node | string {
  return iso ? h('time', { datetime: iso }, formatDate(iso, empty)) : empty;
}

function hidden(text: string): HTMLElement {
  return h('span', { class: 'visually-hidden' }, text);
}
