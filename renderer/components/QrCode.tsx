import qrcode from 'qrcode-generator';
import { useMemo } from 'react';

/**
 * A QR code drawn here as SVG, from the text alone: nothing is fetched and
 * nothing inline runs, as the till's Content-Security-Policy requires. Error
 * correction M survives a scratched or glaring screen.
 */
export function QrCode({ text, label, size = 200 }: { text: string; label: string; size?: number }) {
  const { count, path } = useMemo(() => {
    const qr = qrcode(0, 'M');
    qr.addData(text, 'Byte');
    qr.make();
    const n = qr.getModuleCount();
    let d = '';
    for (let row = 0; row < n; row++) {
      for (let col = 0; col < n; col++) if (qr.isDark(row, col)) d += `M${col + 4} ${row + 4}h1v1h-1z`;
    }
    return { count: n, path: d };
  }, [text]);
  // Four modules of quiet zone around the code, as the standard asks.
  const side = count + 8;
  return (
    <svg
      className="qr-code"
      role="img"
      aria-label={label}
      width={size}
      height={size}
      viewBox={`0 0 ${side} ${side}`}
      shapeRendering="crispEdges"
      data-qr-text={text}
    >
      <rect width={side} height={side} fill="#fff" />
      <path d={path} fill="#000" />
    </svg>
  );
}
