import { type FormEvent, useState } from 'react';

/** What {@link useFormSubmit} gives a form: its state and the `onSubmit` handler. */
export interface FormSubmit {
  /** True from the moment the action starts; it stays true after success because the page goes away. */
  busy: boolean;
  /** What the last attempt threw, `null` before the first failure and while retrying. */
  error: unknown;
  /** The form's `onSubmit`: keeps the browser from posting, then runs the action unless a problem blocks it. */
  submit(event: FormEvent): Promise<void>;
}

/**
 * Submits a form once at a time: `busy` while the action runs, `error` when it throws.
 *
 * On success `busy` is left true on purpose: every caller navigates away or is replaced by the signed-in
 * app, so re-enabling the button would only invite a second submission of a spent token.
 *
 * @param action what submitting does; read from the current render, so it sees the current fields.
 * @param problem why the form cannot be sent yet (a validation message), or `null`/omitted when it can.
 */
export function useFormSubmit(action: () => Promise<void>, problem: string | null = null): FormSubmit {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (problem) return;
    setBusy(true);
    setError(null);
    try {
      await action();
    } catch (caught) {
      setError(caught);
      setBusy(false);
    }
  };

  return { busy, error, submit };
}
