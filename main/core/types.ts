/**
 * The core as the shells (headless host, Electron main) see it. Everything behind this interface is
 * plain Node: the database, the rules, the audit trail. Nothing here imports 'electron'.
 */
import type { ReaderConfig } from '../../shared/contract/devices';
import type { IdCardReader } from '../devices/idcard/reader';

export interface CoreOptions {
  /** Folder holding the SQLite database, backups and logs. */
  dataDir: string;
  /** When set (postgres://…), PostgreSQL is used instead of the SQLite file in dataDir. */
  databaseUrl?: string | undefined;
  /** Seed demo data (organisation, occupations, one sitting with candidates) into a fresh database. */
  demo: boolean;
  /** Where scheduled and on-demand SQLite backups go; default <dataDir>/backups. */
  backupDir?: string;
  /** Backup schedule in minutes; 0 turns the schedule off. */
  backupIntervalMinutes?: number;
  /** Build the ID card reader for a configuration (tests inject their own); default: the real drivers. */
  readerFactory?: (config: ReaderConfig) => IdCardReader;
  /** The host's clock (tests pin it); default: the system clock. */
  clock?: () => Date;
}

/** The subset of Electron's MessagePortMain (and of Node's worker_threads MessagePort) the core needs. */
export interface MessagePortLike {
  on(event: 'message', listener: (event: { data: unknown }) => void): unknown;
  on(event: 'close', listener: () => void): unknown;
  postMessage(message: unknown): void;
  start(): void;
  close(): void;
}

export interface Core {
  /** Serve the contract over one message port (Electron: one port per window). */
  attachMessagePort(port: MessagePortLike): void;
  /** A setting from the settings table (e.g. 'updater.url'); undefined when unset. */
  getSetting(key: string): Promise<string | undefined>;
  /** True while an exam session is running at this site: the updater must not install then. */
  hasActiveExamSession(): Promise<boolean>;
  close(): Promise<void>;
}
