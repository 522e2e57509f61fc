/** An error in words, announced to screen readers. */
export function Alert({ message }: { message: string | null }) {
  if (!message) return null;
  return (
    <p class="alert" role="alert">
      {message}
    </p>
  );
}

/** A passing success message, announced politely. */
export function Notice({ message }: { message: string | null }) {
  return (
    <p class="notice" role="status" aria-live="polite">
      {message ?? ''}
    </p>
  );
}
