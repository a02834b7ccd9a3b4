/**
 * The JSON-over-stdio protocol between the app (vendor-sdk-driver.ts) and the ID card helper process
 * (helper-main.ts), which loads the vendor DLL (devices.md §3).
 *
 * - One JSON object per line, UTF-8, '\n' terminated. Both sides ignore empty lines.
 * - The helper speaks first, exactly once: a hello line,
 *     {"hello":{"protocol":1,"flavour":"sdtapi","dllPath":"C:\\…\\sdtapi.dll","arch":"ia32","pid":123}}
 *   or, when it cannot work on this machine (no DLL, not Windows, wrong bitness…),
 *     {"hello":{"protocol":1,"unavailable":"未找到读卡器厂商驱动 termb.dll（仅支持 Windows）","pid":123}}
 *   An unavailable helper stays alive and answers every request with error 'not_available' until its
 *   stdin closes, so the app decides when it goes away.
 * - The app sends requests {"id":7,"method":"read","params":{}}; methods: open, status, read, samId, close.
 *   The helper answers each request exactly once, in order: {"id":7,"ok":true,"result":{…}} or
 *   {"id":7,"ok":false,"error":{"code":"no_card","message":"未检测到身份证…"}}. Error codes are the
 *   ReaderError codes of reader.ts; messages are Chinese and meant for the desk.
 * - The helper handles one request at a time (vendor DLLs are half-duplex and not thread-safe); the app
 *   sends the next request only after the previous answer (or after killing a helper that did not answer).
 * - The helper exits when its stdin ends (the app closed it or died), closing the port first.
 * - Vendor DLLs sometimes print to stdout themselves. The helper therefore starts every message with a
 *   '\n', so that stray text without a newline ends up on a line of its own; every line that is not a
 *   valid message is reported by the app as garbage and otherwise ignored.
 *
 * Binary data (the raw 256-byte card text, the WLT photo, a decoded BMP) travels as base64.
 */
import { z } from 'zod';
import type { ReaderError } from '../reader';

export const PROTOCOL_VERSION = 1;

/** The two vendor SDK flavours the helper can drive (devices.md §3.1, §3.2 Huashi). */
export const FLAVOURS = ['sdtapi', 'termb'] as const;
export type Flavour = (typeof FLAVOURS)[number];

export const METHODS = ['open', 'status', 'read', 'samId', 'close'] as const;
export type HelperMethod = (typeof METHODS)[number];

export type ReaderErrorCode = ReaderError['code'];

/** Every ReaderError code; the `satisfies` plus the check below keep the list in step with reader.ts. */
export const READER_ERROR_CODES = [
  'not_available',
  'not_open',
  'timeout',
  'disconnected',
  'no_card',
  'card_removed',
  'card_not_removed',
  'checksum',
  'frame',
  'unknown_card_type',
  'reader_status',
  'busy',
] as const satisfies readonly ReaderErrorCode[];
type MissingCodes = Exclude<ReaderErrorCode, (typeof READER_ERROR_CODES)[number]>;
const _allCodesListed: MissingCodes extends never ? true : MissingCodes = true;
void _allCodesListed;

const READER_ERROR_CODE_SET: ReadonlySet<string> = new Set(READER_ERROR_CODES);
export function isReaderErrorCode(code: string): code is ReaderErrorCode {
  return READER_ERROR_CODE_SET.has(code);
}

/** Lines longer than this are dropped as garbage (the largest real message, a BMP photo, is ~60 kB). */
export const MAX_LINE_BYTES = 1024 * 1024;

// ---- schemas -------------------------------------------------------------------------------------

const base64 = (maxChars: number) => z.base64().max(maxChars);
const text = z.string().max(2000);

export const openParamsSchema = z.strictObject({
  /** A port number (1001–1016 USB, 1–16 COM); absent = scan USB 1001–1016, then COM 1–16. */
  port: z.number().int().min(1).max(9999).optional(),
});
export type OpenParams = z.infer<typeof openParamsSchema>;
const emptyParamsSchema = z.strictObject({});

export const requestSchema = z.discriminatedUnion('method', [
  z.strictObject({ id: z.number().int().positive(), method: z.literal('open'), params: openParamsSchema }),
  z.strictObject({ id: z.number().int().positive(), method: z.literal('status'), params: emptyParamsSchema }),
  z.strictObject({ id: z.number().int().positive(), method: z.literal('read'), params: emptyParamsSchema }),
  z.strictObject({ id: z.number().int().positive(), method: z.literal('samId'), params: emptyParamsSchema }),
  z.strictObject({ id: z.number().int().positive(), method: z.literal('close'), params: emptyParamsSchema }),
]);
export type HelperRequest = z.infer<typeof requestSchema>;

export const openResultSchema = z.strictObject({ port: z.number().int(), samId: text.nullable() });
export type OpenResult = z.infer<typeof openResultSchema>;

