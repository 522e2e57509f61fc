// `npm run soak [-- --minutes N | --quick] [--seed S] [--json]`: install if needed, build, then a fleet under
// random faults and an audit of every fire (packages/soak).
import { prepare } from './bootstrap.mjs';

prepare();
const { main } = await import('../packages/soak/dist/main.js');
process.exit(await main(process.argv.slice(2)));
