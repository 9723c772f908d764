import { useEffect, useRef } from 'react';

/**
 * Keys for the frequent actions, e.g. `{ F9: pay, Escape: back }`. A key
 * with modifiers is written `Alt+c`. An action that returns `false` leaves
 * the key to the field it was typed in. Function keys never reach the
 * browser (F5 would reload the page mid-sale).
 */
export function useShortcuts(map: Record<string, (() => unknown) | undefined>, enabled = true): void {
  const ref = useRef(map);
  ref.current = map;
  useEffect(() => {
    if (!enabled) return;
    const onKey = (e: KeyboardEvent) => {
      const name = `${e.ctrlKey ? 'Ctrl+' : ''}${e.altKey ? 'Alt+' : ''}${e.shiftKey && e.key.length > 1 ? 'Shift+' : ''}${e.key.length === 1 ? e.key.toLowerCase() : e.key}`;
      const action = ref.current[name];
      if (action && action() !== false) {
        e.preventDefault();
        e.stopPropagation();
      } else if (/^F([1-9]|1[0-2])$/.test(e.key) && e.key !== 'F12') {
        e.preventDefault();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [enabled]);
}
