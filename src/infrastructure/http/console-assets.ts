/**
 * The web console (web/, built by `npm run build:console`) served under /console: its hashed assets
 * cached for good, every other path the single page (the console routes in the browser). The page
 * carries no data: it reads the API as the signed-in account, like any other client.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import express, { type NextFunction, type Request, type Response } from 'express';
import helmet from 'helmet';

export const CONSOLE_PATH = '/console';

/** Scripts and styles from the service only; Ant Design injects its styles at run time (style-src 'unsafe-inline'). */
const CONSOLE_POLICY = {
  useDefaults: false,
  directives: {
    defaultSrc: ["'self'"],
    scriptSrc: ["'self'"],
    styleSrc: ["'self'", "'unsafe-inline'"],
    imgSrc: ["'self'", 'data:'],
    fontSrc: ["'self'", 'data:'],
    connectSrc: ["'self'"],
    objectSrc: ["'none'"],
    baseUri: ["'none'"],
    formAction: ["'self'"],
    frameAncestors: ["'none'"],
  },
};

export const consoleHeaders = helmet({ contentSecurityPolicy: CONSOLE_POLICY });

export function serveConsole(app: INestApplication, directory: string): void {
  const root = resolve(directory);
  const page = join(root, 'index.html');
  const assets = express.static(join(root, 'assets'), { immutable: true, maxAge: '365d', index: false });
  app.use(`${CONSOLE_PATH}/assets`, assets);
  app.use(CONSOLE_PATH, (request: Request, response: Response, next: NextFunction) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return next();
    if (request.path.startsWith('/assets/')) {
      response
        .status(404)
        .json({ code: 'CONSOLE_ASSET_NOT_FOUND', message: '控制台文件不存在（可能已更新，请刷新页面）' });
      return;
    }
    if (!existsSync(page)) {
      response
        .status(404)
        .json({ code: 'CONSOLE_NOT_BUILT', message: '控制台尚未构建：请在服务目录运行 npm run build:console 后刷新' });
      return;
    }
    // The page names the current assets: it is revalidated on every visit.
    response.setHeader('Cache-Control', 'no-cache');
    response.sendFile(page);
  });
}
