/**
 * WAI-ARIA tabs: one tab in the Tab order (roving tabindex), arrow keys, Home and End move
 * between tabs and select them, and the selected tab's panel is the only one shown.
 */
export function setUpTabs(
  tablist: HTMLElement,
  signal: AbortSignal,
  onSelect: (tab: HTMLElement) => void,
): (tab: HTMLElement) => void {
  const tabs = [...tablist.querySelectorAll<HTMLElement>('[role="tab"]')];

  function select(tab: HTMLElement, focus = false): void {
    for (const other of tabs) {
      const selected = other === tab;
      other.setAttribute('aria-selected', String(selected));
      other.tabIndex = selected ? 0 : -1;
      const panel = document.getElementById(other.getAttribute('aria-controls') ?? '');
      if (panel) panel.hidden = !selected;
    }
    if (focus) tab.focus();
    onSelect(tab);
  }

  for (const tab of tabs) tab.addEventListener('click', () => select(tab), { signal });
  tablist.addEventListener('keydown', (event) => {
    const current = tabs.indexOf(document.activeElement as HTMLElement);
    if (current < 0) return;
    const target = { ArrowRight: current + 1, ArrowLeft: current - 1, Home: 0, End: tabs.length - 1 }[event.key];
    if (target === undefined) return;
    event.preventDefault();
    const tab = tabs[(target + tabs.length) % tabs.length];
    if (tab) select(tab, true);
  }, { signal });
  return (tab) => select(tab);
}
