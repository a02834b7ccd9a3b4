// Draws the application icon (a certificate with a red seal on a blue tile) and writes
//   build/icon.png            512×512, electron-builder's source icon (Linux, fallback)
//   build/icon.ico            256/64/48/32/16, the Windows exe and NSIS installer icon
//   resources/icons/icon.png  256×256, the window icon at run time
// Pure Node (zlib only), so it runs on the build machines without ImageMagick. Run: node build/make-icons.mjs
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { deflateSync } from 'node:zlib';

const root = path.resolve(import.meta.dirname, '..');

const BLUE = [25, 113, 194, 255];
const PAPER = [255, 255, 255, 255];
const LINE = [165, 196, 230, 255];
const SEAL = [224, 49, 49, 255];

function inRoundedRect(x, y, x0, y0, x1, y1, r) {
  if (x < x0 || x > x1 || y < y0 || y > y1) return false;
  const cx = Math.min(Math.max(x, x0 + r), x1 - r);
  const cy = Math.min(Math.max(y, y0 + r), y1 - r);
  return (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
}

/** The colour at (u, v) in the unit square, or undefined for transparent. */
function shade(u, v) {
  const sealD = Math.hypot(u - 0.64, v - 0.67);
  if (sealD <= 0.05) return SEAL;
  if (sealD <= 0.085) return PAPER;
  if (sealD <= 0.125) return SEAL;
  if (inRoundedRect(u, v, 0.27, 0.18, 0.73, 0.82, 0.035)) {
    for (const ly of [0.31, 0.41, 0.51]) {
      if (v >= ly && v <= ly + 0.035 && u >= 0.35 && u <= (ly === 0.51 ? 0.52 : 0.65)) return LINE;
    }
    return PAPER;
  }
  if (inRoundedRect(u, v, 0.04, 0.04, 0.96, 0.96, 0.2)) return BLUE;
  return undefined;
}

function render(size) {
  const ss = 4;
  const rgba = Buffer.alloc(size * size * 4);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const acc = [0, 0, 0, 0];
      for (let sy = 0; sy < ss; sy++) {
        for (let sx = 0; sx < ss; sx++) {
          const c = shade((x + (sx + 0.5) / ss) / size, (y + (sy + 0.5) / ss) / size);
          if (!c) continue;
          for (let i = 0; i < 3; i++) acc[i] += c[i] * (c[3] / 255);
          acc[3] += c[3];
        }
      }
      const n = ss * ss;
      const alpha = acc[3] / n;
      const o = (y * size + x) * 4;
      for (let i = 0; i < 3; i++) rgba[o + i] = alpha > 0 ? Math.round((acc[i] / n / alpha) * 255) : 0;
      rgba[o + 3] = Math.round(alpha);
    }
  }
  return rgba;
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(buf) {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

function png(size) {
  const rgba = render(size);
  const raw = Buffer.alloc((size * 4 + 1) * size);
  for (let y = 0; y < size; y++) rgba.copy(raw, y * (size * 4 + 1) + 1, y * size * 4, (y + 1) * size * 4);
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr.set([8, 6, 0, 0, 0], 8); // 8-bit RGBA
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

function ico(sizes) {
  const images = sizes.map((s) => png(s));
  const header = Buffer.alloc(6 + 16 * sizes.length);
  header.writeUInt16LE(0, 0);
  header.writeUInt16LE(1, 2);
  header.writeUInt16LE(sizes.length, 4);
  let offset = header.length;
  sizes.forEach((s, i) => {
    const e = 6 + 16 * i;
    header[e] = s >= 256 ? 0 : s;
    header[e + 1] = s >= 256 ? 0 : s;
    header.writeUInt16LE(1, e + 4); // planes
    header.writeUInt16LE(32, e + 6); // bits per pixel
    header.writeUInt32LE(images[i].length, e + 8);
    header.writeUInt32LE(offset, e + 12);
    offset += images[i].length;
  });
  return Buffer.concat([header, ...images]);
}

writeFileSync(path.join(root, 'build', 'icon.png'), png(512));
writeFileSync(path.join(root, 'build', 'icon.ico'), ico([256, 64, 48, 32, 16]));
writeFileSync(path.join(root, 'resources', 'icons', 'icon.png'), png(256));
process.stdout.write('wrote build/icon.png, build/icon.ico, resources/icons/icon.png\n');
