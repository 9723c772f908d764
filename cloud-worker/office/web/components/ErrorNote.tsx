import { ApiError } from '../api';
import { useTexts } from '../i18n';

/** A refusal in words: the field it names and the server's reason, or that the server is out of reach. */
export function ErrorNote({ error }: { error: unknown }) {
  const { t } = useTexts();
  if (!error) return null;
  let text: string;
  if (error instanceof ApiError) {
    text =
      error.status === 0
        ? t('error.network')
        : error.problem.field && error.problem.field !== '(root)'
          ? `${error.problem.field}: ${error.problem.reason}`
          : error.problem.reason;
  } else {
    text = error instanceof Error ? error.message : String(error);
  }
  return (
    <p role="alert" className="error-note">
      {text}
    </p>
  );
}
