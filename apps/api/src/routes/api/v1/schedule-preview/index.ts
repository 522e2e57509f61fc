import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Config } from '@tickwork/config';
import { formatTime, normalizeSchedule, triggerFor } from '@tickwork/domain';
import { schedulePreviewSchema } from './schema.js';

const DEFAULT_COUNT = 5;

/**
 * POST /api/v1/schedule-preview: the next fire times of a schedule, from the engine the workers fire by, so
 * the job dialog shows what will happen rather than a guess. Fields are checked as for a job (400 naming
 * the field); the timezone defaults to TIMEZONE, as for a new job.
 */
const schedulePreview: FastifyPluginAsyncTypebox<{ config: Config }> = async (app, opts) => {
  app.post('/', { schema: schedulePreviewSchema, config: { access: 'viewer' } }, async (request) => {
    const { count = DEFAULT_COUNT, timezone = opts.config.timezone, ...fields } = request.body;
    const schedule = normalizeSchedule(fields, timezone);
    const trigger = triggerFor(schedule);
    const times: string[] = [];
    for (let at = trigger.nextFireTime(Date.now()); at !== null && times.length < count; ) {
      times.push(formatTime(at, timezone));
      at = trigger.nextFireTime(at + 1);
    }
    return { next_run_times: times, timezone };
  });
};

export default schedulePreview;
