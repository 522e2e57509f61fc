import { Type } from 'typebox';
import { JobClassView } from '../job-classes/schema.js';
import { replies } from '../reply-schemas.js';

const WorkerView = Type.Object(
  {
    worker_id: Type.String(),
    hostname: Type.String(),
    pid: Type.Integer(),
    started: Type.String(),
    concurrency: Type.Integer(),
    tags: Type.Array(Type.String(), {
      description: 'its WORKER_TAGS: it runs untagged jobs and those whose worker_tags it has all of',
    }),
    running: Type.Integer({ description: 'runs executing now' }),
    executions: Type.Array(Type.String(), { description: 'the executions it holds (running or being recorded)' }),
    job_classes: Type.Array(JobClassView),
    last_heartbeat: Type.String(),
  },
  {
    examples: [
      {
        worker_id: '9f37c02f5564403fb8648859bd7d76d5',
        hostname: 'host-a',
        pid: 4242,
        started: '2026-11-27T09:00:00.000Z',
        concurrency: 10,
        tags: ['backup', 'eu'],
        running: 1,
        executions: ['1752e360a7b54af18386a598e1a52acb'],
        job_classes: [],
        last_heartbeat: '2026-11-27T10:00:00.000Z',
      },
    ],
  },
);

export const listWorkersSchema = {
  tags: ['workers'],
  summary: 'Live worker processes; one that stops its heartbeat drops out within 3 heartbeats',
  response: replies({ 200: Type.Object({ workers: Type.Array(WorkerView) }) }),
};
