import * as React from 'react';
import { useIntl } from 'react-intl';
import { Link } from 'react-router-dom';
import { useQuery } from 'react-query';
import { Layouts, Page, useFetchClient, useRBAC } from '@strapi/strapi/admin';
import { Alert, Box, Button, Flex, Grid, LinkButton, Typography } from '@strapi/design-system';
import { API, PERMISSIONS } from '../api';
import { useResultText, useT, type MessageId } from '../utils';
import type { ConfirmationsPerDay, PerformanceStats, ScanRecord } from '../../../shared/contracts';
import { seatsOffered } from '../../../shared/rules';
import { ConfirmationsChart } from '../components/ConfirmationsChart';
import { OfflineConflicts } from '../components/OfflineConflicts';
import type { OfflineConflict } from '../../../shared/door-snapshot';
import { PerformancePicker, useDoorPerformances } from '../components/PerformancePicker';
import { AudienceMessages } from '../components/AudienceMessages';

/**
 * What the overview offers beyond the counts. Strapi's useRBAC names each check by the last part
 * of its action: door-list.read -> canRead, box-office.create -> canCreate. One array for the
 * module, so the check runs once, not at every render.
 */
const OFFERS = [...PERMISSIONS.doorList, ...PERMISSIONS.boxOffice];

/** The file name in a Content-Disposition header (`attachment; filename="x.csv"`), if any. */
const fileNameOf = (header: string | null | undefined) => header?.match(/filename="?([^";]+)"?/)?.[1] ?? null;

/** The statistics as the waiting list will extend them: seats held by open offers (0 until then). */
type OverviewStats = PerformanceStats & { held_seats?: number };

/**
 * The door overview for managers: confirmed, held, checked-in and free seats, confirmations per
 * day, the exports and the printable list one click away, and the latest scans.
 */
