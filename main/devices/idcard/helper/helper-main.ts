/**
 * The ID card helper program: loads the vendor DLL (sdtapi.dll or Huashi termb.dll) and answers the
 * app's requests over stdio, one JSON object per line (protocol.ts). Started by vendor-sdk-driver.ts;
 * see README.md for the command line and for packaging (32-bit node.exe or Electron utilityProcess).
 *
 *   helper-main [--flavour=sdtapi|termb] [--dll=<path or name>] [--dll-dir=<folder>]…
 */
import { runHelper } from './serve';

await runHelper();
