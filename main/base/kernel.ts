/**
 * The kernel every service is built on: the database, the host's clock, the site's time zone and the
 * event bus. A change runs in `kernel.transaction(fn)`: the transaction carries the time of the change
 * (taken once from the host's clock, so the row and its audit entry agree) and the events the change
 * publishes, which reach subscribers only after the commit — whether the change came from a user's call or
 * from a timer.
 */
import type { Knex } from 'knex';
import type { SiteEvent } from '../../shared/contract/events';
import { DEFAULT_TIME_ZONE } from '../../shared/domain/site-time';
import { EventBus } from './events';
import { systemClock, type Clock } from './clock';
import type { PersonalDataCipher } from './personal-data-cipher';

/** A site event as a service publishes it: `at` is filled in from the change's time. */
export type EventInput = SiteEvent extends infer E
  ? E extends { at: string }
    ? Omit<E, 'at'>
    : never
  : never;

interface ChangeState {
  at: Date;
  pending: SiteEvent[];
}

const changes = new WeakMap<object, ChangeState>();

export interface KernelOptions {
  clock?: Clock | undefined;
  events?: EventBus | undefined;
  timeZone?: string | undefined;
  /** The site key's cipher for personal data (main/privacy/ loads the key); required to store ID numbers. */
  cipher?: PersonalDataCipher | undefined;
}

export class Kernel {
  readonly clock: Clock;
  readonly events: EventBus;
  /** The site's time zone (setting `site.timeZone`, default Asia/Shanghai) for messages and printouts. */
  timeZone: string;
  private readonly personalData: PersonalDataCipher | undefined;

  constructor(
    readonly knex: Knex,
    options: KernelOptions = {},
  ) {
    this.clock = options.clock ?? systemClock;
    this.events = options.events ?? new EventBus(this.clock);
    this.timeZone = options.timeZone ?? DEFAULT_TIME_ZONE;
    this.personalData = options.cipher;
  }

  /** Encrypts ID numbers, photos and stored previews, and makes the blind index (personal-data-cipher.ts). */
  get cipher(): PersonalDataCipher {
    if (!this.personalData) throw new Error('the personal-data key was not loaded into this kernel');
    return this.personalData;
  }

  now(): Date {
    return this.clock();
  }

  nowIso(): string {
    return this.clock().toISOString();
  }

  /**
   * Run one change in a transaction. `changeAt(trx)` is its time on the host's clock; events queued with
   * `publishAfterCommit(trx, …)` are published once the transaction has committed, never on a rollback.
   */
  async transaction<T>(fn: (trx: Knex.Transaction) => Promise<T>): Promise<T> {
    const state: ChangeState = { at: this.clock(), pending: [] };
    const result = await this.knex.transaction(async (trx) => {
      changes.set(trx, state);
      return fn(trx);
    });
    for (const event of state.pending) this.events.publish(event);
    return result;
  }

  /** Publish an event that belongs to no database change (e.g. a device state). */
  publish(event: EventInput): void {
    this.events.publish({ ...event, at: this.nowIso() });
  }
}

function stateOf(trx: Knex.Transaction): ChangeState {
  const state = changes.get(trx);
  if (!state) {
    throw new Error(
      'this transaction was not opened with kernel.transaction(): it has no host time or events',
    );
  }
  return state;
}

/** The time of the change this transaction makes (the host's clock, taken when the change began). */
export function changeAt(trx: Knex.Transaction): Date {
  return stateOf(trx).at;
}

/** `changeAt(trx)` as it is stored (ISO 8601, UTC). */
export function changeAtIso(trx: Knex.Transaction): string {
  return stateOf(trx).at.toISOString();
}

/** Queue an event for when this transaction commits; its `at` is the change's time. */
export function publishAfterCommit(trx: Knex.Transaction, event: EventInput): void {
  const state = stateOf(trx);
  state.pending.push({ ...event, at: state.at.toISOString() });
}
