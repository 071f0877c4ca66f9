import * as React from 'react';
import { useIntl } from 'react-intl';
import { useMutation, useQuery, useQueryClient } from 'react-query';
import { Layouts, Page, useFetchClient } from '@strapi/strapi/admin';
import { Alert, Box, Button, Field, Flex, TextInput, Typography } from '@strapi/design-system';
import { API } from '../api';
import { AccessNeedsSign } from '../components/AccessNeedsSign';
import { PerformancePicker, useDoorPerformances } from '../components/PerformancePicker';
import { useResultText, useT } from '../utils';
import { requestProblem } from '../door/errors';
import type { CreateCheckIn, DoorListEntry } from '../../../shared/contracts';

/** Lower case without accents, as the server searches. */
const fold = (text: string) =>
  text
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase();

const newKey = () => Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');

/**
 * What a printed A4 page holds: only the list, small type, one line per party, 40+ parties a page.
 * The admin's menu and header are hidden on paper.
 */
const PRINT_CSS = `
@page { size: A4 portrait; margin: 10mm; }
@media print {
  body * { visibility: hidden !important; }
  #door-list-print, #door-list-print * { visibility: visible !important; }
  #door-list-print { position: absolute; left: 0; top: 0; width: 100%; padding: 0 !important; box-shadow: none !important; }
  #door-list-print .no-print { display: none !important; }
  #door-list-print table { font-size: 9pt; }
  #door-list-print td, #door-list-print th { padding: 1mm 1.5mm !important; }
  #door-list-print tr { break-inside: avoid; }
}
#door-list-print table { width: 100%; border-collapse: collapse; font-size: 14px; }
#door-list-print th { text-align: left; border-bottom: 2px solid #32324d; padding: 6px 8px; }
#door-list-print td { border-bottom: 1px solid #dcdce4; padding: 6px 8px; vertical-align: middle; }
#door-list-print .tick { width: 14px; height: 14px; border: 1.5px solid #32324d; display: inline-block; text-align: center; line-height: 12px; }
#door-list-print .num { text-align: right; }
#door-list-print .scroll { overflow-x: auto; }
/*
 * A phone (390 px): the admin's content box hides what runs off its side (overflow-x: hidden), so a
 * six-column table would clip the buttons. Each party becomes a block instead: the box and the
 * name on top, reference, seats and needs under it, "Check in" across the whole width.
 */
@media screen and (max-width: 640px) {
  #door-list-print { padding: 8px !important; }
  #door-list-print thead { display: none; }
  #door-list-print table, #door-list-print tbody { display: block; }
  #door-list-print tr { display: flex; flex-wrap: wrap; align-items: center; column-gap: 10px; row-gap: 4px; padding: 10px 0; border-bottom: 1px solid #dcdce4; }
  #door-list-print td { display: block; border: 0; padding: 0 !important; }
  #door-list-print td.name { flex: 1 1 calc(100% - 40px); min-width: 0; font-weight: 600; overflow-wrap: anywhere; }
  #door-list-print td.ref { flex: 0 0 auto; margin-left: 24px; }
  #door-list-print td.num::before { content: '× '; }
  #door-list-print td.needs:empty { display: none; }
  #door-list-print td.action { flex: 0 0 100%; }
  #door-list-print td.action button { width: 100%; justify-content: center; min-height: 44px; }
}
`;

