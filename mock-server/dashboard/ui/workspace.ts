import { AlertsPanel } from './alerts-panel.js';
import { ApiError, describeError, type ApiClient } from './api-client.js';
import { loadChoices, type Choices } from './choices.js';
import { CreateForm } from './create-form.js';
import { byId } from './dom.js';
import { KeysTab } from './keys-tab.js';
import { OverviewTab } from './overview-tab.js';
import { setUpTabs } from './tabs.js';
import type { Usage } from './wire.js';

/** How often the visible tab re-reads the API, so counters move without a reload. */
const REFRESH_MS = 5_000;

export interface WorkspaceHooks {
  showError: (message: string) => void;
  clearError: () => void;
  /** The admin key stopped working (deleted, regenerated, deactivated): back to sign-in. */
  signOut: (reason: string) => void;
}

/** The signed-in dashboard: two tabs over one API client, the visible one refreshed every few seconds. */
export class Workspace {
  /** Aborting removes every listener this workspace added to the page's fixed markup. */
  private readonly listeners = new AbortController();
  private readonly resizes = new ResizeObserver(() => this.overview.drawChart());
  private readonly overview: OverviewTab;
  private readonly alerts: AlertsPanel;
  private readonly keys: KeysTab;
  private selected: 'overview' | 'keys' = 'overview';
  private timer: ReturnType<typeof setTimeout> | undefined;

  /** Signs in: the first usage read proves the key works and holds `admin:*`. */
  static async open(api: ApiClient, hooks: WorkspaceHooks): Promise<Workspace> {
    const [usage, choices] = await Promise.all([api.get<Usage>('/usage'), loadChoices()]);
    return new Workspace(api, hooks, usage, { ...choices, environment: usage.environment });
  }

  private constructor(
    private readonly api: ApiClient,
    private readonly hooks: WorkspaceHooks,
    usage: Usage,
    choices: Choices,
  ) {
    const signal = this.listeners.signal;
    const create = new CreateForm(api, choices, signal, () => this.refresh(true));
    this.overview = new OverviewTab({
      cards: byId('stat-cards'),
      chart: byId('volume-chart'),
      perKey: byId('per-key'),
      updatedAt: byId('updated-at'),
      range: () => (document.querySelector<HTMLInputElement>('input[name="range"]:checked')?.value === 'day' ? 'day' : 'hour'),
    });
    this.alerts = new AlertsPanel(api, { list: byId('alerts'), events: byId('alert-events') }, (error) => this.fail(error));
    this.keys = new KeysTab({
      api,
      container: byId('key-list'),
      openCreate: () => create.open(),
      showError: (error) => this.fail(error),
    });

    const badge = byId('environment-badge');
    badge.textContent = `${usage.environment} environment`;
    badge.className = `badge ${usage.environment}`;
    this.overview.render(usage);
    void this.alerts.refresh().catch((error: unknown) => this.fail(error));

    const tablist = byId('workspace').querySelector<HTMLElement>('[role="tablist"]');
    if (!tablist) throw new Error('dashboard markup has no tablist');
    const selectTab = setUpTabs(tablist, signal, (tab) => {
      this.selected = tab.id === 'tab-keys' ? 'keys' : 'overview';
      void this.refresh(true);
    });
    selectTab(byId('tab-overview'));
    byId('open-create').addEventListener('click', () => create.open(), { signal });
    byId('refresh-overview').addEventListener('click', () => void this.refresh(true), { signal });
    for (const radio of document.querySelectorAll('input[name="range"]')) {
      radio.addEventListener('change', () => this.overview.drawChart(), { signal });
    }
    document.addEventListener('visibilitychange', () => !document.hidden && void this.refresh(false), { signal });
    this.resizes.observe(byId('volume-chart'));
    this.schedule();
  }

  stop(): void {
    this.listeners.abort();
    this.resizes.disconnect();
    clearTimeout(this.timer);
  }

  /**
   * Re-reads the visible tab. Polling (`full` false) reads only the usage report, which costs no
   * quota, so an open dashboard never eats into its admin key's rate limit. Errors show as the API
   * worded them.
   */
  async refresh(full: boolean): Promise<void> {
    if (this.listeners.signal.aborted) return;
    try {
      if (this.selected === 'overview') {
        const [usage] = await Promise.all([this.usage(), this.alerts.refresh()]);
        this.overview.render(usage);
      }
      else if (full) await this.keys.refresh();
      else await this.keys.update(await this.usage());
      this.hooks.clearError();
    } catch (error) {
      this.fail(error);
    }
  }

  private usage(): Promise<Usage> {
    return this.api.get<Usage>('/usage');
  }

  private fail(error: unknown): void {
    if (error instanceof ApiError && error.status === 401) this.hooks.signOut(describeError(error));
    else this.hooks.showError(describeError(error));
  }

  // Polls only while the page is visible and no dialog is open, so a re-render never pulls a row
  // out from under a confirmation the user is reading.
  private schedule(): void {
    this.timer = setTimeout(async () => {
      if (!document.hidden && !document.querySelector('dialog[open]')) await this.refresh(false);
      if (!this.listeners.signal.aborted) this.schedule();
    }, REFRESH_MS);
  }
}
