/**
 * What the helper does with a vendor DLL, written against small typed bindings (sdk-bindings.ts makes
 * them with koffi) so that all of it — port scanning, the find/select/read sequence, return codes, GBK
 * decoding — runs in tests with fake bindings. devices.md §3.1 (sdtapi.dll) and §3.2 (Huashi termb.dll).
 *
 * Everything here is synchronous: the helper is a process of its own, one request at a time, so a DLL
 * call that blocks only blocks the helper, and the app kills it when it does not answer in time.
 */
import fs from 'node:fs';
import path from 'node:path';
import iconv from 'iconv-lite';
import type {
  CardFields,
  CloseResult,
  Flavour,
  OpenParams,
  OpenResult,
  ReadResult,
  ReaderErrorCode,
  SamIdResult,
  StatusResult,
} from './protocol';

/** A failure to report to the app as {ok:false, error:{code, message}}. */
export class HelperFailure extends Error {
  constructor(
    readonly code: ReaderErrorCode,
    message: string,
    readonly detail?: string,
  ) {
    super(message);
    this.name = 'HelperFailure';
  }
}

export interface ReaderBackend {
  readonly flavour: Flavour;
  open(params: OpenParams): OpenResult;
  status(): StatusResult;
  read(): ReadResult;
  samId(): SamIdResult;
  close(): CloseResult;
}

/** USB 1001–1016 first, then COM1–COM16 (devices.md §3.1 "Port numbering"). */
export function scanPorts(): number[] {
  const ports: number[] = [];
  for (let p = 1001; p <= 1016; p++) ports.push(p);
  for (let p = 1; p <= 16; p++) ports.push(p);
  return ports;
}

function hex(code: number): string {
  return `0x${(code >>> 0).toString(16).toUpperCase().padStart(2, '0')}`;
}

/** The ASCII/GBK text in `buf` up to the first NUL (and at most `max` bytes), trimmed. */
export function cString(buf: Buffer, max = buf.length, encoding: 'ascii' | 'gbk' = 'ascii'): string {
  const limit = Math.max(0, Math.min(max, buf.length));
  const nul = buf.subarray(0, limit).indexOf(0);
  const bytes = buf.subarray(0, nul < 0 ? limit : nul);
  const s = encoding === 'gbk' ? iconv.decode(bytes, 'gbk') : bytes.toString('latin1');
  return s.trim();
}

function noReader(ports: readonly number[]): HelperFailure {
  const single = ports.length === 1 ? `端口 ${ports[0]}` : '已扫描 USB 1001–1016 与串口 COM1–COM16';
  return new HelperFailure('not_available', `未检测到身份证读卡器（${single}），请检查读卡器连接`);
}

// ---- sdtapi.dll ----------------------------------------------------------------------------------

/**
 * sdtapi.dll exports (devices.md §3.1), all stdcall. Pointers are passed as Buffers the DLL writes
 * into; `uint*` lengths are 4-byte Buffers (little-endian, as on every Windows target).
 */
export interface SdtapiBinding {
  SDT_OpenPort(port: number): number;
  SDT_ClosePort(port: number): number;
  SDT_StartFindIDCard(port: number, manaInfo: Buffer, ifOpen: number): number;
  SDT_SelectIDCard(port: number, manaMsg: Buffer, ifOpen: number): number;
  SDT_ReadBaseMsg(
    port: number,
    text: Buffer,
    textLen: Buffer,
    photo: Buffer,
    photoLen: Buffer,
    ifOpen: number,
  ): number;
  /** Missing from some builds. */
  SDT_GetSAMIDToStr: ((port: number, buf: Buffer, ifOpen: number) => number) | null;
  /** Missing from some builds. */
  SDT_GetSAMStatus: ((port: number, ifOpen: number) => number) | null;
}

export const SDT_OK = 0x90;
export const SDT_FIND_OK = 0x9f;

/**
 * Output buffers are larger than the documented 256 B text / 1024 B photo: some DLL builds also copy
 * fingerprint data or write past the documented size, and a too-small buffer would corrupt the heap.
 */
const SDT_TEXT_BUF = 4096;
const SDT_PHOTO_BUF = 4096;

