import { useIntl } from 'react-intl';
import { Typography } from '@strapi/design-system';
import { useT } from '../utils';
import type { DoorSnapshotState } from './useDoorSnapshots';
import type { OfflineLoading } from './useServiceWorker';

/** How ready the phone is to judge with no network: how many tickets it holds, and from when. */
export const SnapshotStatus = ({
  state,
  error,
  loading,
}: {
  state: DoorSnapshotState | undefined;
  error: unknown;
  loading: OfflineLoading;
}) => {
  const { formatTime } = useIntl();
  const t = useT();
  const reload =
    loading === 'unavailable' ? (
      <Typography variant="pi" textColor="danger600" tag="p" data-testid="offline-loading-unavailable">
        {t('scanner.noOfflineLoading', 'This browser will not reopen the scanner with no network: keep this page open.')}
      </Typography>
    ) : null;
  if (!state) {
    return (
      <>
        {reload}
        <Typography variant="pi" textColor={error ? 'danger600' : 'neutral600'} data-testid="snapshot-status" data-ready="false">
          {error
            ? t('scanner.snapshotFailed', 'The ticket list for use without network could not be loaded: it needs the network once.')
            : t('scanner.snapshotLoading', 'Loading the ticket list for use without network…')}
        </Typography>
      </>
    );
  }
  return (
    <>
      {reload}
      <Typography variant="pi" textColor="neutral600" data-testid="snapshot-status" data-ready="true">
        {t('scanner.snapshotReady', 'Ready without network: {count, plural, one {# ticket} other {# tickets}}, updated at {time}', {
          count: Object.keys(state.snapshot.tickets).length,
          time: formatTime(state.snapshot.fetched_at, { hour: '2-digit', minute: '2-digit', second: '2-digit' }),
        })}
      </Typography>
    </>
  );
};
