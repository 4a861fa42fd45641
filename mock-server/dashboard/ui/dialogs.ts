import { byId } from './dom.js';

export interface Confirmation {
  title: string;
  text: string;
  confirmLabel: string;
}

/** Asks before anything that cannot be undone; resolves true only for the confirm button. */
export function confirmAction({ title, text, confirmLabel }: Confirmation): Promise<boolean> {
  const dialog = byId<HTMLDialogElement>('confirm-dialog');
  byId('confirm-title').textContent = title;
  byId('confirm-text').textContent = text;
  byId('confirm-ok').textContent = confirmLabel;
  dialog.returnValue = '';
  dialog.showModal();
  // Cancel has focus first, so Enter right after opening never deletes anything.
  dialog.querySelector<HTMLButtonElement>('button[value="cancel"]')?.focus();
  return closed(dialog).then((value) => value === 'confirm');
}

/**
 * Shows a newly issued key once. The key is only in the input while the dialog is open: closing it
 * clears the value, so the page never holds the key afterwards.
 */
export function revealKey(name: string, key: string): Promise<void> {
  const dialog = byId<HTMLDialogElement>('reveal-dialog');
  const input = byId<HTMLInputElement>('reveal-key');
  const status = byId('copy-status');
  byId('reveal-name').textContent = name;
  input.value = key;
  status.textContent = '';
  dialog.showModal();
  input.focus();
  input.select();
  return closed(dialog).then(() => {
    input.value = '';
    status.textContent = '';
  });
}

/**
 * Resolves with the dialog's return value when it closes. A `close` event is queued, so one from an
 * earlier opening can arrive after the dialog was opened again: events while it is open are ignored.
 */
function closed(dialog: HTMLDialogElement): Promise<string> {
  return new Promise((resolve) => {
    const onClose = (): void => {
      if (dialog.open) return;
      dialog.removeEventListener('close', onClose);
      resolve(dialog.returnValue);
    };
    dialog.addEventListener('close', onClose);
  });
}

export function setUpCopyButton(): void {
  const input = byId<HTMLInputElement>('reveal-key');
  const status = byId('copy-status');
  byId('copy-key').addEventListener('click', async () => {
    try {
      await navigator.clipboard.writeText(input.value);
      status.textContent = 'Copied to the clipboard.';
    } catch {
      // Clipboard access can be refused (permissions, insecure origin): leave the key selected instead.
      input.focus();
      input.select();
      status.textContent = 'Copying was blocked: the key is selected, press Ctrl+C (⌘C) to copy it.';
    }
  });
}

/** Every `[data-close]` button closes its dialog without submitting the form. */
export function setUpCloseButtons(): void {
  for (const button of document.querySelectorAll<HTMLButtonElement>('dialog [data-close]')) {
    button.addEventListener('click', () => button.closest('dialog')?.close('cancel'));
  }
}
