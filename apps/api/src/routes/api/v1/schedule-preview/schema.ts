import { NewJobSchema } from '@tickwork/domain';
import { type Static, Type } from 'typebox';
import { replies } from '../reply-schemas.js';

/**
 * A job's cron fields or crontab line (`cron`) and timezone (as POST /api/v1/jobs takes them) and how many
 * fire times to list.
 */
export const SchedulePreviewBody = Type.Object({
  ...Type.Pick(NewJobSchema, ['month', 'day', 'week', 'day_of_week', 'hour', 'minute', 'second', 'cron', 'timezone'])
    .properties,
  count: Type.Optional(Type.Integer({ minimum: 1, maximum: 20 })),
});
export type SchedulePreviewBody = Static<typeof SchedulePreviewBody>;

export const schedulePreviewSchema = {
  tags: ['jobs'],
  summary: 'The next fire times of cron fields or a crontab line, from the engine that fires the jobs',
  body: {
    ...SchedulePreviewBody,
    examples: [
      { minute: '*/15', hour: '9-17', timezone: 'Europe/Berlin', count: 5 },
      { cron: '*/15 9-17 * * mon-fri', timezone: 'Europe/Berlin', count: 5 },
    ],
  },
  response: replies({
    200: Type.Object(
      { next_run_times: Type.Array(Type.String()), timezone: Type.String() },
      {
        examples: [
          {
            next_run_times: ['2026-11-27T11:15:00.000000+01:00', '2026-11-27T11:30:00.000000+01:00'],
            timezone: 'Europe/Berlin',
          },
        ],
      },
    ),
  }),
};
