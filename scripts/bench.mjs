// `npm run bench [-- --quick] [--json]`: install if needed, build, then measure on a stack of its own.
import { prepare } from './bootstrap.mjs';

prepare();
const { main } = await import('../packages/bench/dist/main.js');
process.exit(await main(process.argv.slice(2)));
