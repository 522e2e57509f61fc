// The store's job model is held to the job contract: every field a job has is stored, with its default.
import { JOB_FIELD_NAMES, jobFieldDefault, jobFieldKind } from '@tickwork/domain';
import mongoose from 'mongoose';
import t from 'tap';
import { jobModel } from '../src/models/job-model.js';

t.test('every contract field has a path of its type and default', async (t) => {
  const schema = jobModel(mongoose.createConnection()).schema;
  for (const field of JOB_FIELD_NAMES) {
    const kind = jobFieldKind(field);
    if (kind === 'json-array') {
      t.equal(schema.path('pub_args_json')?.instance, 'String', `${field}: kept as JSON text`);
      continue;
    }
    const path = schema.path(field);
    t.ok(path, `${field} is stored`);
    if (kind === 'tags') {
      t.equal(path?.instance, 'Array', `${field}: a list of strings`);
      continue;
    }
    const instance = kind === 'chain' ? 'Mixed' : kind.endsWith('integer') ? 'Number' : 'String';
    t.equal(path?.instance, instance, `${field}: ${kind}`);
    const fallback = jobFieldDefault(field);
    if (fallback === undefined) t.ok(path?.isRequired, `${field} is required`);
    else
      t.same(
        (path as unknown as { defaultValue?: unknown } | undefined)?.defaultValue,
        fallback,
        `${field} defaults to ${JSON.stringify(fallback)}`,
      );
  }
});
