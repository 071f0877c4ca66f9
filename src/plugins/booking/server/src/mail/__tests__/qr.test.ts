import { randomBytes } from 'node:crypto';
import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import { qrPng } from '../qr';

const read = (png: Buffer) => {
  const image = PNG.sync.read(png);
  return { image, text: jsQR(new Uint8ClampedArray(image.data), image.width, image.height)?.data };
};

test('a ticket token comes back from its PNG as a camera reads it', () => {
  for (let i = 0; i < 20; i++) {
    const token = randomBytes(32).toString('base64url');
    const { image, text } = read(qrPng(token));
    expect(text).toBe(token);
    // A square of whole modules with the quiet zone: 8 px per module.
    expect(image.width).toBe(image.height);
    expect(image.width % 8).toBe(0);
  }
});

test('the image is black and white only, and small', () => {
  const png = qrPng(randomBytes(32).toString('base64url'));
  const { image } = read(png);
  const values = new Set<number>();
  for (let i = 0; i < image.data.length; i += 4) values.add(image.data[i]);
  expect([...values].sort((a, b) => a - b)).toEqual([0, 255]);
  expect(png.length).toBeLessThan(8 * 1024);
});

test('longer texts (a whole ticket URL) still fit and read back', () => {
  const url = `https://www.azionelab.it/site/ticket?token=${randomBytes(32).toString('base64url')}`;
  expect(read(qrPng(url)).text).toBe(url);
});
