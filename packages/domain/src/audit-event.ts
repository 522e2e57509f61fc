/** Audit log events, spelled as ndscheduler spells them. */
export const AuditEvent = {
  added: 'added',
  modified: 'modified',
  deleted: 'deleted',
  paused: 'paused',
  resumed: 'resumed',
  customRun: 'custom_run',
  /** Tickwork's own: a running execution was asked to stop. */
  stopped: 'stopped',
} as const;

export type AuditEvent = (typeof AuditEvent)[keyof typeof AuditEvent];
