/** Audit log events, spelled as ndscheduler spells them. */
export const AuditEvent = {
  added: 'added',
  modified: 'modified',
  deleted: 'deleted',
  paused: 'paused',
  resumed: 'resumed',
  customRun: 'custom_run',
} as const;

export type AuditEvent = (typeof AuditEvent)[keyof typeof AuditEvent];
