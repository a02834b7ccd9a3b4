/**
 * One interface for every second-generation ID card reader (design.md §5, devices.md §1–3).
 * Drivers: the SAM serial protocol (GA/T 467 over a COM port), the vendor Windows SDK in a helper
 * process, and a simulator for demos and tests. A read never blocks the check-in desk: every call is
 * bounded by a timeout, and a card must leave the field before the next read (devices.md §1.7).
 */
import type { EventEmitter } from 'node:events';

export type CardType = 'resident' | 'residence_permit' | 'foreign_pr_2017' | 'foreign_pr_2023';

/** The text of a card as the reader returns it, parsed (devices.md §2). Names keep their spaces. */
export interface CardData {
  cardType: CardType;
  /** Chinese name (resident/permit) or the Chinese name on a foreign PR card, spaces kept. */
  name: string;
  /** English name on foreign PR cards; null otherwise. */
  englishName: string | null;
  gender: '男' | '女' | null;
  /** Ethnicity name for resident cards (民族); null for other cards. */
  ethnicity: string | null;
  /** YYYY-MM-DD */
  birthDate: string | null;
  address: string | null;
  /** The identity number as printed on the card (18 characters, or 15 for the 2017 foreign PR card). */
  idNumber: string;
  issuingAuthority: string | null;
  /** YYYY-MM-DD */
  validFrom: string | null;
  /** YYYY-MM-DD, or 'long-term' for 长期. */
  validUntil: string | null;
  /** Residence permits: the HK/Macau/Taiwan travel-permit number; foreign PR: nationality code. */
  extra: Record<string, string>;
  /** The raw WLT photo blob (1024 bytes) when the reader returned it; decoding needs a vendor library. */
  photoWlt: Uint8Array | null;
  /** A decoded photo (BMP/JPEG bytes) when a vendor decoder provided one. */
  photo: { mime: string; bytes: Uint8Array } | null;
  /**
   * The latest appended address (追加住址, devices.md §2.5) when the driver read it; null when the card
   * has none; absent when the driver did not ask. (Added by the SAM driver; optional, so older code
   * that builds CardData still compiles.)
   */
  appendedAddress?: string | null;
}

export type ReaderStatus =
  | { state: 'closed' }
  | { state: 'opening' }
  | { state: 'ready'; samId: string | null }
  | { state: 'unavailable'; reason: string };

/** Errors a reader reports; `code` is stable, `message` is Chinese and names the fault. */
export class ReaderError extends Error {
  constructor(
    readonly code:
      | 'not_available'
      | 'not_open'
      | 'timeout'
      | 'disconnected'
      | 'no_card'
      | 'card_removed'
      | 'card_not_removed'
      | 'checksum'
      | 'frame'
      | 'unknown_card_type'
      | 'reader_status'
      | 'busy',
    message: string,
    readonly detail?: string,
  ) {
    super(message);
    this.name = 'ReaderError';
  }
}

export interface ReaderEvents {
  status: [ReaderStatus];
  /** A card was read successfully. */
  card: [CardData];
  /** The card left the field (the next read may start). */
  removed: [];
  /** A read failed; the desk shows the message and keeps going. */
  error: [ReaderError];
}

export interface IdCardReader extends EventEmitter<ReaderEvents> {
  /** A short name for the device page, e.g. "SAM 串口 COM3" or "模拟读卡器". */
  readonly description: string;
  open(): Promise<void>;
  status(): ReaderStatus;
  /**
   * Resolve with the next card laid on the reader (find → select → read), or reject with a ReaderError
   * on timeout, abort, or a failed read. A card that was already read must be removed first.
   */
  waitForCard(options?: { signal?: AbortSignal; timeoutMs?: number }): Promise<CardData>;
  /**
   * One read attempt of a card already on the reader. `options` (optional, added by the SAM driver):
   * an AbortSignal that rejects the call at once (code 'timeout', detail 'aborted', as waitForCard).
   */
  read(options?: { signal?: AbortSignal }): Promise<CardData>;
  /** The reader's SAM id (for the audit trail), when the driver can tell. */
  samId(options?: { signal?: AbortSignal }): Promise<string | null>;
  close(): Promise<void>;
}
