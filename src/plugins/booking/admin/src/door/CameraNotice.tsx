import { Alert } from '@strapi/design-system';
import type { CameraProblem } from '../components/QrScanner';
import { useT } from '../utils';

/** Why the camera is not scanning, and what to do instead. */
export const CameraNotice = ({ problem }: { problem: CameraProblem | null }) => {
  const t = useT();
  if (!problem) return null;
  const message = {
    insecure: t('camera.insecure', 'The camera needs HTTPS: open the admin panel over https:// to scan. Typing the code works.'),
    unsupported: t('camera.unsupported', 'This browser cannot use a camera. Type the code below.'),
    denied: t('camera.denied', 'Camera access was refused. Allow it in the browser settings, or type the code below.'),
    missing: t('camera.missing', 'No camera found. Type the code below.'),
    failed: t('camera.failed', 'The camera could not start. Type the code below.'),
  }[problem];
  return (
    <Alert variant="warning" closeLabel="" title="" data-testid="camera-problem">
      {message}
    </Alert>
  );
};
