import type { NextFunction, Request, Response } from 'express';
import type { EngineMetrics } from './engine-metrics';

/** The route template Express matched (`/api/v1/vms/:id/start`), never the raw URL: ids in a label
 * would make one series per object. Requests no route matched share one label. */
export function routeTemplate(req: Request): string {
  const route = (req.route as { path?: unknown } | undefined)?.path;
  return typeof route === 'string' ? `${req.baseUrl}${route}` : 'unmatched';
}

/** Express middleware: observes every request's latency when its answer is complete. */
export function httpMetrics(metrics: EngineMetrics) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const start = process.hrtime.bigint();
    res.once('finish', () => {
      const seconds = Number(process.hrtime.bigint() - start) / 1e9;
      metrics.httpDuration.observe(
        { method: req.method, route: routeTemplate(req), status: String(res.statusCode) },
        seconds,
      );
    });
    next();
  };
}