/** An sdtapi return code (DLL-level codes 0x01–0x05, otherwise the SAM's SW3, devices.md §1.5) as an error. */
export function sdtFailure(code: number, stage: string): HelperFailure {
  const c = hex(code);
  const detail = `${stage} → ${c}`;
  switch (code) {
    case 0x80:
      return new HelperFailure('no_card', '未检测到身份证，请将证件放在读卡区', detail);
    case 0x81:
      return new HelperFailure('no_card', '选卡失败，请将证件重新放在读卡区', detail);
    case 0x01:
      return new HelperFailure('disconnected', `读卡器端口未打开或打开失败（${c}）`, detail);
    case 0x02:
      return new HelperFailure('timeout', `读卡器接收数据超时（${c}）`, detail);
    case 0x03:
      return new HelperFailure('frame', `读卡器数据传输错误（${c}）`, detail);
    case 0x05:
      return new HelperFailure('not_available', `读卡器安全模块串口不可用（${c}）`, detail);
    case 0x10:
      return new HelperFailure('checksum', `读卡器收到的数据校验和错误（${c}）`, detail);
    case 0x11:
    case 0x21:
    case 0x24:
      return new HelperFailure('frame', `读卡器拒绝了命令（${c}）`, detail);
    case 0x40:
      return new HelperFailure('unknown_card_type', `无法识别的卡片类型（${c}）`, detail);
    case 0x41:
      return new HelperFailure('reader_status', `读卡失败，请将证件重新放在读卡区（${c}）`, detail);
    case 0x31:
    case 0x32:
    case 0x33:
      return new HelperFailure('reader_status', `证件认证失败，请重新放卡（${c}）`, detail);
    case 0x60:
    case 0x66:
      return new HelperFailure('reader_status', `读卡器安全模块异常或未授权（${c}）`, detail);
    default:
      return new HelperFailure('reader_status', `读卡器返回错误状态 ${c}`, detail);
  }
}

export class SdtapiBackend implements ReaderBackend {
  readonly flavour = 'sdtapi' as const;
  #port: number | null = null;

  constructor(private readonly sdk: SdtapiBinding) {}

