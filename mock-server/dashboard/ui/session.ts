// The admin key lives in this tab's sessionStorage only: never in the URL, a cookie or localStorage,
// so it is gone when the tab closes and is never sent anywhere but the API's Authorization header.
const STORAGE_KEY = 'keyguard.adminKey';

export function storedAdminKey(): string | null {
  return sessionStorage.getItem(STORAGE_KEY);
}

export function storeAdminKey(key: string): void {
  sessionStorage.setItem(STORAGE_KEY, key);
}

export function forgetAdminKey(): void {
  sessionStorage.removeItem(STORAGE_KEY);
}
