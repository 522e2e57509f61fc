import { Type } from 'typebox';
import { replies } from '../reply-schemas.js';

const JobClassView = Type.Object(
  {
    job_class_string: Type.String(),
    notes: Type.String(),
    arguments: Type.Array(Type.Object({ type: Type.String(), description: Type.String() })),
    example_arguments: Type.String(),
    required_role: Type.Optional(
      Type.Union([Type.Literal('editor'), Type.Literal('admin')], {
        description:
          'The least role that may create, change or run jobs of this class (JOB_CLASS_ROLES, else the class); absent when no worker says',
      }),
    ),
  },
  {
    examples: [
      {
        job_class_string: 'simple_scheduler.jobs.shell_job.ShellJob',
        notes: 'Runs an executable with its arguments (no shell). The result is its exit code.',
        arguments: [{ type: 'string', description: 'Executable path' }],
        example_arguments: '["/bin/echo", "hello", "world"]',
        required_role: 'admin',
      },
    ],
  },
);

export const listJobClassesSchema = {
  tags: ['jobs'],
  summary: 'The job classes the live workers can run, with notes and argument help',
  response: replies({ 200: Type.Object({ job_classes: Type.Array(JobClassView) }) }),
};
export { JobClassView };
