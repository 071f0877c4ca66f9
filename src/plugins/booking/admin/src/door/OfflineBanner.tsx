import { Box, Typography } from '@strapi/design-system';
import { useT } from '../utils';

/**
 * Impossible to miss: with no network the page says so across the screen, that the phone judges
 * tickets by itself, and how many admissions wait to be sent; once the network is back, that
 * they are being sent. Nothing when online with nothing waiting.
 */
export const OfflineBanner = ({ offline, waiting }: { offline: boolean; waiting: number }) => {
  const t = useT();
  if (!offline && waiting === 0) return null;
  return (
    <Box
      role="alert"
      data-testid="offline"
      data-waiting={waiting}
      padding={4}
      hasRadius
      style={{ background: offline ? '#1a1a1a' : '#1d4ed8', color: '#fff', border: '4px solid #f0a500' }}
    >
      <Typography tag="p" style={{ fontSize: 30, fontWeight: 800, lineHeight: 1.1, color: 'inherit' }}>
        {offline ? t('scanner.offlineTitle', 'NO NETWORK') : t('scanner.sendingTitle', 'Network back')}
      </Typography>
      <Typography tag="p" style={{ fontSize: 18, color: 'inherit', marginTop: 4 }}>
        {offline
          ? t('scanner.offlineJudging', 'Tickets are judged on this phone.')
          : t('scanner.sending', 'Sending the scans made offline…')}
      </Typography>
      <Typography tag="p" style={{ fontSize: 22, fontWeight: 700, color: 'inherit', marginTop: 4 }} data-testid="offline-waiting">
        {t(
          'scanner.waiting',
          '{count, plural, =0 {No scan waiting to be sent} one {# scan waiting to be sent} other {# scans waiting to be sent}}',
          {
            count: waiting,
          }
        )}
      </Typography>
    </Box>
  );
};
