/**
 * Labelled form controls. Each control is tied to its label, its hint and its error by id
 * (aria-describedby), marked aria-invalid when the error shows, and the error line is a
 * live region so a screen reader hears the problem as it appears.
 */
import { type InputHTMLAttributes, type ReactNode, type TextareaHTMLAttributes, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { AlertIcon, EyeIcon } from './icons.js';

interface FieldFrameProps {
  label: string;
  hint?: ReactNode;
  error?: string | undefined;
  /** Live feedback that is not an error (e.g. username availability); replaced by the error when there is one. */
  status?: ReactNode;
  counter?: ReactNode;
}

function useFieldIds() {
  const id = useId();
  return { control: `${id}-control`, hint: `${id}-hint`, message: `${id}-message` };
}

function describedBy(ids: ReturnType<typeof useFieldIds>, hasHint: boolean) {
  return [hasHint ? ids.hint : null, ids.message].filter(Boolean).join(' ');
}

function FieldFrame({
  ids,
  label,
  hint,
  error,
  status,
  counter,
  children,
}: FieldFrameProps & { ids: ReturnType<typeof useFieldIds>; children: ReactNode }) {
  return (
    <div className="field" data-invalid={error ? 'true' : undefined}>
      <div className="field-label-row">
        <label className="field-label" htmlFor={ids.control}>
          {label}
        </label>
        {counter}
      </div>
      {children}
      {hint && (
        <p className="field-hint" id={ids.hint}>
          {hint}
        </p>
      )}
      <div className="field-message" id={ids.message} aria-live="polite">
        {error ? (
          <p className="field-error">
            <AlertIcon />
            <span>{error}</span>
          </p>
        ) : (
          status
        )}
      </div>
    </div>
  );
}

type InputProps = Omit<InputHTMLAttributes<HTMLInputElement>, 'id'> & FieldFrameProps;

export function TextField({ label, hint, error, status, counter, ...input }: InputProps) {
  const ids = useFieldIds();
  return (
    <FieldFrame ids={ids} label={label} hint={hint} error={error} status={status} counter={counter}>
      <input
        className="input"
        id={ids.control}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(ids, Boolean(hint))}
        {...input}
      />
    </FieldFrame>
  );
}

export function PasswordField({ label, hint, error, status, ...input }: Omit<InputProps, 'type'>) {
  const ids = useFieldIds();
  const { t } = useTranslation();
  const [visible, setVisible] = useState(false);
  return (
    <FieldFrame ids={ids} label={label} hint={hint} error={error} status={status}>
      <div className="input-with-action">
        <input
          className="input"
          id={ids.control}
          type={visible ? 'text' : 'password'}
          aria-invalid={error ? true : undefined}
          aria-describedby={describedBy(ids, Boolean(hint))}
          {...input}
        />
        <button
          type="button"
          className="input-action"
          aria-label={visible ? t('auth.hidePassword') : t('auth.showPassword')}
          aria-pressed={visible}
          aria-controls={ids.control}
          onClick={() => setVisible((v) => !v)}
        >
          <EyeIcon open={!visible} />
        </button>
      </div>
    </FieldFrame>
  );
}

type TextAreaProps = Omit<TextareaHTMLAttributes<HTMLTextAreaElement>, 'id'> & FieldFrameProps;

export function TextAreaField({ label, hint, error, status, counter, ...textarea }: TextAreaProps) {
  const ids = useFieldIds();
  return (
    <FieldFrame ids={ids} label={label} hint={hint} error={error} status={status} counter={counter}>
      <textarea
        className="input textarea"
        id={ids.control}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(ids, Boolean(hint))}
        {...textarea}
      />
    </FieldFrame>
  );
}

/** A message about the whole form: errors interrupt (role=alert), confirmations are polite. */
export function FormMessage({ tone, children }: { tone: 'error' | 'success' | 'info'; children?: ReactNode }) {
  if (!children) return <div className="form-message-slot" aria-live="polite" />;
  return (
    <div className={`form-message form-message-${tone}`} role={tone === 'error' ? 'alert' : 'status'}>
      {children}
    </div>
  );
}
