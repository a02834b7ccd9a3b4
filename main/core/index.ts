import type { IncomingMessage, ServerResponse } from 'node:http';
import { RPCHandler as NodeRPCHandler } from '@orpc/server/node';
import { RPCHandler as WsRPCHandler } from '@orpc/server/ws';
import type { WebSocket } from 'ws';
import { RPCHandler as PortRPCHandler } from '@orpc/server/message-port';
import { RequestHeadersPlugin } from '@orpc/server/plugins';
import type { StandardHandlerOptions } from '@orpc/server/standard';
import { openDatabase } from '../db';
import { router, type RequestContext } from '../rpc/router';
import { toWireError } from '../rpc/wire-errors';
import { Kernel } from '../base/kernel';
import { createServices, type Services } from './services';
import { seedDemoData, seedReferenceData } from './seed';
import { defaultBackupDir } from '../system/system.service';
import { activeExamSessions } from '../sessions/active-sessions';
import type { Core, CoreOptions, MessagePortLike } from './types';
import { logger } from '../base/logger';
import { createReader } from '../devices/idcard';

export type { Core, CoreOptions, MessagePortLike } from './types';

/** Log the real error of an unexpected failure; the client only gets the wire form. */
function logInternal(error: unknown): void {
  if (toWireError(error).code === 'INTERNAL_SERVER_ERROR') logger.error('procedure failed', error);
}

/**
 * The same options for every transport: request headers in the context (the session token travels as
 * `authorization` on HTTP, WebSocket and MessagePort alike) and errors turned into their wire form.
 */
function handlerOptions(): StandardHandlerOptions<RequestContext> {
  return {
    plugins: [new RequestHeadersPlugin<RequestContext>()],
    clientInterceptors: [
      async (options) => {
        try {
          return await options.next();
        } catch (e) {
          logInternal(e);
          throw toWireError(e);
        }
      },
    ],
  };
}

export interface OpenedCore extends Core {
  services: Services;
  /** Serve one HTTP request under /rpc; false when the path is not an RPC path. */
  handleNode(req: IncomingMessage, res: ServerResponse, client: string): Promise<boolean>;
  /** Serve the contract over one WebSocket connection (push events and calls from LAN clients). */
  attachWebSocket(ws: WebSocket, client: string): void;
}

/** Open the database, seed a fresh one, and serve the contract. Nothing here imports 'electron'. */
export async function openCore(options: CoreOptions): Promise<OpenedCore> {
  const db = await openDatabase({ dataDir: options.dataDir, databaseUrl: options.databaseUrl });
  const kernel = new Kernel(db.knex, { clock: options.clock });
  const fresh = !(await db.knex('audit_log').first('seq'));
  await seedReferenceData(kernel);
  if (options.demo && fresh) await seedDemoData(kernel);
  const services = createServices(db, kernel, {
    demo: options.demo,
    dataDir: options.dataDir,
    backupDir: options.backupDir ?? defaultBackupDir(options.dataDir),
    readerFactory: options.readerFactory ?? ((config) => createReader(config)),
  });
  const zoneProblem = await services.system.loadTimeZone();
  if (zoneProblem) logger.warn(zoneProblem);
  services.system.startSchedule(options.backupIntervalMinutes ?? 30, (m) => logger.info(m));

  const nodeHandler = new NodeRPCHandler(router, handlerOptions());
  const portHandler = new PortRPCHandler(router, handlerOptions());

  const wsHandler = new WsRPCHandler(router, handlerOptions());

  return {
    services,
    async handleNode(req, res, client) {
      const { matched } = await nodeHandler.handle(req, res, {
        prefix: '/rpc',
        context: { services, client },
      });
      return matched;
    },
    attachWebSocket(ws, client) {
      void wsHandler.upgrade(ws, { context: { services, client } });
    },
    attachMessagePort(port: MessagePortLike) {
      // The port's requests carry the session token in their headers, like HTTP requests.
      portHandler.upgrade(port, {
        context: { services, client: 'desktop' },
      });
      port.start();
    },
    async getSetting(key: string) {
      return services.settings.get(key);
    },
    async hasActiveExamSession() {
      return (await activeExamSessions(db.knex, kernel.now())).length > 0;
    },
    async close() {
      services.system.stopSchedule();
      await services.readers.close();
      await db.close();
    },
  };
}
