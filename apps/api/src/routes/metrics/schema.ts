import { Type } from 'typebox';

export const metricsSchema = {
  tags: ['operations'],
  summary: "Prometheus metrics: this API's and the fleet's (runs, lateness, durations, queue, workers)",
  produces: ['text/plain'],
  response: { 200: Type.String({ description: 'Prometheus text exposition format' }) },
};
