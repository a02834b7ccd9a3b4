import { EventEmitter } from 'node:events';
import type { SiteEvent } from '../../shared/contract/events';
import { systemClock, type Clock } from './clock';

/** In-process publish/subscribe for push events; the RPC layer streams them to clients. */
export class EventBus {
  private readonly emitter = new EventEmitter();
  constructor(private readonly clock: Clock = systemClock) {
    this.emitter.setMaxListeners(0);
  }

  publish(event: SiteEvent): void {
    this.emitter.emit('event', event);
  }

  /** Async iterator of events until the signal aborts. */
  async *subscribe(signal?: AbortSignal): AsyncGenerator<SiteEvent> {
    const queue: SiteEvent[] = [];
    let wake: (() => void) | undefined;
    const listener = (e: SiteEvent) => {
      queue.push(e);
      wake?.();
    };
    this.emitter.on('event', listener);
    const onAbort = () => wake?.();
    signal?.addEventListener('abort', onAbort);
    try {
      yield { type: 'hello', at: this.clock().toISOString() };
      while (!signal?.aborted) {
        const next = queue.shift();
        if (next) {
          yield next;
          continue;
        }
        await new Promise<void>((resolve) => (wake = resolve));
        wake = undefined;
      }
    } finally {
      this.emitter.off('event', listener);
      signal?.removeEventListener('abort', onAbort);
    }
  }
}
