import type { MessageKey } from '../i18n/messages';
import { useTexts } from '../i18n/lang-context';

/** A table's column headings; a heading named with a class (`num`) aligns like its column. */
export function TableHead({ columns }: { columns: readonly (readonly [MessageKey, string?])[] }) {
  const { t } = useTexts();
  return (
    <thead>
      <tr>
        {columns.map(([key, className]) => (
          <th key={key} scope="col" className={className}>
            {t(key)}
          </th>
        ))}
      </tr>
    </thead>
  );
}
