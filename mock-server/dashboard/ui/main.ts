import { ApiClient, ApiError, describeError } from './api-client.js';
import { setUpCloseButtons, setUpCopyButton } from './dialogs.js';
import { byId } from './dom.js';
import { forgetAdminKey, storeAdminKey, storedAdminKey } from './session.js';
import { Workspace } from './workspace.js';

const errorBox = byId('error');
const signInForm = byId<HTMLFormElement>('sign-in-form');
const keyInput = byId<HTMLInputElement>('admin-key');
let workspace: Workspace | undefined;

function showError(message: string): void {
  errorBox.textContent = message;
  errorBox.hidden = false;
}

function clearError(): void {
  errorBox.hidden = true;
  errorBox.textContent = '';
}

function showSignIn(): void {
  workspace?.stop();
  workspace = undefined;
  byId('workspace').hidden = true;
  byId('session').hidden = true;
  byId('sign-in').hidden = false;
  keyInput.value = '';
  keyInput.focus();
}

async function enter(adminKey: string): Promise<void> {
  workspace = await Workspace.open(new ApiClient(adminKey), {
    showError,
    clearError,
    signOut: (reason) => {
      forgetAdminKey();
      showSignIn();
      showError(`Signed out: ${reason}`);
    },
  });
  storeAdminKey(adminKey);
  clearError();
  byId('sign-in').hidden = true;
  byId('workspace').hidden = false;
  byId('session').hidden = false;
  byId('tab-overview').focus();
}

signInForm.addEventListener('submit', async (event) => {
  event.preventDefault();
  const adminKey = keyInput.value.trim();
  if (!adminKey) {
    showError('Enter an admin key: keyguard serve prints one when it starts.');
    keyInput.focus();
    return;
  }
  const button = signInForm.querySelector('button');
  if (button) button.disabled = true;
  try {
    await enter(adminKey);
  } catch (error) {
    showError(describeError(error));
    keyInput.select();
  } finally {
    if (button) button.disabled = false;
  }
});

byId('sign-out').addEventListener('click', () => {
  forgetAdminKey();
  clearError();
  showSignIn();
});

setUpCopyButton();
setUpCloseButtons();

// A reload keeps the session: the key is still in this tab's sessionStorage.
const remembered = storedAdminKey();
if (remembered) {
  enter(remembered).catch((error: unknown) => {
    if (error instanceof ApiError && error.status === 401) forgetAdminKey();
    showSignIn();
    showError(describeError(error));
  });
} else {
  showSignIn();
}
