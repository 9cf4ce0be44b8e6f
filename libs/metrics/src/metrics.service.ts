import { Injectable } from '@nestjs/common';
import type { RequestHandler } from 'express';
import { collectDefaultMetrics, Histogram, Registry } from 'prom-client';
import { observeHttpRequests } from './http-metrics';

@Injectable()
export class MetricsService {
  private readonly registry = new Registry();
  private readonly httpDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request duration in seconds, by method, route pattern and status code',
    labelNames: ['method', 'route', 'status_code'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }

  httpMiddleware(): RequestHandler {
    return observeHttpRequests((labels, seconds) => {
      this.httpDuration.observe(labels, seconds);
    });
  }

  render(): Promise<string> {
    return this.registry.metrics();
  }
}
