import { JobChangesSchema, NewJobSchema } from '@tickwork/domain';
import { Type } from 'typebox';

export const JobIdParams = Type.Object({ job_id: Type.String() });
export const JobIdReply = Type.Object({ job_id: Type.String() });

export const createJobSchema = { body: NewJobSchema };
export const modifyJobSchema = { params: JobIdParams, body: JobChangesSchema };
export const jobByIdSchema = { params: JobIdParams };
