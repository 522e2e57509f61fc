import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

/** With SEED_DEMO_JOB (npm start sets it), an empty store gets ndscheduler's demo job, as ndscheduler does. */
export default fp(
  async function demoJob(app: FastifyInstance) {
    app.addHook('onReady', async () => {
      if ((await app.store.jobs.count()) > 0) return;
      const jobId = await app.jobService.create(
        {
          name: 'My Awesome Job',
          job_class_string: 'simple_scheduler.jobs.sample_job.AwesomeJob',
          pub_args: ['first argument AAA', 'second argument BBB'],
          minute: '*/1',
        },
        { name: '', role: null },
      );
      app.log.info({ job_id: jobId }, 'seeded the demo job "My Awesome Job"');
    });
  },
  { name: 'demo-job', dependencies: ['services'] },
);