export const statusResultSchema = z.strictObject({
  open: z.boolean(),
  port: z.number().int().nullable(),
  /** What the DLL said about the reader (e.g. SDT_GetSAMStatus); null when it cannot tell. */
  healthy: z.boolean().nullable(),
});
export type StatusResult = z.infer<typeof statusResultSchema>;

export const samIdResultSchema = z.strictObject({ samId: text.nullable() });
export type SamIdResult = z.infer<typeof samIdResultSchema>;

export const closeResultSchema = z.strictObject({});
export type CloseResult = z.infer<typeof closeResultSchema>;

/**
 * Card fields as a vendor API returns them already decoded (Huashi termb getters, GBK → string), trimmed
 * but otherwise as the DLL gave them: dates may be YYYYMMDD or YYYY-MM-DD, gender may be 男/女 or 1/2.
 */
export const cardFieldsSchema = z.strictObject({
  /** GetCertType: ' '/'' resident, 'J' HK/Macau/Taiwan residence permit, 'I' foreign PR 2017, 'Y' 2023. */
  certType: text.nullable(),
  /** GetPeopleName: the Chinese name, or the English name on foreign PR cards. */
  name: text,
  /** GetPeopleChineseName: the Chinese name on foreign PR cards. */
  chineseName: text.nullable(),
  gender: text.nullable(),
  /** GetPeopleNation: ethnicity name (resident) or nationality (foreign PR). */
  ethnicity: text.nullable(),
  /** GetNationCode: the GB 3304 code (resident) or GB/T 2659 country code (foreign PR). */
  ethnicityCode: text.nullable(),
  birthDate: text.nullable(),
  address: text.nullable(),
  idNumber: text,
  issuingAuthority: text.nullable(),
  validFrom: text.nullable(),
  validUntil: text.nullable(),
});
export type CardFields = z.infer<typeof cardFieldsSchema>;

export const readResultSchema = z
  .strictObject({
    /** The raw card text file (normally 256 bytes, UCS-2LE, devices.md §2.1), when the API gives it. */
    text: base64(8192).nullable(),
    /** The raw WLT photo (1024 bytes), when the API gives it. */
    photoWlt: base64(8192).nullable(),
    /** A decoded photo (BMP) when the vendor API decoded it (Huashi GetBMPData / zp.bmp). */
    photoBmp: base64(400_000).nullable(),
    /** Fields decoded by the vendor API (Huashi getters); null for sdtapi, which only gives raw text. */
    fields: cardFieldsSchema.nullable(),
  })
  .refine((r) => r.text !== null || r.fields !== null, { message: 'text or fields required' });
export type ReadResult = z.infer<typeof readResultSchema>;

export interface ResultTypes {
  open: OpenResult;
  status: StatusResult;
  read: ReadResult;
  samId: SamIdResult;
  close: CloseResult;
}
export interface ParamTypes {
  open: OpenParams;
  status: Record<string, never>;
  read: Record<string, never>;
  samId: Record<string, never>;
  close: Record<string, never>;
}

export const RESULT_SCHEMAS: { [M in HelperMethod]: z.ZodType<ResultTypes[M]> } = {
  open: openResultSchema,
  status: statusResultSchema,
  read: readResultSchema,
  samId: samIdResultSchema,
  close: closeResultSchema,
};

export const helperErrorSchema = z.strictObject({
  code: z.string().min(1).max(64),
  message: z.string().max(2000),
  detail: z.string().max(4000).optional(),
});
export type HelperError = z.infer<typeof helperErrorSchema>;

export const responseSchema = z.union([
  z.strictObject({ id: z.number().int().positive(), ok: z.literal(true), result: z.unknown() }),
  z.strictObject({ id: z.number().int().positive(), ok: z.literal(false), error: helperErrorSchema }),
]);
export type HelperResponse = z.infer<typeof responseSchema>;

export const helloSchema = z.strictObject({
  hello: z.union([
    z.strictObject({
      protocol: z.literal(PROTOCOL_VERSION),
      flavour: z.enum(FLAVOURS),
      dllPath: text,
      arch: z.string().max(32),
      pid: z.number().int(),
    }),
    z.strictObject({
      protocol: z.literal(PROTOCOL_VERSION),
      unavailable: z.string().min(1).max(2000),
      pid: z.number().int(),
    }),
  ]),
});
export type HelperHello = z.infer<typeof helloSchema>['hello'];

// ---- encoding ------------------------------------------------------------------------------------

/** One message as written on the wire: a leading '\n' (see the header) plus the JSON plus '\n'. */
export function frame(message: unknown): string {
  return `\n${JSON.stringify(message)}\n`;
}

export function encodeRequest<M extends HelperMethod>(id: number, method: M, params: ParamTypes[M]): string {
  return `${JSON.stringify({ id, method, params })}\n`;
}

export function encodeResult(id: number, result: unknown): string {
  return frame({ id, ok: true, result });
}

