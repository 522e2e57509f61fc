import { JobBase } from '@tickwork/sdk';

/** Posts a message to Slack through the incoming webhook in SIMPLE_SCHEDULER_SLACK_URL. */
export class SlackJob extends JobBase {
  static override metaInfo() {
    return {
      notes:
        'Sends a message to a Slack channel. Needs the worker to have SIMPLE_SCHEDULER_SLACK_URL and to name it in JOB_ENV_PASSTHROUGH.',
      arguments: [
        { type: 'string', description: 'Channel, e.g. #general' },
        { type: 'string', description: 'Name the message is posted as' },
        { type: 'string', description: 'Icon emoji, e.g. :satellite:' },
        { type: 'string', description: 'The message' },
      ],
      example_arguments: '["#slack-bot-test", "ndscheduler chat bot", ":satellite:", "Standup, team! @here"]',
    };
  }

  async run(channel: unknown, name: unknown, iconEmoji: unknown, message: unknown): Promise<null> {
    const url = process.env.SIMPLE_SCHEDULER_SLACK_URL;
    if (!url) {
      // Jobs get only an allow-listed environment: the worker must be told to pass this one on.
      throw new Error(
        'SlackJob needs the environment variable SIMPLE_SCHEDULER_SLACK_URL: set it for the worker and name it in JOB_ENV_PASSTHROUGH',
      );
    }
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ channel, username: name, icon_emoji: iconEmoji, text: message }),
      signal: this.signal,
    });
    if (!response.ok) throw new Error(`Slack answered ${response.status}: ${await response.text()}`);
    return null;
  }
}
