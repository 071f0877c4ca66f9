import * as React from 'react';
import { useIntl } from 'react-intl';
import { useFetchClient, useRBAC } from '@strapi/strapi/admin';
import { Box, Flex, Grid, Link, Typography } from '@strapi/design-system';
import { NavLink } from 'react-router-dom';
import { API, PERMISSIONS } from '../api';
import { getTranslation } from '../utils';
import type { PerformanceStats } from '../../../shared/contracts';

/**
 * The seats of the performance being edited: confirmed, pending, checked in and free, from the
 * door's statistics route (the figures the door overview shows), and a link to that overview.
 * Shown to those who may read the statistics; others see that they may not.
 */
export const PerformanceSeats = ({ documentId }: { documentId: string }) => {
  const { formatMessage } = useIntl();
  const t = (id: string, defaultMessage: string) => formatMessage({ id: getTranslation(id), defaultMessage });
  const { get } = useFetchClient();
  const { allowedActions, isLoading } = useRBAC({ stats: PERMISSIONS.stats });
  const [stats, setStats] = React.useState<PerformanceStats | null>(null);
  const [failed, setFailed] = React.useState(false);

  React.useEffect(() => {
    if (!allowedActions.canStats) return;
    let live = true;
    get<{ data: PerformanceStats }>(API.stats(documentId))
      .then(({ data }) => live && setStats(data.data))
      .catch(() => live && setFailed(true));
    return () => {
      live = false;
    };
  }, [allowedActions.canStats, documentId, get]);

  if (isLoading) return null;
  if (!allowedActions.canStats) {
    return <Typography textColor="neutral600">{t('cm.seats.noPermission', 'You may not read the seat counts.')}</Typography>;
  }
  if (failed) return <Typography textColor="danger600">{t('cm.seats.failed', 'The seat counts could not be read.')}</Typography>;

  const figures: Array<[string, string, number | undefined]> = [
    ['cm.seats.confirmed', 'Confirmed', stats?.confirmed_seats],
    ['cm.seats.held', 'Held for the waiting list', stats?.held_seats],
    ['cm.seats.pending', 'Pending', stats?.pending_seats],
    ['cm.seats.waiting', 'Waiting (seats)', stats?.waiting_seats],
    ['cm.seats.checkedIn', 'Checked in', stats?.checked_in_seats],
    ['cm.seats.free', 'Free', stats?.available_seats],
  ];
  return (
    <Flex direction="column" alignItems="stretch" gap={3} width="100%" data-testid="performance-seats">
      <Grid.Root gap={2}>
        {figures.map(([id, label, value]) => (
          <Grid.Item key={id} col={6} direction="column" alignItems="stretch">
            <Box background="neutral100" padding={2} hasRadius>
              <Typography variant="sigma" textColor="neutral600" tag="p">
                {t(id, label)}
              </Typography>
              <Typography variant="beta" tag="p">
                {value ?? '–'}
              </Typography>
            </Box>
          </Grid.Item>
        ))}
      </Grid.Root>
      <Flex gap={4} wrap="wrap">
        <Link tag={NavLink} to={`/plugins/booking/overview?performance=${encodeURIComponent(documentId)}`}>
          {t('cm.seats.overview', 'Door overview')}
        </Link>
        <Link tag={NavLink} to={`/plugins/booking/door-list?performance=${encodeURIComponent(documentId)}`}>
          {t('cm.seats.doorList', 'Door list')}
        </Link>
      </Flex>
    </Flex>
  );
};
