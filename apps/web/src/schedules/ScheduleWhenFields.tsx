import { useId } from 'react';
import { FieldError, invalidProps } from '../forms/FieldError';
import { TextField } from '../forms/fields';
import type { ScheduleWhen } from './scheduleForm';

/** "Once at …" or "Repeatedly (cron)": the timing part of every Schedule… form. */
export function ScheduleWhenFields({
  value,
  errors,
  onChange,
  legend = 'When',
}: {
  legend?: string;
  value: ScheduleWhen;
  errors: Record<string, string | undefined>;
  onChange: (patch: Partial<ScheduleWhen>) => void;
}) {
  const id = useId();
  return (
    <fieldset className="fieldset">
      <legend>{legend}</legend>
      <div className="radio-row" role="radiogroup" aria-label="How often">
        <label>
          <input
            type="radio"
            name={`${id}-mode`}
            checked={value.mode === 'once'}
            onChange={() => onChange({ mode: 'once' })}
          />{' '}
          Once
        </label>
        <label>
          <input
            type="radio"
            name={`${id}-mode`}
            checked={value.mode === 'cron'}
            onChange={() => onChange({ mode: 'cron' })}
          />{' '}
          Repeatedly (cron)
        </label>
      </div>
      {value.mode === 'once' ? (
        <div className="field">
          <label htmlFor={`${id}-at`}>Date and time (your local time)</label>
          <input
            id={`${id}-at`}
            type="datetime-local"
            value={value.runAt}
            {...invalidProps(`${id}-at`, errors.runAt)}
            onChange={(e) => onChange({ runAt: e.target.value })}
          />
          <FieldError id={`${id}-at-error`} message={errors.runAt} />
        </div>
      ) : (
        <div className="field-row">
          <TextField
            id={`${id}-cron`}
            label="Cron expression"
            value={value.cron}
            hint="minute hour day month weekday, e.g. 0 2 * * 6 = Saturdays at 02:00"
            error={errors.cron}
            onChange={(cron) => onChange({ cron })}
          />
          <TextField
            id={`${id}-tz`}
            label="Time zone"
            value={value.timezone}
            error={errors.timezone}
            onChange={(timezone) => onChange({ timezone })}
          />
        </div>
      )}
    </fieldset>
  );
}
