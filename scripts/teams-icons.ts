/**
 * Writes the Teams app icons (adapters/teams/manifest/color.png 192×192 and outline.png 32×32,
 * white on transparent, as Teams requires): a plain "K" mark, drawn pixel by pixel. Run once with
 * `npx tsx scripts/teams-icons.ts`; the PNGs are committed.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const crc32 = (buf: Buffer) => {
  let c = 0xffffffff;
  for (const b of buf) c = (crcTable[(c ^ b) & 0xff] as number) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};
function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}
function png(size: number, pixel: (x: number, y: number) => [number, number, number, number]): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.writeUInt8(8, 8); // bit depth
  header.writeUInt8(6, 9); // RGBA
  const rows: Buffer[] = [];
  for (let y = 0; y < size; y++) {
    const row = Buffer.alloc(1 + size * 4);
    for (let x = 0; x < size; x++) row.set(pixel(x, y), 1 + x * 4);
    rows.push(row);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(Buffer.concat(rows))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}
/** A "K" in unit coordinates (0..1): a stem and two arms. */
function onK(u: number, v: number): boolean {
  const stem = u >= 0.28 && u <= 0.4 && v >= 0.2 && v <= 0.8;
  const d = (a: number, b: number) => Math.abs(u - 0.4 - a * (v - b)) < 0.07;
  const upper = v >= 0.2 && v <= 0.52 && d(-1, 0.52) && u >= 0.38;
  const lower = v >= 0.46 && v <= 0.8 && d(1, 0.48) && u >= 0.38;
  return stem || upper || lower;
}
const dir = join(import.meta.dirname, '../adapters/teams/manifest');
writeFileSync(
  join(dir, 'color.png'),
  png(192, (x, y) => (onK(x / 192, y / 192) ? [255, 255, 255, 255] : [46, 125, 107, 255])),
);
writeFileSync(
  join(dir, 'outline.png'),
  png(32, (x, y) => (onK(x / 32, y / 32) ? [255, 255, 255, 255] : [0, 0, 0, 0])),
);
