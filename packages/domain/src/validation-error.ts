/** Input that cannot be accepted; `field` names what is wrong so the API can say so. */
export class ValidationError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
    this.name = 'ValidationError';
  }
}
