import * as React from 'react';
import { useIntl } from 'react-intl';
import { useSearchParams } from 'react-router-dom';
import { useQuery } from 'react-query';
import { useFetchClient } from '@strapi/strapi/admin';
import { Alert, Combobox, ComboboxOption, Field, Typography } from '@strapi/design-system';
import { API } from '../api';
import { useT } from '../utils';
import type { DoorPerformance } from '../../../shared/contracts';

/** The address's parameter naming the performance a page shows (a link from the seats panel sets it). */
export const PERFORMANCE_PARAM = 'performance';

/**
 * The season's performances (tonight's first, then those to come, then the past ones) and the
 * one a page shows. `?performance=` in the address chooses it; an id not in the season is kept in
 * `unknown` and nothing is chosen, so the page says so instead of showing another evening. Without
 * it, the one whose check-in window is open, else the next to come. Choosing one writes it into
 * the address, so a reload, a link to another page and the browser's back keep it.
 * `performances` is null while loading; `failed` is true when they could not be read.
 */
export const useDoorPerformances = () => {
  const { get } = useFetchClient();
  const [params, setParams] = useSearchParams();
  const asked = params.get(PERFORMANCE_PARAM);
  const query = useQuery(
    ['booking', 'door-performances'],
    async () => (await get<{ data: DoorPerformance[] }>(API.doorPerformances)).data.data,
    {
      staleTime: 60_000,
    }
  );
  const performances = query.data ?? null;
  const failed = query.isError;
  const first = performances?.find((p) => p.check_in_open) ?? performances?.find((p) => !p.past) ?? performances?.[0];
  const fallback = first?.documentId ?? '';

  const known = asked !== null && (performances === null || performances.some((p) => p.documentId === asked));
  const performance = asked === null ? fallback : known ? asked : '';
  const unknown = asked !== null && performances !== null && !known ? asked : null;
  const chosen = performances?.find((p) => p.documentId === performance) ?? null;
  const setPerformance = React.useCallback(
    (documentId: string) =>
      setParams(
        (current) => {
          const next = new URLSearchParams(current);
          next.set(PERFORMANCE_PARAM, documentId);
          return next;
        },
        { replace: true }
      ),
    [setParams]
  );
  return { performances, performance, chosen, unknown, setPerformance, failed };
};

/** "Amleto · sab 12 dic, 21:00 · Sala Grande", in the panel's language. */
export const usePerformanceLabel = () => {
  const { formatDate } = useIntl();
  return React.useCallback(
    (p: DoorPerformance) =>
      `${p.show_title} · ${formatDate(p.starts_at, { weekday: 'short', day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit' })} · ${p.venue_name}`,
    [formatDate]
  );
};

/**
 * A searchable list of the season's performances (type part of the title, the venue or the date),
 * the chosen one named under it; an unknown `?performance=` is said, not replaced.
 */
export const PerformancePicker = ({
  performances,
  value,
  unknown,
  onChange,
}: {
  performances: DoorPerformance[];
  value: string;
  unknown?: string | null;
  onChange: (documentId: string) => void;
}) => {
  const t = useT();
  const label = usePerformanceLabel();
  const chosen = performances.find((p) => p.documentId === value);
  return (
    <Field.Root name="performance" hint={t('picker.hint', 'Type part of the title, the venue or the date')}>
      <Field.Label>{t('scanner.performance', 'Performance')}</Field.Label>
      <Combobox
        value={value || undefined}
        onChange={(next?: string) => next && onChange(String(next))}
        autocomplete={{ type: 'list', filter: 'contains' }}
        placeholder={t('picker.placeholder', 'Choose a performance')}
        noOptionsMessage={() => t('picker.none', 'No performance matches')}
        data-testid="performance-picker"
      >
        {performances.map((p) => (
          <ComboboxOption key={p.documentId} value={p.documentId}>
            {p.past ? `${label(p)} ${t('picker.past', '(past)')}` : label(p)}
          </ComboboxOption>
        ))}
      </Combobox>
      <Field.Hint />
      {unknown ? (
        <Alert variant="danger" closeLabel="" title="" data-testid="unknown-performance">
          {t('picker.unknown', 'The performance in the address ({id}) is not in the season: it may have been deleted. Choose one.', {
            id: unknown,
          })}
        </Alert>
      ) : (
        <Typography tag="p" variant="omega" fontWeight="bold" data-testid="chosen-performance" style={{ paddingTop: 4 }}>
          {chosen ? t('picker.showing', 'Showing: {performance}', { performance: label(chosen) }) : ''}
        </Typography>
      )}
    </Field.Root>
  );
};
