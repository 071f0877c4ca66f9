import type { Core } from '@strapi/strapi';
import { UID } from '../constants';
import { createReservationsData } from '../data/reservations';
import { getConfig } from '../utils/get-service';
import { clip, reservationLabel } from '../utils/reservation-label';

/** What the Content Manager reads as a performance's and a reservation's name. */
export const LABEL_FIELD = 'label';

const formatters = new Map<string, Intl.DateTimeFormat>();

/** '12/12/2026 21:00' in the booking time zone: the same in both languages, so stored once. */
export const formatStart = (startsAt: Date | string, timezone: string): string => {
  let format = formatters.get(timezone);
  if (!format) {
    format = new Intl.DateTimeFormat('it-IT', {
      timeZone: timezone,
      day: '2-digit',
      month: '2-digit',
      year: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(timezone, format);
  }
  const parts = Object.fromEntries(format.formatToParts(new Date(startsAt)).map((p) => [p.type, p.value]));
  return `${parts.day}/${parts.month}/${parts.year} ${parts.hour}:${parts.minute}`;
};

/** 'Amleto · 12/12/2026 21:00 · Sala Grande'; a missing part reads '?' so the gap is visible. */
export const performanceLabel = (
  facts: { title?: string | null; startsAt?: Date | string | null; venue?: string | null },
  timezone: string
): string => clip([facts.title || '?', facts.startsAt ? formatStart(facts.startsAt, timezone) : '?', facts.venue || '?'].join(' · '), 255);

/** 'K7Q2XM · Maria Bianchi' (utils/reservation-label.ts) */
export { reservationLabel };

/** The last minute the door formatted, per time zone: a door writes two labels a scan, all in the same minute. */
const doorMinutes = new Map<string, { minute: number; text: string }>();
/** `formatStart` of a time to the minute (every time zone's offset is whole minutes), remembered for its minute. */
const formatDoorMinute = (at: Date, timezone: string): string => {
  const minute = Math.floor(at.getTime() / 60_000);
  const last = doorMinutes.get(timezone);
  if (last?.minute === minute) return last.text;
  const text = formatStart(at, timezone);
  doorMinutes.set(timezone, { minute, text });
  return text;
};

/** A check-in or a door scan: 'K7Q2XM · 12/12/2026 20:41' ('—' when the code matched no booking). */
export const doorLabel = (reference: string | null | undefined, at: Date, timezone: string): string =>
  clip(`${reference || '—'} · ${formatDoorMinute(at, timezone)}`, 120);

/** An outgoing e-mail: 'ticket · K7Q2XM · sent', its kind, booking and delivery state. */
export const outboxLabel = (kind: string, reference: string | null | undefined, state: string): string =>
  clip([kind, reference, state].filter(Boolean).join(' · '), 120);

interface PerformanceFacts {
  id: number;
  label: string | null;
  starts_at: Date | string | null;
  show: { title: string | null } | null;
  venue: { name: string | null } | null;
}

const BATCH = 200;

/**
 * Keeps the stored display labels current. Called by the database lifecycles (lifecycles/labels.ts)
 * after a performance, show or venue is written, whoever wrote it, and once at boot for rows that
 * have none. Writes go through the query builder, which joins the caller's transaction and fires
 * no lifecycle, so a label write never triggers another.
 */
const createLabelsService = ({ strapi }: { strapi: Core.Strapi }) => {
  const timezone = () => getConfig(strapi).timezone;

  const refresh = async (where: Record<string, unknown>): Promise<number> => {
    let changed = 0;
    for (let offset = 0; ; offset += BATCH) {
      const rows = (await strapi.db.query(UID.performance).findMany({
        where,
        select: ['id', 'label', 'starts_at'],
        populate: { show: { select: ['title'] }, venue: { select: ['name'] } },
        orderBy: { id: 'asc' },
        offset,
        limit: BATCH,
      })) as PerformanceFacts[];
      for (const row of rows) {
        const label = performanceLabel({ title: row.show?.title, startsAt: row.starts_at, venue: row.venue?.name }, timezone());
        if (label === row.label) continue;
        await strapi.db.queryBuilder(UID.performance).update({ label }).where({ id: row.id }).execute();
        changed += 1;
      }
      if (rows.length < BATCH) return changed;
    }
  };

  return {
    /** Recomputes the labels of these performances (ids). */
    refreshPerformances(ids: number[]): Promise<number> {
      return ids.length === 0 ? Promise.resolve(0) : refresh({ id: { $in: ids } });
    },

    /** Recomputes the labels of a show's performances, after its title (or its list) changed. */
    refreshForShows(showIds: number[]): Promise<number> {
      return showIds.length === 0 ? Promise.resolve(0) : refresh({ show: { id: { $in: showIds } } });
    },

    /** Recomputes the labels of a venue's performances, after its name (or its list) changed. */
    refreshForVenues(venueIds: number[]): Promise<number> {
      return venueIds.length === 0 ? Promise.resolve(0) : refresh({ venue: { id: { $in: venueIds } } });
    },

    /** Boot: labels for rows written before labels existed (or by raw SQL). */
    async backfill(): Promise<{ performances: number; reservations: number }> {
      const performances = await refresh({ label: { $null: true } });
      const reservations = await createReservationsData(strapi).backfillLabels(strapi.db.connection);
      return { performances, reservations };
    },
  };
};

export type LabelsService = ReturnType<typeof createLabelsService>;
export default createLabelsService;
