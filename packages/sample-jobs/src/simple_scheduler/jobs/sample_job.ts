import { JobBase } from '@tickwork/sdk';

/** ndscheduler's sample job: returns its two arguments. */
export class AwesomeJob extends JobBase {
  static override metaInfo() {
    return {
      notes: 'This will print a string in your shell. Check it out!',
      arguments: [
        { type: 'string', description: 'First argument' },
        { type: 'string', description: 'Second argument' },
      ],
      example_arguments: '["first argument AAA", "second argument BBB"]',
    };
  }

  run(argument1: unknown, argument2: unknown): unknown[] {
    this.logger.info(`I am AwesomeJob: ${JSON.stringify(argument1)} ${JSON.stringify(argument2)}`);
    return [argument1, argument2];
  }
}
