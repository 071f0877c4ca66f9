import * as React from 'react';
import { Link } from 'react-router-dom';
import { useQuery } from 'react-query';
import { Layouts, Page, useFetchClient } from '@strapi/strapi/admin';
import { Alert, Box, Button, Field, Flex, LinkButton, TextInput, Typography } from '@strapi/design-system';
import { PerformancePicker, useDoorPerformances } from '../components/PerformancePicker';
import { QrScanner, type CameraProblem } from '../components/QrScanner';
import { API } from '../api';
import { useT } from '../utils';
import type { PerformanceStats } from '../../../shared/contracts';
import { CameraNotice } from '../door/CameraNotice';
import { OfflineBanner } from '../door/OfflineBanner';
import { ScanAnswer } from '../door/ScanAnswer';
import { SnapshotStatus } from '../door/SnapshotStatus';
import { useDoorQueue } from '../door/useDoorQueue';
import { useDoorSnapshots } from '../door/useDoorSnapshots';
import { useOnline } from '../door/useOnline';
import { useReader } from '../door/useReader';
import { useScan } from '../door/useScan';
import { useServiceWorker } from '../door/useServiceWorker';

/**
 * The door: the camera (or a hand-held reader, or typing) gives a code; the server judges it, or,
 * with no network, the phone does from the performance's snapshot and keeps the admission to send
 * later. Each concern lives in its own hook under door/: the snapshot, the queue, the answer.
 */
export const ScannerPage = () => {
  const t = useT();
  const { get } = useFetchClient();
  const { performances, performance, unknown, setPerformance, failed: loadError } = useDoorPerformances();
  const [camera, setCamera] = React.useState<CameraProblem | null>(null);
  const [manual, setManual] = React.useState('');

  const offlineLoading = useServiceWorker();
  const online = useOnline();
  const snapshot = useDoorSnapshots(performance, performances ?? undefined);
  const queue = useDoorQueue();
  const { answer, count, submit, dismiss, secondsLeft } = useScan(performance, queue.changed);
  const stats = useQuery(
    ['booking', 'stats', performance],
    async () => (await get<{ data: PerformanceStats }>(API.stats(performance))).data.data,
    {
      enabled: performance !== '' && online,
      refetchInterval: 10_000,
      retry: false,
    }
  );

  // A hand-held reader types the code and Enter: no tap needed.
  useReader((code) => void submit(code, 'qr_scan'));
  const onScan = React.useCallback((text: string) => void submit(text, 'qr_scan', true), [submit]);
  const onProblem = React.useCallback((problem: CameraProblem) => setCamera(problem), []);

  if (loadError) return <Page.Error />;
  if (!performances) return <Page.Loading />;

  // Offline: the browser says so, or the server did not answer the last snapshot refresh.
  const offline = !online || snapshot.data?.fresh === false;

  return (
    <Layouts.Root>
      <Page.Title>{t('scanner.title', 'Check-in')}</Page.Title>
      <Layouts.Header
        title={t('scanner.title', 'Check-in')}
        subtitle={t('scanner.subtitle', 'Scan tickets at the door')}
        secondaryAction={
          <Flex gap={2} wrap="wrap">
            <LinkButton
              tag={Link}
              to={`overview?performance=${encodeURIComponent(performance)}`}
              variant="secondary"
              size="L"
              data-testid="overview-link"
            >
              {t('overview.title', 'Door overview')}
            </LinkButton>
            <LinkButton tag={Link} to={`door-list?performance=${encodeURIComponent(performance)}`} variant="tertiary" size="L">
              {t('doorList.title', 'Door list')}
            </LinkButton>
          </Flex>
        }
      />
      <Layouts.Content>
        <Flex direction="column" alignItems="stretch" gap={4} style={{ maxWidth: 560 }}>
          <OfflineBanner offline={offline} waiting={queue.waiting} />
          {queue.totals.conflicts > 0 && (
            <Alert variant="danger" closeLabel="" title="" data-testid="offline-conflicts">
              {t(
                'scanner.conflicts',
                '{count, plural, one {# ticket} other {# tickets}} let in offline had already been let in: see the door overview.',
                {
                  count: queue.totals.conflicts,
                }
              )}
            </Alert>
          )}
          {performances.length === 0 ? (
            <Alert variant="default" closeLabel="" title="">
              {t('scanner.noPerformances', 'No performance in the season.')}
            </Alert>
          ) : (
            <PerformancePicker performances={performances} value={performance} unknown={unknown} onChange={setPerformance} />
          )}
          {performance && <SnapshotStatus state={snapshot.data} error={snapshot.error} loading={offlineLoading} />}

          {stats.data && !offline && (
            <Box background="neutral0" padding={3} hasRadius shadow="tableShadow" data-testid="door-counts">
              <Typography variant="omega">
                {t('scanner.counts', 'In: {parties, plural, one {# party} other {# parties}} · {seats} of {confirmed} seats', {
                  parties: stats.data.checked_in_reservations,
                  seats: stats.data.checked_in_seats,
                  confirmed: stats.data.confirmed_seats,
                })}
              </Typography>
            </Box>
          )}

          {answer ? (
            <ScanAnswer answer={answer} count={count} secondsLeft={secondsLeft} onDismiss={dismiss} />
          ) : (
            <QrScanner onScan={onScan} onProblem={onProblem} />
          )}
          <CameraNotice problem={camera} />

          <form
            onSubmit={(event) => {
              event.preventDefault();
              if (manual.trim()) void submit(manual.trim(), 'manual');
              setManual('');
            }}
          >
            <Flex gap={2} alignItems="flex-end">
              <Box flex="1">
                <Field.Root
                  name="manual-token"
                  hint={t('scanner.readerHint', 'A hand-held reader works as it is: scan, and the code is sent.')}
                >
                  <Field.Label>{t('scanner.manual', 'Ticket code or reference')}</Field.Label>
                  <TextInput
                    value={manual}
                    onChange={(e: React.ChangeEvent<HTMLInputElement>) => setManual(e.target.value)}
                    autoComplete="off"
                  />
                  <Field.Hint />
                </Field.Root>
              </Box>
              <Button type="submit" size="L">
                {t('scanner.check', 'Check')}
              </Button>
            </Flex>
          </form>
        </Flex>
      </Layouts.Content>
    </Layouts.Root>
  );
};
