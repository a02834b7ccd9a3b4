import { createORPCClient, DynamicLink } from '@orpc/client';
import type { ClientLink } from '@orpc/client';
import { RPCLink as FetchRPCLink } from '@orpc/client/fetch';
import type { StandardLinkInterceptorOptions } from '@orpc/client/standard';
import { RPCLink as MessagePortRPCLink } from '@orpc/client/message-port';
import { RPCLink as WebSocketRPCLink } from '@orpc/client/websocket';
import type { ContractRouterClient } from '@orpc/contract';
import { createTanstackQueryUtils } from '@orpc/tanstack-query';
import type { contract } from '../../shared/contract';
import { ORPC_CLIENT_START_MESSAGE } from '../../shared/electron-bridge';
import type { ExamSiteBridge } from '../../shared/electron-bridge';
import { isUnauthorized } from './errors';
import { clearToken, getToken } from './session';

declare global {
  interface Window {
    /** Exposed by the Electron preload (contextBridge); absent in a LAN browser. */
    examSite?: ExamSiteBridge;
  }
}

export type RpcClient = ContractRouterClient<typeof contract>;
type Context = Record<never, never>;

/** Procedures whose UNAUTHORIZED answer means "wrong credentials", not "session gone". */
const CREDENTIAL_CHECKS = new Set(['auth.signIn', 'auth.setup', 'auth.changePassword']);

let unauthorizedHandler: (() => void) | null = null;

/** Called (once per occurrence) when the server says the session is missing or expired. */
export function onSessionExpired(handler: (() => void) | null): void {
  unauthorizedHandler = handler;
}

function handleUnauthorized(path: readonly string[]): void {
  if (CREDENTIAL_CHECKS.has(path.join('.'))) return;
  if (getToken() === null) return;
  clearToken();
  unauthorizedHandler?.();
}

/** Options every link shares: the bearer token, and the reaction to an expired session. */
const linkOptions = {
  headers: (): Record<string, string> => {
    const token = getToken();
    return token ? { authorization: `Bearer ${token}` } : {};
  },
  interceptors: [
    async (
      options: StandardLinkInterceptorOptions<Context> & { next(): Promise<unknown> },
    ): Promise<unknown> => {
      try {
        return await options.next();
      } catch (error) {
        if (isUnauthorized(error)) handleUnauthorized(options.path);
        throw error;
      }
    },
  ],
};

export type Transport = 'electron' | 'http';

export function detectTransport(): Transport {
  return window.examSite?.platform === 'electron' ? 'electron' : 'http';
}

/**
 * Desktop window: open a MessageChannel and hand one end to the preload, which passes it to the main
 * process (see shared/electron-bridge.ts). Every call, including the event stream, uses this port.
 */
function createMessagePortLink(): ClientLink<Context> {
  const { port1, port2 } = new MessageChannel();
  window.postMessage(ORPC_CLIENT_START_MESSAGE, '*', [port2]);
  const link = new MessagePortRPCLink<Context>({ port: port1, ...linkOptions });
  port1.start();
  return link;
}

function webSocketUrl(): string {
  const protocol = window.location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${protocol}//${window.location.host}/ws`;
}

/**
 * LAN browser: plain calls over HTTP (`/rpc`), the event stream over a WebSocket (`/ws`).
 * The WebSocket is opened on first use and replaced after it closes; the event subscriber
 * (event-stream.ts) re-subscribes with a back-off, which opens the new socket.
 */
function createHttpLink(): ClientLink<Context> {
  const httpLink = new FetchRPCLink<Context>({ url: `${window.location.origin}/rpc`, ...linkOptions });

  let socket: WebSocket | null = null;
  let socketLink: WebSocketRPCLink<Context> | null = null;
  const eventLink = (): WebSocketRPCLink<Context> => {
    if (socket && socketLink && socket.readyState <= WebSocket.OPEN) return socketLink;
    const next = new WebSocket(webSocketUrl());
    next.addEventListener('close', () => {
      if (socket === next) {
        socket = null;
        socketLink = null;
      }
    });
    socket = next;
    socketLink = new WebSocketRPCLink<Context>({ websocket: next, ...linkOptions });
    return socketLink;
  };

  return new DynamicLink<Context>((_options, path) =>
    path[0] === 'system' && path[1] === 'events' ? eventLink() : httpLink,
  );
}

export const transport: Transport = detectTransport();

export const client: RpcClient = createORPCClient<RpcClient>(
  transport === 'electron' ? createMessagePortLink() : createHttpLink(),
);

/** TanStack Query helpers: `orpc.sittings.list.queryOptions()`, `orpc.users.create.mutationOptions()`, keys. */
export const orpc = createTanstackQueryUtils(client);