  open(params: OpenParams): OpenResult {
    this.close();
    const ports = params.port !== undefined ? [params.port] : scanPorts();
    for (const port of ports) {
      if (this.sdk.SDT_OpenPort(port) === SDT_OK) {
        this.#port = port;
        return { port, samId: this.#samId(port) };
      }
    }
    throw noReader(ports);
  }

  status(): StatusResult {
    const port = this.#port;
    if (port === null) return { open: false, port: null, healthy: null };
    const fn = this.sdk.SDT_GetSAMStatus;
    return { open: true, port, healthy: fn === null ? null : fn(port, 0) === SDT_OK };
  }

  read(): ReadResult {
    const port = this.#requirePort();
    let rc = this.sdk.SDT_StartFindIDCard(port, Buffer.alloc(64), 0);
    if (rc !== SDT_FIND_OK) throw sdtFailure(rc, 'SDT_StartFindIDCard');
    rc = this.sdk.SDT_SelectIDCard(port, Buffer.alloc(64), 0);
    if (rc !== SDT_OK) throw sdtFailure(rc, 'SDT_SelectIDCard');
    const text = Buffer.alloc(SDT_TEXT_BUF);
    const textLen = Buffer.alloc(4);
    const photo = Buffer.alloc(SDT_PHOTO_BUF);
    const photoLen = Buffer.alloc(4);
    rc = this.sdk.SDT_ReadBaseMsg(port, text, textLen, photo, photoLen, 0);
    if (rc !== SDT_OK) throw sdtFailure(rc, 'SDT_ReadBaseMsg');
    const tl = textLen.readUInt32LE(0);
    const pl = photoLen.readUInt32LE(0);
    if (tl < 256 || tl > SDT_TEXT_BUF) {
      throw new HelperFailure('frame', `身份证文字信息长度异常（${tl} 字节）`, `textLen=${tl}`);
    }
    return {
      text: text.subarray(0, tl).toString('base64'),
      photoWlt: pl > 0 && pl <= SDT_PHOTO_BUF ? photo.subarray(0, pl).toString('base64') : null,
      photoBmp: null,
      fields: null,
    };
  }

  samId(): SamIdResult {
    return { samId: this.#samId(this.#requirePort()) };
  }

  close(): CloseResult {
    const port = this.#port;
    this.#port = null;
    if (port !== null) this.sdk.SDT_ClosePort(port);
    return {};
  }

  #requirePort(): number {
    if (this.#port === null) throw new HelperFailure('not_open', '读卡器未打开');
    return this.#port;
  }

  #samId(port: number): string | null {
    const fn = this.sdk.SDT_GetSAMIDToStr;
    if (fn === null) return null;
    const buf = Buffer.alloc(256);
    if (fn(port, buf, 0) !== SDT_OK) return null;
    const id = cString(buf, 128);
    return id === '' ? null : id;
  }
}

// ---- Huashi termb.dll ----------------------------------------------------------------------------

/** `int Getter(char *buf, int *len)`: buf receives GBK text, *len is the buffer size in, the length out. */
export type TermbGetter = (buf: Buffer, len: Buffer) => number;

/** Huashi termb.dll exports (devices.md §3.2), all stdcall; 1 = OK. Optional ones are missing in old builds. */
export interface HuashiTermbBinding {
  CVR_InitComm(port: number): number;
  CVR_Authenticate(): number;
  CVR_Read_Content(active: number): number;
  CVR_CloseComm(): number;
  CVR_GetSAMID: ((buf: Buffer) => number) | null;
  GetPeopleName: TermbGetter;
  GetPeopleSex: TermbGetter;
  GetPeopleNation: TermbGetter;
  GetPeopleBirthday: TermbGetter;
  GetPeopleAddress: TermbGetter;
  GetPeopleIDCode: TermbGetter;
  GetDepartment: TermbGetter;
  GetStartDate: TermbGetter;
  GetEndDate: TermbGetter;
  GetCertType: TermbGetter | null;
  GetPeopleChineseName: TermbGetter | null;
  GetNationCode: TermbGetter | null;
  GetBMPData: TermbGetter | null;
}

const TERMB_TEXT_BUF = 256;
const TERMB_BMP_BUF = 65536;

/** The files Huashi's CVR_Read_Content writes into the current directory (devices.md §3.2). */
export const TERMB_TEXT_FILE = 'wz.txt';
export const TERMB_PHOTO_FILE = 'zp.bmp';

export function termbAuthFailure(code: number): HelperFailure {
  const detail = `CVR_Authenticate → ${code}`;
  switch (code) {
    case 2:
      return new HelperFailure('no_card', '未检测到身份证，请将证件放在读卡区', detail);
    case 3:
      return new HelperFailure('no_card', '选卡失败，请将证件重新放在读卡区', detail);
    case 0:
      return new HelperFailure('disconnected', '读卡器未初始化或连接已断开', detail);
    default:
      return new HelperFailure('reader_status', `读卡器返回错误状态 ${code}`, detail);
  }
}

export class HuashiTermbBackend implements ReaderBackend {
  readonly flavour = 'termb' as const;
  #port: number | null = null;

  /** `workDir` is where CVR_Read_Content writes wz.txt/zp.bmp: the helper's (writable) current directory. */
  constructor(
    private readonly sdk: HuashiTermbBinding,
    private readonly workDir: string = process.cwd(),
  ) {}

