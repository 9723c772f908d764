import { type ReactNode, useEffect, useId, useRef } from 'react';
import { useTexts } from '../i18n/lang-context';

/** A modal dialog: labelled, Escape closes it, focus starts on its first field. */
export function Dialog({
  title,
  onClose,
  children,
  wide = false,
}: {
  title: string;
  onClose: () => void;
  children: ReactNode;
  /** For a dialog that shows facts side by side rather than a short form. */
  wide?: boolean;
}) {
  const id = useId();
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    ref.current?.querySelector<HTMLElement>('input, select, button')?.focus();
  }, []);
  return (
    <div className="backdrop">
      <div
        ref={ref}
        className={wide ? 'dialog wide' : 'dialog'}
        role="dialog"
        aria-modal="true"
        aria-labelledby={id}
        onKeyDown={(e) => {
          if (e.key === 'Escape') {
            e.stopPropagation();
            onClose();
          }
        }}
      >
        <h2 id={id}>{title}</h2>
        {children}
      </div>
    </div>
  );
}

/** Cancel (Esc) and OK (Enter), the end of every dialog's form. */
export function DialogActions({ onCancel }: { onCancel(): void }) {
  const { t } = useTexts();
  return (
    <div className="dialog-actions">
      <button type="button" onClick={onCancel}>
        {t('action.cancel')} <kbd>Esc</kbd>
      </button>
      <button type="submit" className="primary">
        {t('action.ok')} <kbd>Enter</kbd>
      </button>
    </div>
  );
}