export function encodeError(id: number, error: HelperError): string {
  return frame({ id, ok: false, error });
}

export function encodeHello(hello: HelperHello): string {
  return frame({ hello });
}

// ---- decoding ------------------------------------------------------------------------------------

export type HelperMessage =
  | { kind: 'hello'; hello: HelperHello }
  | { kind: 'response'; response: HelperResponse }
  | { kind: 'garbage'; reason: string };

function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((i) => `${i.path.length > 0 ? i.path.join('.') : '(root)'}: ${i.message}`)
    .join('; ');
}

function parseJson(line: string): { ok: true; value: unknown } | { ok: false; reason: string } {
  try {
    return { ok: true, value: JSON.parse(line) as unknown };
  } catch (e) {
    return { ok: false, reason: `not JSON (${e instanceof Error ? e.message : String(e)})` };
  }
}

/** Decode one line the helper wrote (app side). Never throws. */
export function parseHelperLine(line: string): HelperMessage {
  const json = parseJson(line);
  if (!json.ok) return { kind: 'garbage', reason: json.reason };
  const value = json.value;
  if (typeof value === 'object' && value !== null && 'hello' in value) {
    const hello = helloSchema.safeParse(value);
    return hello.success
      ? { kind: 'hello', hello: hello.data.hello }
      : { kind: 'garbage', reason: `bad hello: ${describeIssues(hello.error)}` };
  }
  const response = responseSchema.safeParse(value);
  return response.success
    ? { kind: 'response', response: response.data }
    : { kind: 'garbage', reason: `bad response: ${describeIssues(response.error)}` };
}

/** Validate a result for its method (app side). */
export function parseResult<M extends HelperMethod>(
  method: M,
  result: unknown,
): { ok: true; value: ResultTypes[M] } | { ok: false; reason: string } {
  const parsed = RESULT_SCHEMAS[method].safeParse(result);
  return parsed.success
    ? { ok: true, value: parsed.data }
    : { ok: false, reason: `bad ${method} result: ${describeIssues(parsed.error)}` };
}

export type RequestLine =
  | { kind: 'request'; request: HelperRequest }
  /** A line that is JSON with a usable id but not a valid request: answer it with an error. */
  | { kind: 'invalid'; id: number; reason: string }
  | { kind: 'garbage'; reason: string };

/** Decode one line the app wrote (helper side). Never throws. */
export function parseRequestLine(line: string): RequestLine {
  const json = parseJson(line);
  if (!json.ok) return { kind: 'garbage', reason: json.reason };
  const parsed = requestSchema.safeParse(json.value);
  if (parsed.success) return { kind: 'request', request: parsed.data };
  const value = json.value;
  const id =
    typeof value === 'object' && value !== null && 'id' in value && typeof value.id === 'number'
      ? value.id
      : null;
  const reason = `bad request: ${describeIssues(parsed.error)}`;
  return id !== null && Number.isInteger(id) && id > 0
    ? { kind: 'invalid', id, reason }
    : { kind: 'garbage', reason };
}

// ---- line splitting ------------------------------------------------------------------------------

/**
 * Splits a byte stream into lines. Works on bytes so a UTF-8 character split across chunks is decoded
 * whole; strips '\r'; skips empty lines; drops (and reports) lines longer than `maxLineBytes` without
 * holding them in memory. `end()` flushes a last line that had no newline (a helper that died mid-write).
 */
export class LineSplitter {
  #parts: Buffer[] = [];
  #size = 0;
  #overflowing = false;

  constructor(
    private readonly onLine: (line: string) => void,
    private readonly onOverflow: (bytes: number) => void,
    private readonly maxLineBytes = MAX_LINE_BYTES,
  ) {}

  push(chunk: Buffer | string): void {
    let buf = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
    for (;;) {
      const nl = buf.indexOf(0x0a);
      if (nl < 0) {
        this.#append(buf);
        return;
      }
      this.#append(buf.subarray(0, nl));
      this.#emit();
      buf = buf.subarray(nl + 1);
    }
  }

  end(): void {
    if (this.#size > 0 || this.#overflowing) this.#emit();
  }

  #append(part: Buffer): void {
    if (part.length === 0) return;
    this.#size += part.length;
    if (this.#overflowing) return;
    if (this.#size > this.maxLineBytes) {
      this.#overflowing = true;
      this.#parts = [];
      return;
    }
    this.#parts.push(part);
  }

  #emit(): void {
    const size = this.#size;
    const overflowing = this.#overflowing;
    const parts = this.#parts;
    this.#parts = [];
    this.#size = 0;
    this.#overflowing = false;
    if (overflowing) {
      this.onOverflow(size);
      return;
    }
    const line = Buffer.concat(parts, size).toString('utf8').replace(/\r$/u, '');
    if (line.trim() !== '') this.onLine(line);
  }
}