  open(params: OpenParams): OpenResult {
    this.close();
    const ports = params.port !== undefined ? [params.port] : scanPorts();
    for (const port of ports) {
      if (this.sdk.CVR_InitComm(port) === 1) {
        this.#port = port;
        return { port, samId: this.#samId() };
      }
    }
    throw noReader(ports);
  }

  status(): StatusResult {
    return { open: this.#port !== null, port: this.#port, healthy: null };
  }

  read(): ReadResult {
    this.#requirePort();
    const auth = this.sdk.CVR_Authenticate();
    if (auth !== 1) throw termbAuthFailure(auth);
    const textFile = path.join(this.workDir, TERMB_TEXT_FILE);
    const photoFile = path.join(this.workDir, TERMB_PHOTO_FILE);
    // Remove the previous card's files so a stale file is never taken for this card; a file that
    // cannot be removed (read-only folder) is not used at all.
    const textFileFresh = removeQuietly(textFile);
    const photoFileFresh = removeQuietly(photoFile);
    const rc = this.sdk.CVR_Read_Content(1);
    if (rc !== 1) {
      const detail = `CVR_Read_Content → ${rc}`;
      throw rc === 99
        ? new HelperFailure('reader_status', '读卡器异常（99），请重新放卡', detail)
        : new HelperFailure('reader_status', `读卡失败，请将证件重新放在读卡区（${rc}）`, detail);
    }
    const get = (fn: TermbGetter | null): string | null => (fn === null ? null : this.#getText(fn));
    const fields: CardFields = {
      certType: get(this.sdk.GetCertType),
      name: get(this.sdk.GetPeopleName) ?? '',
      chineseName: get(this.sdk.GetPeopleChineseName),
      gender: get(this.sdk.GetPeopleSex),
      ethnicity: get(this.sdk.GetPeopleNation),
      ethnicityCode: get(this.sdk.GetNationCode),
      birthDate: get(this.sdk.GetPeopleBirthday),
      address: get(this.sdk.GetPeopleAddress),
      idNumber: get(this.sdk.GetPeopleIDCode) ?? '',
      issuingAuthority: get(this.sdk.GetDepartment),
      validFrom: get(this.sdk.GetStartDate),
      validUntil: get(this.sdk.GetEndDate),
    };
    if (fields.idNumber === '') {
      throw new HelperFailure('reader_status', '读卡器未返回证件号码，请重新放卡', 'GetPeopleIDCode empty');
    }
    const rawText = textFileFresh ? readIfSmall(textFile, 4096) : null;
    return {
      text: rawText !== null && rawText.length >= 256 ? rawText.subarray(0, 256).toString('base64') : null,
      photoWlt: null,
      photoBmp: this.#bmp(photoFileFresh ? photoFile : null),
      fields,
    };
  }

  samId(): SamIdResult {
    this.#requirePort();
    return { samId: this.#samId() };
  }

  close(): CloseResult {
    const wasOpen = this.#port !== null;
    this.#port = null;
    if (wasOpen) this.sdk.CVR_CloseComm();
    return {};
  }

  #requirePort(): number {
    if (this.#port === null) throw new HelperFailure('not_open', '读卡器未打开');
    return this.#port;
  }

  #getText(fn: TermbGetter): string | null {
    const buf = Buffer.alloc(TERMB_TEXT_BUF);
    const len = Buffer.alloc(4);
    len.writeInt32LE(TERMB_TEXT_BUF - 1, 0);
    if (fn(buf, len) !== 1) return null;
    const n = len.readInt32LE(0);
    // Some builds leave *len alone; then the NUL terminator ends the text.
    return cString(buf, n > 0 && n < TERMB_TEXT_BUF ? n : TERMB_TEXT_BUF, 'gbk');
  }

  #samId(): string | null {
    const fn = this.sdk.CVR_GetSAMID;
    if (fn === null) return null;
    const buf = Buffer.alloc(256);
    fn(buf);
    const id = cString(buf, 128);
    return id === '' ? null : id;
  }

  #bmp(photoFile: string | null): string | null {
    const fn = this.sdk.GetBMPData;
    if (fn !== null) {
      const buf = Buffer.alloc(TERMB_BMP_BUF);
      const len = Buffer.alloc(4);
      len.writeInt32LE(TERMB_BMP_BUF, 0);
      if (fn(buf, len) === 1) {
        const n = len.readInt32LE(0);
        if (n > 54 && n <= TERMB_BMP_BUF && buf[0] === 0x42 && buf[1] === 0x4d) {
          return buf.subarray(0, n).toString('base64');
        }
      }
    }
    const file = photoFile === null ? null : readIfSmall(photoFile, TERMB_BMP_BUF * 4);
    return file !== null && file.length > 54 && file[0] === 0x42 && file[1] === 0x4d
      ? file.toString('base64')
      : null;
  }
}

/** Remove `file`; true when it is gone afterwards. */
function removeQuietly(file: string): boolean {
  try {
    fs.rmSync(file, { force: true });
  } catch {
    // A read-only folder (see README: the helper's working directory must be writable).
  }
  return !fs.existsSync(file);
}

function readIfSmall(file: string, maxBytes: number): Buffer | null {
  try {
    const stat = fs.statSync(file);
    if (!stat.isFile() || stat.size > maxBytes) return null;
    return fs.readFileSync(file);
  } catch {
    return null;
  }
}
