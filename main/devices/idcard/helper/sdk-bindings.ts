/**
 * The only code that touches a vendor DLL: koffi declarations for sdtapi.dll and Huashi termb.dll
 * (devices.md §3.1, §3.2, §3.3). Kept small so it can be reviewed line by line; everything that uses
 * these bindings is in backends.ts and tested with fakes. On Linux the test suite also loads a fake
 * shared library built from test/fixtures/idcard-helper/*.c through this very file (x64, where
 * __stdcall is ignored), so the marshalling below is exercised; stdcall name decoration and the
 * 32-bit ABI are only exercised on Windows.
 *
 * Marshalling choices:
 * - Every pointer parameter is declared `uint8_t *` and passed a Node Buffer: koffi passes the Buffer's
 *   memory directly, the DLL writes into it during the call, and the caller reads it afterwards. `int*`
 *   and `uint*` lengths are 4-byte Buffers (little-endian on every Windows target). No JS arrays, no
 *   _Out_ copies: the same rule for every function is easiest to check.
 * - `__stdcall` everywhere (WINAPI exports, devices.md §3.1; Huashi's C# demo uses StdCall). On x86 koffi
 *   also tries the decorated names (_SDT_OpenPort@4); on x64 the convention is ignored.
 * - Functions missing from some DLL builds are looked up with `optional()` and become null.
 */
import path from 'node:path';
import type koffiDefault from 'koffi';
import type { HuashiTermbBinding, SdtapiBinding, TermbGetter } from './backends';

export type Koffi = typeof koffiDefault;
type Library = ReturnType<Koffi['load']>;
type Arg = number | Buffer;

/** A declared function with its `any` result checked to be a number. */
function intFn(lib: Library, prototype: string): (...args: Arg[]) => number {
  const fn = lib.func(prototype);
  return (...args: Arg[]): number => {
    const result: unknown = fn(...args);
    if (typeof result !== 'number') throw new TypeError(`${prototype} returned ${typeof result}`);
    return result;
  };
}

function optional(lib: Library, prototype: string): ((...args: Arg[]) => number) | null {
  try {
    return intFn(lib, prototype);
  } catch {
    return null;
  }
}

/** Thrown when the DLL loads but lacks a required export (usually the other termb.dll flavour). */
export class MissingExportError extends Error {
  constructor(
    readonly dllPath: string,
    readonly symbol: string,
    cause: unknown,
  ) {
    super(`${path.basename(dllPath)} has no export ${symbol}`, { cause });
    this.name = 'MissingExportError';
  }
}

