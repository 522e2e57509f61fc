import { Fragment } from 'preact';

/** A dotted job_class_string that wraps only after its dots, not inside a name. */
export function ClassName({ value }: { value: string }) {
  return (
    <span class="mono">
      {value.split('.').map((part, i) => (
        <Fragment key={i}>
          {i > 0 && (
            <>
              .<wbr />
            </>
          )}
          {part}
        </Fragment>
      ))}
    </span>
  );
}
