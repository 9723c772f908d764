import { useEffect, useRef } from 'react';

/**
 * Keys for the frequent actions, e.g. `{ F9: pay, Escape: back }`. A key
 * with modifiers is written `Alt+c`. Keys this till handles never reach the
 * browser (F5 would reload the page mid-sale).
 */
export function useShortcuts(map: Record<string, (() => void) | undefined>, enabled = true): void {
  const ref = useRef(map);
  ref.current = map;
  useEffect(() => {
    if (!enabled) return;
    const onKey = (e: KeyboardEvent) => {
      const name = `${e.ctrlKey ? 'Ctrl+' : ''}${e.altKey ? 'Alt+' : ''}${e.shiftKey && e.key.length > 1 ? 'Shift+' : ''}${e.key.length === 1 ? e.key.toLowerCase() : e.key}`;
      const action = ref.current[name];
      if (action) {
        e.preventDefault();
        e.stopPropagation();
        action();
      } else if (/^F([1-9]|1[0-2])$/.test(e.key) && e.key !== 'F12') {
        e.preventDefault();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [enabled]);
}
