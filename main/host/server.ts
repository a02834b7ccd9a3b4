import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import sirv from 'sirv';
import { WebSocketServer } from 'ws';
import type { OpenedCore } from '../core';
import { logger } from '../base/logger';

/** The renderer is served with the same policy the desktop window gets. */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "media-src 'self' blob: mediastream:",
  "font-src 'self' data:",
  "connect-src 'self' ws: wss:",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

export interface SiteHostOptions {
  host: string;
  port: number;
  /** Folder with the built renderer (index.html + assets). */
  rendererDir: string;
}

export interface SiteHost {
  url: string;
  close(): Promise<void>;
}

function clientOf(req: http.IncomingMessage): string {
  const ua = (req.headers['user-agent'] ?? '').slice(0, 60);
  return `${req.socket.remoteAddress ?? '?'} ${ua}`.trim();
}

/** HTTP + WebSocket site host: /rpc (contract over HTTP), /ws (contract and push events), / (the UI). */
export async function startSiteHost(core: OpenedCore, options: SiteHostOptions): Promise<SiteHost> {
  if (!fs.existsSync(path.join(options.rendererDir, 'index.html'))) {
    throw new Error(`找不到界面文件 ${options.rendererDir}/index.html：请先运行 npm run build:renderer`);
  }
  const assets = sirv(options.rendererDir, { single: true, etag: true, gzip: false, dev: false });
  const server = http.createServer((req, res) => {
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.setHeader('X-Frame-Options', 'DENY');
    if (req.url?.startsWith('/rpc/')) {
      core.handleNode(req, res, clientOf(req)).then(
        (matched) => {
          if (!matched) {
            res.statusCode = 404;
            res.end('not found');
          }
        },
        (err: unknown) => {
          logger.error('rpc request failed', err);
          if (!res.headersSent) res.statusCode = 500;
          res.end();
        },
      );
      return;
    }
    res.setHeader('Content-Security-Policy', CONTENT_SECURITY_POLICY);
    assets(req, res);
  });
  const wss = new WebSocketServer({ noServer: true, maxPayload: 32 * 1024 * 1024 });
  server.on('upgrade', (req, socket, head) => {
    if (!req.url?.startsWith('/ws')) {
      socket.destroy();
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => core.attachWebSocket(ws, clientOf(req)));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const addr = server.address() as AddressInfo;
  const shownHost = options.host === '0.0.0.0' ? '127.0.0.1' : options.host;
  return {
    url: `http://${shownHost}:${addr.port}`,
    async close() {
      for (const ws of wss.clients) ws.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
