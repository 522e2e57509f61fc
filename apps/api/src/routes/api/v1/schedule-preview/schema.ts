import { NewJobSchema } from '@tickwork/domain';
import { type Static, Type } from 'typebox';

/** A job's cron fields and timezone (as POST /api/v1/jobs takes them) and how many fire times to list. */
export const SchedulePreviewBody = Type.Object({
  ...Type.Pick(NewJobSchema, ['month', 'day', 'week', 'day_of_week', 'hour', 'minute', 'second', 'timezone'])
    .properties,
  count: Type.Optional(Type.Integer({ minimum: 1, maximum: 20 })),
});
export type SchedulePreviewBody = Static<typeof SchedulePreviewBody>;

export const schedulePreviewSchema = { body: SchedulePreviewBody };
