import { useIntl } from 'react-intl';
import { Box, Typography } from '@strapi/design-system';
import { useT } from '../utils';
import type { OfflineConflict } from '../../../shared/door-snapshot';

/**
 * The door overview's list of tickets let in twice: an offline scanner admitted a ticket that
 * another scan had already checked in (API.md, "The door when the network drops"). Both times and
 * both staff members, so the manager can ask at the door. Nothing at all while there are none.
 */
export const OfflineConflicts = ({ conflicts }: { conflicts: OfflineConflict[] | null | undefined }) => {
  const { formatTime } = useIntl();
  const t = useT();
  if (!conflicts || conflicts.length === 0) return null;
  const time = (iso: string | null) => (iso ? formatTime(iso, { hour: '2-digit', minute: '2-digit', second: '2-digit' }) : '–');
  return (
    <Box
      background="danger100"
      borderColor="danger600"
      borderStyle="solid"
      borderWidth="1px"
      padding={3}
      hasRadius
      data-testid="offline-conflicts"
    >
      <Typography variant="delta" tag="h2" textColor="danger700">
        {t('overview.conflicts', 'Let in twice (offline scans): {count}', { count: conflicts.length })}
      </Typography>
      <Typography tag="p" variant="pi" textColor="neutral800">
        {t('overview.conflictsHelp', 'A scanner without network admitted these tickets after another scan had already checked them in.')}
      </Typography>
      <Box tag="ul" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
        {conflicts.map((conflict, i) => (
          <Box tag="li" key={`${conflict.reference ?? '?'}-${conflict.scanned_at}-${i}`} paddingTop={1}>
            <Typography style={{ overflowWrap: 'anywhere' }}>
              {t(
                'overview.conflictLine',
                '{reference}: checked in at {first} by {firstBy}; admitted again offline at {second} by {secondBy}',
                {
                  reference: conflict.reference ?? '?',
                  first: time(conflict.checked_in_at),
                  firstBy: conflict.checked_in_by ?? '–',
                  second: time(conflict.scanned_at),
                  secondBy: conflict.scanned_by || '–',
                }
              )}
            </Typography>
          </Box>
        ))}
      </Box>
    </Box>
  );
};
