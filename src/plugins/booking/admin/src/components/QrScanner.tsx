import * as React from 'react';
import jsQR from 'jsqr';

export type CameraProblem = 'insecure' | 'unsupported' | 'denied' | 'missing' | 'failed';

interface QrScannerProps {
  /** Called with the text of every QR code seen; the page decides what it means. */
  onScan: (text: string) => void;
  onProblem: (problem: CameraProblem) => void;
}

interface Detector {
  detect(source: CanvasImageSource): Promise<Array<{ rawValue: string }>>;
}

declare global {
  /** The Shape Detection API's BarcodeDetector: Android Chrome has it, TypeScript's DOM types not yet. */
  interface Window {
    BarcodeDetector?: new (options: { formats: string[] }) => Detector;
  }
}

/**
 * The camera widget: the rear camera, decoded continuously. It uses the browser's
 * BarcodeDetector where there is one (Chrome on Android: fast, native), and jsQR otherwise
 * (desktop Chromium, Firefox, Safari); it reports text and nothing else.
 */
export const QrScanner = ({ onScan, onProblem }: QrScannerProps) => {
  const video = React.useRef<HTMLVideoElement>(null);
  const onScanRef = React.useRef(onScan);
  // The camera loop reads the latest callback through this ref; it changes after render, not in it.
  React.useLayoutEffect(() => {
    onScanRef.current = onScan;
  });

  React.useEffect(() => {
    if (!window.isSecureContext) return onProblem('insecure');
    if (!navigator.mediaDevices?.getUserMedia) return onProblem('unsupported');
    let stream: MediaStream | null = null;
    let timer: number | undefined;
    let stopped = false;
    const canvas = document.createElement('canvas');
    const context = canvas.getContext('2d', { willReadFrequently: true });
    const Native = window.BarcodeDetector;
    const detector = Native ? new Native({ formats: ['qr_code'] }) : null;

    const tick = async () => {
      if (stopped) return;
      const v = video.current;
      if (v && v.readyState >= 2 && context) {
        try {
          let text: string | null = null;
          if (detector) {
            const codes = await detector.detect(v);
            text = codes[0]?.rawValue ?? null;
          } else {
            canvas.width = v.videoWidth;
            canvas.height = v.videoHeight;
            context.drawImage(v, 0, 0, canvas.width, canvas.height);
            const image = context.getImageData(0, 0, canvas.width, canvas.height);
            text = jsQR(image.data, image.width, image.height, { inversionAttempts: 'dontInvert' })?.data ?? null;
          }
          if (text) onScanRef.current(text);
        } catch {
          // A frame that cannot be read is skipped; the next one may be.
        }
      }
      timer = window.setTimeout(tick, 150);
    };

    navigator.mediaDevices
      .getUserMedia({ video: { facingMode: { ideal: 'environment' } }, audio: false })
      .then((s) => {
        if (stopped) return s.getTracks().forEach((t) => t.stop());
        stream = s;
        if (video.current) {
          video.current.srcObject = s;
          void video.current.play().catch(() => undefined);
        }
        tick();
      })
      .catch((error: DOMException) => {
        if (error.name === 'NotAllowedError' || error.name === 'SecurityError') onProblem('denied');
        else if (error.name === 'NotFoundError' || error.name === 'OverconstrainedError') onProblem('missing');
        else onProblem('failed');
      });

    return () => {
      stopped = true;
      window.clearTimeout(timer);
      stream?.getTracks().forEach((t) => t.stop());
    };
  }, [onProblem]);

  return (
    <video
      ref={video}
      muted
      playsInline
      data-testid="qr-video"
      style={{ width: '100%', maxHeight: '40vh', objectFit: 'cover', borderRadius: 8, background: '#000' }}
    />
  );
};