function required(lib: Library, dllPath: string, prototype: string): (...args: Arg[]) => number {
  try {
    return intFn(lib, prototype);
  } catch (e) {
    const symbol = /\b(\w+)\s*\(/u.exec(prototype)?.[1] ?? prototype;
    throw new MissingExportError(dllPath, symbol, e);
  }
}

function loadLibrary(koffi: Koffi, dllPath: string): Library {
  // Vendor DLLs load companions (sdtapi.dll, WltRS.dll, licence files) from their own folder.
  const dir = path.dirname(dllPath);
  process.env.PATH = `${dir}${path.delimiter}${process.env.PATH ?? ''}`;
  return koffi.load(dllPath);
}

/** `koffi` is passed in (imported by the caller) so a missing native module is told apart from a bad DLL. */
export function loadSdtapi(koffi: Koffi, dllPath: string): SdtapiBinding {
  const lib = loadLibrary(koffi, dllPath);
  const req = (p: string) => required(lib, dllPath, p);
  const SDT_OpenPort = req('int __stdcall SDT_OpenPort(int iPort)');
  const SDT_ClosePort = req('int __stdcall SDT_ClosePort(int iPort)');
  const SDT_StartFindIDCard = req(
    'int __stdcall SDT_StartFindIDCard(int iPort, uint8_t *pucManaInfo, int iIfOpen)',
  );
  const SDT_SelectIDCard = req('int __stdcall SDT_SelectIDCard(int iPort, uint8_t *pucManaMsg, int iIfOpen)');
  const SDT_ReadBaseMsg = req(
    'int __stdcall SDT_ReadBaseMsg(int iPort, uint8_t *pucCHMsg, uint8_t *puiCHMsgLen, ' +
      'uint8_t *pucPHMsg, uint8_t *puiPHMsgLen, int iIfOpen)',
  );
  const getSamId = optional(lib, 'int __stdcall SDT_GetSAMIDToStr(int iPort, uint8_t *pcSAMID, int iIfOpen)');
  const getSamStatus = optional(lib, 'int __stdcall SDT_GetSAMStatus(int iPort, int iIfOpen)');
  return {
    SDT_OpenPort: (port) => SDT_OpenPort(port),
    SDT_ClosePort: (port) => SDT_ClosePort(port),
    SDT_StartFindIDCard: (port, manaInfo, ifOpen) => SDT_StartFindIDCard(port, manaInfo, ifOpen),
    SDT_SelectIDCard: (port, manaMsg, ifOpen) => SDT_SelectIDCard(port, manaMsg, ifOpen),
    SDT_ReadBaseMsg: (port, text, textLen, photo, photoLen, ifOpen) =>
      SDT_ReadBaseMsg(port, text, textLen, photo, photoLen, ifOpen),
    SDT_GetSAMIDToStr: getSamId === null ? null : (port, buf, ifOpen) => getSamId(port, buf, ifOpen),
    SDT_GetSAMStatus: getSamStatus === null ? null : (port, ifOpen) => getSamStatus(port, ifOpen),
  };
}

export function loadHuashiTermb(koffi: Koffi, dllPath: string): HuashiTermbBinding {
  const lib = loadLibrary(koffi, dllPath);
  const req = (p: string) => required(lib, dllPath, p);
  const getter = (name: string): string => `int __stdcall ${name}(uint8_t *strTmp, uint8_t *strLen)`;
  const reqGetter = (name: string): TermbGetter => {
    const fn = req(getter(name));
    return (buf, len) => fn(buf, len);
  };
  const optGetter = (name: string): TermbGetter | null => {
    const fn = optional(lib, getter(name));
    return fn === null ? null : (buf, len) => fn(buf, len);
  };
  const CVR_InitComm = req('int __stdcall CVR_InitComm(int Port)');
  const CVR_Authenticate = req('int __stdcall CVR_Authenticate()');
  const CVR_Read_Content = req('int __stdcall CVR_Read_Content(int Active)');
  const CVR_CloseComm = req('int __stdcall CVR_CloseComm()');
  const getSamId = optional(lib, 'int __stdcall CVR_GetSAMID(uint8_t *SAMID)');
  return {
    CVR_InitComm: (port) => CVR_InitComm(port),
    CVR_Authenticate: () => CVR_Authenticate(),
    CVR_Read_Content: (active) => CVR_Read_Content(active),
    CVR_CloseComm: () => CVR_CloseComm(),
    CVR_GetSAMID: getSamId === null ? null : (buf) => getSamId(buf),
    GetPeopleName: reqGetter('GetPeopleName'),
    GetPeopleSex: reqGetter('GetPeopleSex'),
    GetPeopleNation: reqGetter('GetPeopleNation'),
    GetPeopleBirthday: reqGetter('GetPeopleBirthday'),
    GetPeopleAddress: reqGetter('GetPeopleAddress'),
    GetPeopleIDCode: reqGetter('GetPeopleIDCode'),
    GetDepartment: reqGetter('GetDepartment'),
    GetStartDate: reqGetter('GetStartDate'),
    GetEndDate: reqGetter('GetEndDate'),
    GetCertType: optGetter('GetCertType'),
    GetPeopleChineseName: optGetter('GetPeopleChineseName'),
    GetNationCode: optGetter('GetNationCode'),
    GetBMPData: optGetter('GetBMPData'),
  };
}
