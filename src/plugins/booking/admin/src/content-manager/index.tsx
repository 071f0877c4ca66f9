import * as React from 'react';
import { FormattedMessage } from 'react-intl';
import { Typography } from '@strapi/design-system';
import { PerformanceSeats } from './PerformanceSeatsPanel';
import { SeatsFreeCell } from './SeatsFreeCell';
import { UpcomingFirst } from './UpcomingFirst';
import { CancelReservationAction } from './CancelReservationAction';
import { ResendTicketAction } from './ResendTicketAction';
import { CancelPerformanceAction } from './CancelPerformanceAction';
import { AccessNeeds } from './AccessNeedsPanel';
import { useSlugFollowsTitle } from './useSlugFollowsTitle';
import { usePrefillCapacity } from './usePrefillCapacity';
import { MODEL } from './constants';
import { getTranslation } from '../utils';

/** The Content Manager's hook names (its constants/hooks, not exported). */
const HOOKS = {
  injectColumn: 'Admin/CM/pages/ListView/inject-column-in-table',
  mutateEditLayout: 'Admin/CM/pages/EditView/mutate-edit-view-layout',
};

interface Field {
  name: string;
  hint?: React.ReactNode;
  attribute?: { type: string };
  [key: string]: unknown;
}
interface Header extends Field {
  cellFormatter?: (row: Record<string, unknown>) => React.ReactNode;
}
export interface AdminApp {
  getPlugin(id: string):
    | {
        apis: Record<string, (arg: unknown) => void>;
        injectComponent(view: string, zone: string, component: { name: string; Component: React.ComponentType }): void;
      }
    | undefined;
  registerHook(name: string, fn: (...args: never[]) => unknown): void;
}

/** The list's model, read from the route: the column hook is not told which type it lists. */
const listedModel = () => decodeURIComponent(window.location.pathname).match(/collection-types\/([^/?]+)/)?.[1] ?? '';

/** An enumeration value in the editor's language: the keys are the values, as Strapi's own selects use. */
const enumCell = (name: string) => (row: Record<string, unknown>) => {
  const value = row[name];
  if (value === null || value === undefined || value === '') return '-';
  return <FormattedMessage id={String(value)} defaultMessage={String(value)} />;
};

/**
 * A reservation's (or waiting-list entry's) performance in a list: its label without the venue
 * and the year ("Amleto · 12/12 21:00"), on one line, the whole label on hover. The full label
 * made the reservations list wider than a 1440 px screen, its last columns off the side.
 */
const shortPerformance = (name: string) => (row: Record<string, unknown>) => {
  const label = String((row[name] as { label?: string } | null)?.label ?? '');
  if (!label) return '-';
  const [show, when] = label.split(' · ');
  const short = [show, when?.replace(/^(\d{2}\/\d{2})\/\d{4}/, '$1')].filter(Boolean).join(' · ');
  return (
    <Typography tag="span" textColor="neutral800" title={label} ellipsis style={{ display: 'inline-block', maxWidth: 190 }}>
      {short}
    </Typography>
  );
};
const LISTS_WITH_PERFORMANCE: string[] = [MODEL.reservation, 'plugin::booking.waitlist-entry'];

/** A visitor's name in a list: one line, at most 170 px, the whole name on hover. */
const shortText = (name: string) => (row: Record<string, unknown>) => {
  const text = String(row[name] ?? '');
  return (
    <Typography tag="span" textColor="neutral800" title={text} ellipsis style={{ display: 'inline-block', maxWidth: 170 }}>
      {text || '-'}
    </Typography>
  );
};

const seatsColumn: Header = {
  name: 'booking_seats_free',
  attribute: { type: 'custom' },
  label: { id: getTranslation('cm.column.seatsFree'), defaultMessage: 'Seats free' },
  searchable: false,
  sortable: false,
  cellFormatter: (row) => <SeatsFreeCell documentId={String(row.documentId)} />,
};

/**
 * The booking plugin's part of the Content Manager: the seats panel on a performance, the
 * cancellation of a reservation, translated hints and enumeration values, the seats column.
 */
export const extendContentManager = (app: AdminApp) => {
  const cm = app.getPlugin('content-manager');
  if (!cm) return;

  cm.apis.addEditViewSidePanel([
    Object.assign(
      ({ model, documentId }: { model: string; documentId?: string }) =>
        model === MODEL.performance && documentId
          ? {
              title: <FormattedMessage id={getTranslation('cm.seats.title')} defaultMessage="Seats" />,
              content: <PerformanceSeats documentId={documentId} />,
            }
          : null,
      { type: 'booking-performance-seats' }
    ),
    Object.assign(
      ({ model, document }: { model: string; document?: Record<string, unknown> | null }) =>
        model === MODEL.reservation && document
          ? {
              title: <FormattedMessage id={getTranslation('access.title')} defaultMessage="Access needs" />,
              content: <AccessNeeds document={document} />,
            }
          : null,
      { type: 'booking-reservation-access-needs' }
    ),
    // Shows nothing: a new show's or venue's slug follows its title; a new performance's capacity its venue's.
    Object.assign(
      (props: { model: string; documentId?: string }) => {
        useSlugFollowsTitle(props);
        usePrefillCapacity(props);
        return null;
      },
      { type: 'booking-slug-follows-title' }
    ),
  ]);
  // Cancel keeps its button beside Save; Resend ticket is in the "..." menu beside it.
  cm.apis.addDocumentAction([CancelReservationAction, ResendTicketAction, CancelPerformanceAction]);
  cm.injectComponent('listView', 'actions', { name: 'booking-upcoming-first', Component: UpcomingFirst });

  // Hints (the metadata descriptions) by translation key, like the labels Strapi already translates.
  app.registerHook(HOOKS.mutateEditLayout, (args: { layout: { layout: Field[][][]; settings?: { uid?: string } }; query: unknown }) => {
    const model = listedModel();
    if (!model.startsWith('plugin::booking.')) return args;
    const layout = args.layout.layout.map((panel) =>
      panel.map((row) =>
        row.map((field) =>
          field.hint
            ? {
                ...field,
                hint: (
                  <FormattedMessage
                    id={`content-manager.content-types.${model}.${field.name}.description`}
                    defaultMessage={String(field.hint)}
                  />
                ),
              }
            : field
        )
      )
    );
    return { ...args, layout: { ...args.layout, layout } };
  });

  app.registerHook(HOOKS.injectColumn, (args: { displayedHeaders: Header[]; layout: unknown }) => {
    const model = listedModel();
    if (!model.startsWith('plugin::booking.')) return args;
    const displayedHeaders = args.displayedHeaders.map((header) => {
      if (header.attribute?.type === 'enumeration') return { ...header, cellFormatter: enumCell(header.name) };
      if (header.name === 'performance' && LISTS_WITH_PERFORMANCE.includes(model)) {
        return { ...header, cellFormatter: shortPerformance(header.name) };
      }
      if (header.name === 'name' && LISTS_WITH_PERFORMANCE.includes(model)) return { ...header, cellFormatter: shortText(header.name) };
      return header;
    });
    if (model === MODEL.performance) displayedHeaders.push(seatsColumn);
    return { ...args, displayedHeaders };
  });
};
