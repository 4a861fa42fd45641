import { describeError, type ApiClient } from './api-client.js';
import { revealKey } from './dialogs.js';
import { byId, h } from './dom.js';
import type { Choices } from './choices.js';
import type { Environment, IssuedKey } from './wire.js';

const ENVIRONMENT_LABELS: Record<Environment, string> = {
  live: 'Live (production)',
  sandbox: 'Sandbox (testing)',
  test: 'Test',
};

/** The "Create API Key" dialog: posts the form to the API and shows the issued key once. */
export class CreateForm {
  private readonly dialog = byId<HTMLDialogElement>('create-dialog');
  private readonly form = byId<HTMLFormElement>('create-form');
  private readonly error = byId('create-error');

  constructor(
    private readonly api: ApiClient,
    private readonly choices: Choices,
    signal: AbortSignal,
    private readonly onCreated: () => Promise<void>,
  ) {
    this.fillChoices();
    byId<HTMLSelectElement>('key-plan').addEventListener('change', () => this.toggleCustomLimits(), { signal });
    this.form.addEventListener(
      'submit',
      (event) => {
        event.preventDefault(); // the dialog closes only once the API has said yes
        void this.submit();
      },
      { signal },
    );
  }

  open(): void {
    this.form.reset();
    byId<HTMLSelectElement>('key-environment').value = this.choices.environment;
    this.toggleCustomLimits();
    this.showError(undefined);
    this.dialog.showModal();
    byId('key-name').focus();
  }

  private fillChoices(): void {
    byId('key-environment').replaceChildren(
      ...this.choices.environments.map((env) => h('option', { value: env }, ENVIRONMENT_LABELS[env])),
    );
    byId('key-plan').replaceChildren(
      h('option', { value: '' }, 'Server default'),
      ...this.choices.plans.map((plan) => h('option', { value: plan }, capitalise(plan))),
    );
    byId('key-permissions').replaceChildren(
      ...this.choices.permissions.map((permission) =>
        h('label', {}, h('input', { type: 'checkbox', name: 'permissions', value: permission }), h('code', {}, permission)),
      ),
    );
  }

  private toggleCustomLimits(): void {
    const custom = byId<HTMLSelectElement>('key-plan').value === 'enterprise';
    byId('custom-limits').hidden = !custom;
    for (const id of ['key-per-hour', 'key-per-minute']) byId<HTMLInputElement>(id).required = custom;
  }

  private async submit(): Promise<void> {
    const name = byId<HTMLInputElement>('key-name');
    if (!name.value.trim()) {
      this.showError('Give the key a name, such as “Production App”.');
      name.focus();
      return;
    }
    const submit = this.form.querySelector<HTMLButtonElement>('button[type="submit"]');
    if (submit) submit.disabled = true;
    try {
      const issued = await this.api.post<IssuedKey>('/api-keys', this.body());
      this.dialog.close();
      await this.onCreated();
      await revealKey(issued.name, issued.key);
    } catch (error) {
      this.showError(describeError(error));
    } finally {
      if (submit) submit.disabled = false;
    }
  }

  /** Only the fields the user filled in: empty ones are left to the API's defaults. */
  private body(): Record<string, unknown> {
    const data = new FormData(this.form);
    const text = (field: string): string => String(data.get(field) ?? '').trim();
    const body: Record<string, unknown> = {
      name: text('name'),
      environment: text('environment'),
      permissions: data.getAll('permissions').map(String),
    };
    if (text('description')) body.description = text('description');
    if (text('expires_at')) body.expires_at = new Date(text('expires_at')).toISOString();
    const plan = text('plan');
    if (plan) body.plan = plan;
    if (plan === 'enterprise') body.rate_limit = { per_hour: Number(text('per_hour')), per_minute: Number(text('per_minute')) };
    return body;
  }

  private showError(message: string | undefined): void {
    this.error.hidden = message === undefined;
    this.error.textContent = message ?? '';
  }
}

function capitalise(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}
