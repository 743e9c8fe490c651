// qr.js — a QR code as an SVG path (qrcode-generator, MIT, no dependencies): the dark modules of
// text encoded in byte mode with error correction M, drawn on a grid with a 4-module quiet zone.
import qrcode from 'qrcode-generator';

/** { size, path }: the SVG viewBox size and the path of the dark modules of text. */
export function qrPath(text) {
  const qr = qrcode(0, 'M');
  qr.addData(text, 'Byte');
  qr.make();
  const n = qr.getModuleCount();
  const quiet = 4;
  let path = '';
  for (let r = 0; r < n; r++) {
    for (let c = 0; c < n; c++) {
      if (qr.isDark(r, c)) path += `M${c + quiet} ${r + quiet}h1v1h-1z`;
    }
  }
  return { size: n + 2 * quiet, path };
}
