export { type ApiConfig, buildApp } from './app.js';
