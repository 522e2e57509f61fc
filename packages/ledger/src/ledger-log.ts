/** The little of a logger the ledger needs: pino's and Fastify's both fit. */
export interface LedgerLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}
