import * as React from 'react';
import { useIntl } from 'react-intl';
import { Layouts, Page, useFetchClient } from '@strapi/strapi/admin';
import { Box, Flex, Grid, Table, Tbody, Td, Th, Thead, Tr, Typography } from '@strapi/design-system';
import { API } from '../api';
import { getTranslation } from '../utils';
import type { PerformanceStats, ScanRecord } from '../../../shared/contracts';
import { seatsOffered } from '../../../shared/rules';
import { PerformancePicker, useDoorPerformances } from '../components/PerformancePicker';

/** The door overview for managers: seats, confirmed, pending, checked in, and the latest scans. */
export const OverviewPage = () => {
  const { formatMessage, formatTime } = useIntl();
  const t = (id: string, defaultMessage: string) => formatMessage({ id: getTranslation(id), defaultMessage });
  const { get } = useFetchClient();
  const { performances, performance, setPerformance, failed } = useDoorPerformances();
  const [stats, setStats] = React.useState<PerformanceStats | null>(null);
  const [scans, setScans] = React.useState<ScanRecord[]>([]);

  React.useEffect(() => {
    if (!performance) return;
    const load = () => {
      get<{ data: PerformanceStats }>(API.stats(performance))
        .then(({ data }) => setStats(data.data))
        .catch(() => undefined);
      get<{ data: ScanRecord[] }>(API.scans(performance))
        .then(({ data }) => setScans(data.data))
        .catch(() => undefined);
    };
    load();
    const timer = window.setInterval(load, 10_000);
    return () => window.clearInterval(timer);
  }, [get, performance]);

  if (failed) return <Page.Error />;
  if (!performances) return <Page.Loading />;

  const figures: Array<[string, string, number | undefined]> = [
    ['overview.capacity', 'Seats', stats ? seatsOffered(stats) : undefined],
    ['overview.confirmed', 'Confirmed', stats?.confirmed_seats],
    ['overview.pending', 'Pending', stats?.pending_seats],
    ['overview.available', 'Available', stats?.available_seats],
    ['overview.checkedIn', 'Checked in (seats)', stats?.checked_in_seats],
    ['overview.parties', 'Checked in (parties)', stats?.checked_in_reservations],
  ];

  return (
    <Layouts.Root>
      <Page.Title>{t('overview.title', 'Door overview')}</Page.Title>
      <Layouts.Header title={t('overview.title', 'Door overview')} />
      <Layouts.Content>
        <Flex direction="column" alignItems="stretch" gap={4}>
          <PerformancePicker performances={performances} value={performance} onChange={setPerformance} />
          <Grid.Root gap={3}>
            {figures.map(([id, label, value]) => (
              <Grid.Item key={id} col={2} s={6} xs={6}>
                <Box background="neutral0" padding={3} hasRadius shadow="tableShadow" width="100%">
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
          <Typography variant="delta" tag="h2">
            {t('overview.recent', 'Recent scans')}
          </Typography>
          <Table colCount={5} rowCount={scans.length + 1}>
            <Thead>
              <Tr>
                <Th>
                  <Typography variant="sigma">{t('overview.time', 'Time')}</Typography>
                </Th>
                <Th>
                  <Typography variant="sigma">{t('overview.result', 'Result')}</Typography>
                </Th>
                <Th>
                  <Typography variant="sigma">{t('overview.reference', 'Reference')}</Typography>
                </Th>
                <Th>
                  <Typography variant="sigma">{t('overview.party', 'Party')}</Typography>
                </Th>
                <Th>
                  <Typography variant="sigma">{t('overview.staff', 'Staff')}</Typography>
                </Th>
              </Tr>
            </Thead>
            <Tbody>
              {scans.map((scan, i) => (
                <Tr key={`${scan.scanned_at}-${i}`}>
                  <Td>
                    <Typography>{formatTime(scan.scanned_at, { hour: '2-digit', minute: '2-digit', second: '2-digit' })}</Typography>
                  </Td>
                  <Td>
                    <Typography>{t(`result.${scan.result}`, scan.result)}</Typography>
                  </Td>
                  <Td>
                    <Typography>{scan.reference ?? '–'}</Typography>
                  </Td>
                  <Td>
                    <Typography>{scan.party_size ?? '–'}</Typography>
                  </Td>
                  <Td>
                    <Typography>{scan.scanned_by}</Typography>
                  </Td>
                </Tr>
              ))}
            </Tbody>
          </Table>
        </Flex>
      </Layouts.Content>
    </Layouts.Root>
  );
};
