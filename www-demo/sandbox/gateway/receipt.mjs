// The payout receipt behind `withdraw/check`: a real (tiny) PNG, so a client can decode
// and show it. It draws the operation id as a bar code: one 2-px bar per bit, dark when set.

import { crc32, deflateSync } from 'node:zlib';

const WIDTH = 64;
const HEIGHT = 16;

function chunk(type, data) {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

export function receiptPng(id) {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(WIDTH, 0);
  header.writeUInt32BE(HEIGHT, 4);
  header[8] = 8; // bit depth
  header[9] = 0; // greyscale; compression, filter and interlace stay 0
  const row = Buffer.alloc(1 + WIDTH, 0xff); // leading 0: filter type "none"
  row[0] = 0;
  for (let x = 0; x < WIDTH; x++) {
    if ((BigInt(id) >> BigInt(x >> 1)) & 1n) row[1 + x] = 0x20;
  }
  const pixels = Buffer.concat(Array.from({ length: HEIGHT }, () => row));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(pixels)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}