export const OverviewPage = () => {
  const { formatTime, locale } = useIntl();
  const t = useT();
  const { get } = useFetchClient();
  const { performances, performance, unknown, setPerformance, failed } = useDoorPerformances();
  const resultText = useResultText();
  // Every 10 seconds while the page is open; a failed read is said on the page and tried again.
  const live = { enabled: performance !== '', refetchInterval: 10_000, retry: 1 };
  const statsQuery = useQuery(
    ['booking', 'stats', performance],
    async () => (await get<{ data: OverviewStats }>(API.stats(performance))).data.data,
    live
  );
  const scansQuery = useQuery(
    ['booking', 'scans', performance],
    async () => (await get<{ data: ScanRecord[] }>(API.scans(performance))).data.data,
    live
  );
  const daysQuery = useQuery(
    ['booking', 'confirmations-per-day', performance],
    async () => (await get<{ data: ConfirmationsPerDay[] }>(API.confirmationsPerDay(performance))).data.data,
    live
  );
  const conflictsQuery = useQuery(
    ['booking', 'offline-conflicts', performance],
    async () => (await get<{ data: OfflineConflict[] }>(API.offlineConflicts(performance))).data.data,
    live
  );
  const stats = statsQuery.data ?? null;
  const conflicts = conflictsQuery.data ?? null;
  const scans = scansQuery.data ?? [];
  const days = daysQuery.data ?? null;
  const loadError = [statsQuery, scansQuery, daysQuery, conflictsQuery].find((q) => q.isError)?.error as Error | undefined;
  const { allowedActions } = useRBAC(OFFERS);
  const mayReadDoorList = allowedActions.canRead === true;
  const mayBook = allowedActions.canCreate === true;

  /**
   * The export arrives with the admin's token, then is saved under the name the server gives it
   * (show, date, time). The XLSX is written in the panel's language, which the request names.
   */
  const download = async (format: 'csv' | 'xlsx') => {
    const { data, headers } = (await get<Blob>(API.doorList(performance, format), {
      responseType: 'blob',
      headers: { 'Accept-Language': locale },
    })) as { data: Blob; headers?: Headers };
    const url = URL.createObjectURL(data);
    const link = document.createElement('a');
    link.href = url;
    link.download = fileNameOf(headers?.get('content-disposition')) ?? `door-list-${performance}.${format}`;
    document.body.appendChild(link);
    link.click();
    link.remove();
    window.setTimeout(() => URL.revokeObjectURL(url), 1000);
  };

  if (failed) return <Page.Error />;
  if (!performances) return <Page.Loading />;

  const figures: Array<[MessageId, string, number | undefined]> = [
    ['overview.capacity', 'Seats', stats ? seatsOffered(stats) : undefined],
    ['overview.confirmed', 'Confirmed', stats?.confirmed_seats],
    ['overview.held', 'Held', stats ? (stats.held_seats ?? 0) : undefined],
    ['overview.checkedIn', 'Checked in (seats)', stats?.checked_in_seats],
    ['overview.available', 'Free', stats?.available_seats],
    ['overview.pending', 'Pending', stats?.pending_seats],
  ];

  return (
    <Layouts.Root>
      <Page.Title>{t('overview.title', 'Door overview')}</Page.Title>
      <Layouts.Header title={t('overview.title', 'Door overview')} />
      <Layouts.Content>
        <Flex direction="column" alignItems="stretch" gap={4}>
          <PerformancePicker performances={performances} value={performance} unknown={unknown} onChange={setPerformance} />
          {loadError && (
            <Alert variant="danger" closeLabel="" title="" data-testid="load-error">
              {t('common.loadFailed', 'Could not load ({message}): trying again…', { message: loadError.message })}
            </Alert>
          )}
          {mayReadDoorList && performance && (
            <Flex gap={2} wrap="wrap" data-testid="door-list-actions">
              <LinkButton
                tag={Link}
                to={`../door-list?performance=${encodeURIComponent(performance)}`}
                relative="path"
                size="L"
                variant="secondary"
              >
                {t('doorList.printable', 'Printable door list')}
              </LinkButton>
              <Button size="L" variant="tertiary" onClick={() => void download('csv')} data-testid="download-csv">
                {t('doorList.csv', 'Download CSV')}
              </Button>
              <Button size="L" variant="tertiary" onClick={() => void download('xlsx')} data-testid="download-xlsx">
                {t('doorList.xlsx', 'Download Excel')}
              </Button>
              {mayBook && (
                <LinkButton
                  tag={Link}
                  to={`../box-office?performance=${encodeURIComponent(performance)}`}
                  relative="path"
                  size="L"
                  variant="tertiary"
                  data-testid="box-office-link"
                >
                  {t('boxOffice.title', 'Box office')}
                </LinkButton>
              )}
            </Flex>
          )}
          <OfflineConflicts conflicts={conflicts} />
          <Grid.Root gap={3}>
            {figures.map(([id, label, value]) => (
              <Grid.Item key={id} col={2} s={6} xs={6}>
                <Box background="neutral0" padding={3} hasRadius shadow="tableShadow" width="100%" data-testid={id}>
                  <Typography variant="sigma" textColor="neutral600">
                    {t(id, label)}
                  </Typography>
                  <Typography tag="p" variant="alpha">
                    {value ?? '–'}
                  </Typography>
                </Box>
              </Grid.Item>
            ))}
          </Grid.Root>
          <Box background="neutral0" padding={3} hasRadius shadow="tableShadow">
            <Typography variant="delta" tag="h2">
              {t('overview.chart', 'Confirmations per day')}
            </Typography>
            {days && <ConfirmationsChart days={days} capacity={stats ? seatsOffered(stats) : null} />}
          </Box>
          {/* Writing to the audience (issue 22): shown to who may (plugin::booking.performance.message). */}
          {performance && <AudienceMessages key={performance} performance={performance} />}
          <Typography variant="delta" tag="h2">
            {t('overview.recent', 'Recent scans')}
          </Typography>
          {/* A list, not a five-column table: it wraps on a phone instead of running off its edge. */}
          <Box tag="ol" style={{ listStyle: 'none', padding: 0, margin: 0 }} data-testid="recent-scans">
            {scans.map((scan, i) => (
              <Box tag="li" key={`${scan.scanned_at}-${i}`} background="neutral0" padding={2} marginBottom={1} hasRadius>
                <Flex gap={2} wrap="wrap" justifyContent="space-between">
                  <Typography fontWeight="bold">
                    {`${formatTime(scan.scanned_at, { hour: '2-digit', minute: '2-digit', second: '2-digit' })} · ${resultText(scan.result)}`}
                  </Typography>
                  <Typography variant="pi" textColor="neutral600" style={{ overflowWrap: 'anywhere' }}>
                    {[scan.reference, scan.party_size !== null ? `×${scan.party_size}` : null, scan.scanned_by].filter(Boolean).join(' · ')}
                  </Typography>
                </Flex>
              </Box>
            ))}
          </Box>
        </Flex>
      </Layouts.Content>
    </Layouts.Root>
  );
};
