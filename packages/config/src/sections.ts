/** `.env.example`'s sections, in order, each with the comment that opens it. */
export const SECTIONS = {
  listener: "The API's listener (the web UI is served there too).",
  stores: 'Where the state lives: MongoDB (the source of truth) and Redis (a mirror and the queue).',
  scheduling: 'Scheduling, workers and runs.',
  history: 'Retention and lists.',
  notices: 'Failure notices, health, seeding.',
  auth: 'Authentication (README, "Authentication"). It is on as soon as any user exists.',
  logging: 'Logging.',
  local: 'Local services, for npm start, npm test and npm run bench only.',
} as const;
