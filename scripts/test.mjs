// `npm test`: install if needed, build, provide MongoDB-wire and Redis, run the tap suite.
import { prepare } from './bootstrap.mjs';

prepare();
const { runTestSuite } = await import('../packages/local-services/dist/index.js');
process.exit(await runTestSuite(process.argv.slice(2)));
