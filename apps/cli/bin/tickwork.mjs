#!/usr/bin/env node
// The installed command. It exists before the build (npm links bins at install time, and a fresh clone
// installs before it compiles); the program itself is compiled to dist/ by `npm run build` or `npm start`.
await import('../dist/main.js');