/** The door list: who is expected, printable (A4), searchable, with a one-tap check-in per party. */
export const DoorListPage = () => {
  const { formatDate } = useIntl();
  const t = useT();
  const { get, post } = useFetchClient();
  const { performances, performance, chosen, unknown, setPerformance, failed } = useDoorPerformances();
  const [search, setSearch] = React.useState('');
  const [answer, setAnswer] = React.useState<{ reference: string; result: string } | null>(null);
  const resultText = useResultText();
  const client = useQueryClient();
  const listKey = ['booking', 'door-list', performance];
  const list = useQuery(listKey, async () => (await get<{ data: DoorListEntry[] }>(API.doorList(performance))).data.data, {
    enabled: performance !== '',
    retry: 1,
    // Fresh ticks while the list is open; a failed read is tried again.
    refetchInterval: 30_000,
  });
  const entries = list.data ?? null;
  const loadedAt = list.dataUpdatedAt ? new Date(list.dataUpdatedAt) : null;

  const checkIn = useMutation(
    async (reference: string) => {
      const body: CreateCheckIn.Request = { reference, performance, source: 'manual', idempotency_key: newKey() };
      return (await post<CreateCheckIn.Response>(API.checkIn, body)).data.data.result;
    },
    {
      onSuccess: (result, reference) => setAnswer({ reference, result }),
      // Said as what it is (refused, too many, server busy, no network), not as an invalid ticket.
      onError: (error, reference) => setAnswer({ reference, result: requestProblem(error) ?? 'server_busy' }),
      onSettled: () => void client.invalidateQueries(listKey),
    }
  );

  if (failed) return <Page.Error />;
  if (!performances) return <Page.Loading />;

  const needle = fold(search.trim());
  // Nothing listed while no performance is chosen (an unknown one in the address).
  const shown = (performance ? (entries ?? []) : []).filter(
    (e) => !needle || fold(e.name).includes(needle) || fold(e.reference).includes(needle)
  );
  const when = (iso: string) => formatDate(iso, { weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' });

  return (
    <Layouts.Root>
      <Page.Title>{t('doorList.title', 'Door list')}</Page.Title>
      <style>{PRINT_CSS}</style>
      <Layouts.Header
        title={t('doorList.title', 'Door list')}
        primaryAction={
          <Button onClick={() => window.print()} size="L" data-testid="print">
            {t('doorList.print', 'Print')}
          </Button>
        }
      />
      <Layouts.Content>
        <Flex direction="column" alignItems="stretch" gap={4}>
          <PerformancePicker performances={performances} value={performance} unknown={unknown} onChange={setPerformance} />
          <Field.Root name="door-list-search">
            <Field.Label>{t('doorList.search', 'Search name or reference')}</Field.Label>
            <TextInput value={search} onChange={(e: React.ChangeEvent<HTMLInputElement>) => setSearch(e.target.value)} autoComplete="off" />
          </Field.Root>
          {list.isError && (
            <Alert variant="danger" closeLabel="" title="" data-testid="load-error">
              {t('common.loadFailed', 'Could not load ({message}): trying again…', { message: (list.error as Error).message })}
            </Alert>
          )}
          {answer && (
            <Typography role="status" data-testid="door-list-answer" data-result={answer.result}>
              {`${answer.reference}: ${resultText(answer.result)}`}
            </Typography>
          )}
          <Box id="door-list-print" background="neutral0" padding={4} hasRadius shadow="tableShadow">
            <Flex justifyContent="space-between" wrap="wrap" gap={2} paddingBottom={2}>
              <Typography tag="h2" variant="delta" data-testid="door-list-performance">
                {chosen ? `${chosen.show_title} · ${when(chosen.starts_at)} · ${chosen.venue_name}` : ''}
              </Typography>
              <Typography variant="pi" data-testid="door-list-printed-at">
                {t('doorList.printedAt', 'Printed {time}', { time: loadedAt ? when(loadedAt.toISOString()) : '–' })}
              </Typography>
            </Flex>
            <Typography variant="pi" tag="p">
              {t('doorList.summary', '{parties, plural, one {# party} other {# parties}}, {seats} seats', {
                parties: shown.length,
                seats: shown.reduce((sum, e) => sum + e.party_size, 0),
              })}
            </Typography>
            <div className="scroll">
              <table data-testid="door-list-table">
                <thead>
                  <tr>
                    <th aria-label={t('doorList.tick', 'Arrived')}>✓</th>
                    <th>{t('doorList.name', 'Name')}</th>
                    <th>{t('overview.reference', 'Reference')}</th>
                    <th className="num">{t('overview.party', 'Party')}</th>
                    <th>{t('access.title', 'Access needs')}</th>
                    <th className="no-print" />
                  </tr>
                </thead>
                <tbody>
                  {shown.map((entry) => (
                    <tr key={entry.reference} data-reference={entry.reference}>
                      <td>
                        <span className="tick">{entry.checked_in_at ? '✓' : ''}</span>
                      </td>
                      <td className="name">{entry.name}</td>
                      <td className="ref" style={{ fontFamily: 'monospace' }}>
                        {entry.reference}
                      </td>
                      <td className="num">{entry.party_size}</td>
                      <td className="needs">{entry.access_needs.length > 0 && <AccessNeedsSign needs={entry.access_needs} compact />}</td>
                      <td className="no-print action">
                        {entry.checked_in_at ? (
                          <Typography variant="pi">{`${formatDate(entry.checked_in_at, { hour: '2-digit', minute: '2-digit' })} · ${entry.checked_in_by ?? ''}`}</Typography>
                        ) : (
                          <Button size="S" variant="secondary" onClick={() => checkIn.mutate(entry.reference)} data-testid="tap-check-in">
                            {t('doorList.checkIn', 'Check in')}
                          </Button>
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </Box>
        </Flex>
      </Layouts.Content>
    </Layouts.Root>
  );
};
