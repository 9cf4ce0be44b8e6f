import type { NestExpressApplication } from '@nestjs/platform-express';
import express, { type NextFunction, type Request, type Response, Router } from 'express';
import helmet from 'helmet';
import { join } from 'node:path';

type CspDirectives = NonNullable<
  Exclude<Parameters<typeof helmet.contentSecurityPolicy>[0], undefined>['directives']
>;

/** Where the admin dashboard is served: outside the /api/v1 prefix, like /docs. */
export const DASHBOARD_PATH = '/admin';

/** The page, its stylesheet and its script: copied next to the compiled file by nest-cli assets. */
const PUBLIC_DIR = join(__dirname, 'public');

/**
 * The chart library, served by fixed paths from node_modules (a dependency, so present in the
 * production image too) rather than copied into the repository. Resolved at boot: a missing
 * package stops the start instead of breaking the page later.
 */
const VENDOR_FILES: Readonly<Record<string, string>> = {
  'uplot.iife.min.js': require.resolve('uplot/dist/uPlot.iife.min.js'),
  'uplot.min.css': require.resolve('uplot/dist/uPlot.min.css'),
};

/** The dashboard's own files are not fingerprinted: always revalidated (ETag, 304). */
const OWN_FILES_CACHE = 'no-cache';
/** The vendor files change only with a dependency upgrade, that is a deploy. */
const VENDOR_CACHE = 'public, max-age=3600';

/**
 * The app's Content-Security-Policy made stricter for the dashboard: styles from this origin only
 * (helmet's default also allows https: and 'unsafe-inline' styles). The page has no inline
 * script, style or event handler; its script styles elements through the CSSOM only.
 */
export function dashboardCspDirectives(appDirectives: CspDirectives): CspDirectives {
  return { ...appDirectives, styleSrc: ["'self'"] };
}

function sendFile(file: string, cacheControl: string) {
  return (_req: Request, res: Response, next: NextFunction): void => {
    res.sendFile(
      file,
      { cacheControl: false, headers: { 'Cache-Control': cacheControl } },
      (error) => {
        if (error) next(error);
      },
    );
  };
}

/**
 * Serves the admin dashboard at /admin: static HTML, CSS and a plain script that talks to the
 * public /api/v1 admin API with the admin's own access token. Nothing here knows the API.
 */
export function setupDashboard(app: NestExpressApplication, appDirectives: CspDirectives): void {
  const router = Router();
  router.use(helmet.contentSecurityPolicy({ directives: dashboardCspDirectives(appDirectives) }));
  router.get(['/', '/index.html'], sendFile(join(PUBLIC_DIR, 'index.html'), OWN_FILES_CACHE));
  for (const [name, file] of Object.entries(VENDOR_FILES)) {
    router.get(`/vendor/${name}`, sendFile(file, VENDOR_CACHE));
  }
  router.use(
    express.static(PUBLIC_DIR, {
      index: false,
      redirect: false,
      cacheControl: false,
      setHeaders: (res) => res.setHeader('Cache-Control', OWN_FILES_CACHE),
    }),
  );
  app.use(DASHBOARD_PATH, router);
}
