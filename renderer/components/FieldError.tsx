import type { Problem } from '../../shared/result';
import { useTexts } from '../i18n/lang-context';

/** Marks a field invalid and points it at its error, when there is one. */
export function invalid(errorId: string, problem: Problem | null | undefined) {
  return problem ? { 'aria-invalid': true, 'aria-describedby': errorId } : {};
}

/** The till's refusal in words, beside the field it names. */
export function FieldError({ id, problem }: { id: string; problem: Problem | null }) {
  const { problem: text } = useTexts();
  if (!problem) return null;
  return (
    <p id={id} className="field-error" role="alert">
      {text(problem)}
    </p>
  );
}
