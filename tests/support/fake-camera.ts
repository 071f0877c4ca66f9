/**
 * A video file for Chromium's fake camera (--use-file-for-fake-video-capture): the QR code of a
 * text, centred on white, as Y4M (4:2:0, the Y plane from the QR image's grey levels).
 */
import { writeFileSync } from 'node:fs';
import QRCode from 'qrcode';
import { PNG } from 'pngjs';

export const writeQrVideo = async (text: string, file: string, width = 640, height = 480, frames = 30) => {
  const png = PNG.sync.read(await QRCode.toBuffer(text, { type: 'png', margin: 4, scale: 6 }));
  const y = Buffer.alloc(width * height, 235);
  const left = Math.floor((width - png.width) / 2);
  const top = Math.floor((height - png.height) / 2);
  for (let row = 0; row < png.height; row++) {
    for (let col = 0; col < png.width; col++) {
      const i = (row * png.width + col) * 4;
      y[(top + row) * width + left + col] = png.data[i] < 128 ? 16 : 235;
    }
  }
  const chroma = Buffer.alloc((width / 2) * (height / 2), 128);
  const header = Buffer.from(`YUV4MPEG2 W${width} H${height} F30:1 Ip A1:1 C420jpeg\n`);
  const frame = Buffer.concat([Buffer.from('FRAME\n'), y, chroma, chroma]);
  writeFileSync(file, Buffer.concat([header, ...Array(frames).fill(frame)]));
};
