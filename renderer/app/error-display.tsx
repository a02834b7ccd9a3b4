import { Alert } from '@mantine/core';
import type { FormErrors } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { describeError } from './errors';

const KNOWN_CODES = [
  'UNAUTHORIZED',
  'FORBIDDEN',
  'BAD_REQUEST',
  'CONFLICT',
  'NOT_FOUND',
  'TOO_MANY_REQUESTS',
  'INTERNAL_SERVER_ERROR',
] as const;
type KnownCode = (typeof KNOWN_CODES)[number];

function isKnownCode(code: string | null): code is KnownCode {
  return code !== null && (KNOWN_CODES as readonly string[]).includes(code);
}

/** The text to show for an error: the server's own (Chinese) message, or a translated fallback. */
export function errorText(error: unknown, t: TFunction): string {
  const info = describeError(error);
  let text: string;
  if (info.message) text = info.message;
  else if (isKnownCode(info.code)) text = t(`error.code.${info.code}`);
  else if (info.code === null) text = t('error.network');
  else text = t('error.unknown');
  // Say how long to wait, unless the server's message already does.
  if (
    info.retryAfterSeconds !== null &&
    info.retryAfterSeconds > 0 &&
    !text.includes(String(info.retryAfterSeconds))
  ) {
    text = `${text} ${t('error.retryAfter', { seconds: info.retryAfterSeconds })}`;
  }
  return text;
}

export function notifyError(error: unknown, t: TFunction): void {
  notifications.show({ color: 'red', title: t('error.title'), message: errorText(error, t) });
}

export function notifySuccess(message: string): void {
  notifications.show({ color: 'green', message });
}

interface FormLike {
  getValues(): object;
  setErrors(errors: FormErrors | ((current: FormErrors) => FormErrors)): void;
}

/**
 * Put the server's field errors (`data.field`, or schema issues) on the form fields they name.
 * Returns true when at least one error landed on a field of this form.
 */
export function applyFormErrors(
  form: FormLike,
  error: unknown,
  options: { inputPrefix?: string } = {},
): boolean {
  const info = describeError(error);
  const values = form.getValues();
  const fieldErrors: FormErrors = {};
  for (const issue of info.fields) {
    // e.g. sittings.update takes { id, data: {...} }: its field `data.name` is the form's `name`.
    const field =
      options.inputPrefix && issue.field.startsWith(options.inputPrefix)
        ? issue.field.slice(options.inputPrefix.length)
        : issue.field;
    const root = field.split('.')[0] ?? '';
    if (root in values && !(field in fieldErrors)) {
      fieldErrors[field] = issue.message || info.message || '';
    }
  }
  if (Object.keys(fieldErrors).length === 0) return false;
  form.setErrors((current) => ({ ...current, ...fieldErrors }));
  return true;
}

/** An inline error under a form, for errors that belong to no single field. */
export function FormError({ error }: { error: unknown }) {
  const { t } = useTranslation();
  if (error === null || error === undefined) return null;
  return (
    <Alert color="red" role="alert" variant="light">
      {errorText(error, t)}
    </Alert>
  );
}
