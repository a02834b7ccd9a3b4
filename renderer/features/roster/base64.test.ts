import { describe, expect, it } from 'vitest';
import { base64ToBytes, bytesToBase64 } from './base64';

describe('base64', () => {
  it('encodes like the standard alphabet', () => {
    expect(bytesToBase64(new TextEncoder().encode('姓名,证件号码'))).toBe('5aeT5ZCNLOivgeS7tuWPt+eggQ==');
    expect(bytesToBase64(new Uint8Array())).toBe('');
  });

  it('round-trips data larger than one chunk, with every byte value', () => {
    const bytes = new Uint8Array(70_000);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 31 + 7) % 256;
    const decoded = base64ToBytes(bytesToBase64(bytes));
    expect(decoded.length).toBe(bytes.length);
    expect(decoded).toEqual(bytes);
  });
});
