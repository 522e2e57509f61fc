// The plugins' `declare module 'fastify'` augmentations (app.store, app.runQueue, ...) reach users of this
// package only if their files are part of its declarations: hence these imports.
import './plugins/app/access-control.js';
import './plugins/app/execution-reaper.js';
import './plugins/app/metrics.js';
import './plugins/app/fleet.js';
import './plugins/app/reconciler.js';
import './plugins/app/retention.js';
import './plugins/app/route-table.js';
import './plugins/app/services.js';
import './plugins/external/session.js';

export { type ApiConfig, buildApp } from './app.js';
