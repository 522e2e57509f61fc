export { ApiClient, ApiError, type Credentials } from './api-client.js';
export { describeStep, isPaused, jobBody, type PlanStep, planImport, type TransferJob } from './job-transfer.js';
export { buildProgram, type Io } from './program.js';
