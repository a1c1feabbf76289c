import { ApiError, errorMessage } from '../api/client';
import { fieldLabel, humanizeApiText } from '../text/humanize';

/** The API's message (never a blank screen), with its details when it has some. */
export function ErrorBox({ error, title }: { error: unknown; title?: string }) {
  if (!error) return null;
  const details = error instanceof ApiError ? (error.body?.details ?? []) : [];
  return (
    <div className="error-box" role="alert">
      {title && <strong>{title}: </strong>}
      {errorMessage(error)}
      {details.length > 0 && (
        <ul>
          {details.map((d, i) => (
            <li key={i}>
              {d.field ? `${fieldLabel(d.field)}: ` : ''}
              {humanizeApiText(d.reason)}
              {d.ref?.name ? ` (${d.ref.name})` : ''}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
