// `npm start`: install if needed, build, then run the local stack (see packages/local-services).
import { prepare } from './bootstrap.mjs';

prepare();
const { startLocalStack } = await import('../packages/local-services/dist/index.js');
await startLocalStack();
