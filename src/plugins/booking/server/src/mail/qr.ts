import QRCode from 'qrcode';
import { PNG } from 'pngjs';

const SCALE = 8; // pixels per module: about 260 px for a ticket token, sharp on any screen
const MARGIN = 2; // modules of quiet zone

/**
 * The ticket's QR code as a PNG: black and white, one byte per pixel. The matrix is qrcode's
 * (error correction M, the best mask); pngjs writes the file. qrcode's own PNG renderer
 * fills four bytes per pixel and compresses all of them, four times the CPU for a file six times
 * the size (`npm run bench` renders thousands of tickets).
 */
export const qrPng = (text: string): Buffer => {
  // One byte-mode segment: what qrcode's segment search picks for a token anyway, without the search.
  const { modules } = QRCode.create([{ data: Buffer.from(text, 'utf8'), mode: 'byte' }], { errorCorrectionLevel: 'M' });
  const side = (modules.size + 2 * MARGIN) * SCALE;
  const data = Buffer.alloc(side * side, 255);
  for (let y = 0; y < modules.size; y++) {
    for (let x = 0; x < modules.size; x++) {
      if (!modules.get(y, x)) continue;
      const left = (x + MARGIN) * SCALE;
      for (let row = (y + MARGIN) * SCALE, last = row + SCALE; row < last; row++) {
        data.fill(0, row * side + left, row * side + left + SCALE);
      }
    }
  }
  return PNG.sync.write({ width: side, height: side, data } as PNG, {
    colorType: 0,
    inputColorType: 0,
    inputHasAlpha: false,
    bitDepth: 8,
    filterType: 0,
    // Long runs of one byte: the fastest deflate level makes the same few kilobytes.
    deflateLevel: 1,
  });
};
