import type { Core } from '@strapi/strapi';
import { stringify } from 'csv-stringify/sync';
import ExcelJS from 'exceljs';
import { UID, type AccessNeed, type Language } from '../constants';
import type { StaffMember } from '../data/check-ins';
import { accessNeedsOf } from '../data/reservations';
import type { ConfirmationsPerDay, DoorListEntry } from '../../../shared/contracts';
import { getConfig } from '../utils/get-service';
import { brand } from '../mail/brand';
import { staffName } from './door';

/** The door list's columns, in order: the CSV header and the workbook's first row. */
export const DOOR_LIST_COLUMNS = ['reference', 'name', 'party_size', 'checked_in_at', 'checked_in_by', 'access_needs'] as const;

/** Lower case without accents: "Élodie" and "elodie" are one name to a person at the door. */
export const foldForSearch = (text: string) =>
  text
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .toLocaleLowerCase('it');

/** Names as a person sorts them: "de Luca" among the D, "Élodie" among the E, case aside. */
const collator = new Intl.Collator('it', { sensitivity: 'base', numeric: true });

/**
 * A text cell a spreadsheet would run as a formula (OWASP "CSV injection"): a value starting with
 * =, +, -, @, tab or carriage return gets a leading apostrophe, which spreadsheets show as text.
 */
export const neutraliseCell = (value: string) => (/^[=+\-@\t\r]/.test(value) ? `'${value}` : value);

/** The workbook's header row and need names, for people: in the staff member's language. */
const XLSX_WORDS: Record<Language, { columns: string[]; needs: Record<AccessNeed, string> }> = {
  it: {
    columns: ['Riferimento', 'Nome', 'Posti', 'Entrato alle', 'Fatto entrare da', 'Accessibilità'],
    needs: { wheelchair: 'Sedia a rotelle', hearing: 'Udito', sight: 'Vista', other: 'Altre esigenze' },
  },
  en: {
    columns: ['Reference', 'Name', 'Seats', 'Checked in at', 'Checked in by', 'Access needs'],
    needs: { wheelchair: 'Wheelchair', hearing: 'Hearing', sight: 'Sight', other: 'Other needs' },
  },
};

/** What the exports say about their performance: the file name and the sheet's name. */
export interface DoorListPerformance {
  show_slug: string;
  show_title: string;
  starts_at: string;
}

/** Wall-clock parts of an instant in a time zone: { year, month, day, hour, minute, second }. */
const wallClock = (instant: Date, timeZone: string) => {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(instant);
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '00';
  return { year: part('year'), month: part('month'), day: part('day'), hour: part('hour'), minute: part('minute'), second: part('second') };
};

/**
 * A spreadsheet's date cell has no time zone: it shows the wall-clock time it holds. exceljs
 * writes a Date by its UTC fields, so the cell gets a Date whose UTC fields are the time in `timeZone`.
 */
export const spreadsheetTime = (iso: string, timeZone: string): Date => {
  const w = wallClock(new Date(iso), timeZone);
  return new Date(Date.UTC(+w.year, +w.month - 1, +w.day, +w.hour, +w.minute, +w.second));
};

/** `{show-slug}-{yyyy-mm-dd}-{hhmm}-door-list.{csv|xlsx}`, the date and time in `timeZone`. */
export const doorListFileName = (performance: DoorListPerformance, format: 'csv' | 'xlsx', timeZone: string) => {
  const w = wallClock(new Date(performance.starts_at), timeZone);
  const slug = performance.show_slug.replace(/[^a-z0-9-]+/gi, '-').replace(/^-+|-+$/g, '') || 'performance';
  return `${slug}-${w.year}-${w.month}-${w.day}-${w.hour}${w.minute}-door-list.${format}`;
};

/** A sheet's name: the show and the date, without the characters a sheet name may not hold, 31 at most. */
export const doorListSheetName = (performance: DoorListPerformance, timeZone: string) => {
  const w = wallClock(new Date(performance.starts_at), timeZone);
  const date = `${w.year}-${w.month}-${w.day}`;
  const title = performance.show_title
    .replace(/[\\/?*[\]:]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  // Nor may it start or end with an apostrophe ("L'Avaro" keeps its own).
  return `${title
    .slice(0, 31 - date.length - 1)
    .replace(/^'+|'+$/g, '')
    .trim()} ${date}`.trim();
};

/** One row as the exports write it: text cells neutralised, needs joined by "; ". */
const exportRow = (entry: DoorListEntry) => [
  neutraliseCell(entry.reference),
  neutraliseCell(entry.name),
  entry.party_size,
  entry.checked_in_at ?? '',
  neutraliseCell(entry.checked_in_by ?? ''),
  entry.access_needs.join('; '),
];

/**
 * The door list: who is expected at a performance (its confirmed reservations), for the printed
 * list, the exports and the manual check-in. No e-mail, phone or notes, in any form: the list is
 * printed and left on a table by the door.
 */
const createDoorListService = ({ strapi }: { strapi: Core.Strapi }) => ({
  /**
   * The confirmed reservations of a performance sorted by name (then reference); with `q`, those
   * whose name or reference holds it, case and accents aside. Null when no such performance.
   */
  async entries(performanceDocumentId: string, q?: string): Promise<DoorListEntry[] | null> {
    const performance = (await strapi.db.query(UID.performance).findOne({
      where: { documentId: performanceDocumentId },
      select: ['id'],
    })) as { id: number } | null;
    if (!performance) return null;
    const rows = (await strapi.db.query(UID.reservation).findMany({
      where: { performance: { id: performance.id }, reservation_status: 'confirmed' },
      // Named columns only: e-mail, phone and notes never leave the database for this list.
      select: ['id', 'reference', 'name', 'party_size', 'access_needs'],
    })) as Array<{ id: number; reference: string; name: string; party_size: number; access_needs: unknown }>;
    // The check-ins, read from their own side: a reservation has no link back to its check-in.
    const checkIns = (await strapi.db.query(UID.checkIn).findMany({
      where: { reservation: { id: { $in: rows.map((row) => row.id) } } },
      select: ['checked_in_at'],
      populate: {
        reservation: { select: ['id'] },
        checked_in_by: { select: ['id', 'firstname', 'lastname', 'username'] },
      },
    })) as Array<{ checked_in_at: string; reservation: { id: number } | null; checked_in_by: StaffMember | null }>;
    const checkInOf = new Map(checkIns.flatMap((c) => (c.reservation ? [[c.reservation.id, c] as const] : [])));
    const needle = q ? foldForSearch(q.trim()) : null;
    return rows
      .map((row): DoorListEntry => {
        const checkIn = checkInOf.get(row.id);
        return {
          reference: row.reference,
          name: row.name,
          party_size: row.party_size,
          checked_in_at: checkIn ? new Date(checkIn.checked_in_at).toISOString() : null,
          checked_in_by: checkIn ? staffName(checkIn.checked_in_by) : null,
          access_needs: accessNeedsOf(row.access_needs),
        };
      })
      .filter((entry) => !needle || foldForSearch(entry.name).includes(needle) || foldForSearch(entry.reference).includes(needle))
      .sort((a, b) => collator.compare(a.name, b.name) || a.reference.localeCompare(b.reference));
  },

  /**
   * Reservations confirmed and still confirmed, per day of their confirmation in the box office's
   * time zone (BOOKING_TIMEZONE), oldest first: the door overview's chart. Null when no such performance.
   */
  async confirmationsPerDay(performanceDocumentId: string): Promise<ConfirmationsPerDay[] | null> {
    const performance = (await strapi.db.query(UID.performance).findOne({
      where: { documentId: performanceDocumentId },
      select: ['id'],
    })) as { id: number } | null;
    if (!performance) return null;
    const rows = (await strapi.db.query(UID.reservation).findMany({
      where: { performance: { id: performance.id }, reservation_status: 'confirmed' },
      select: ['confirmed_at', 'party_size'],
    })) as Array<{ confirmed_at: string | null; party_size: number }>;
    // en-CA writes dates as YYYY-MM-DD.
    const dayOf = new Intl.DateTimeFormat('en-CA', {
      timeZone: getConfig(strapi).timezone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    });
    const days = new Map<string, ConfirmationsPerDay>();
    for (const row of rows) {
      if (!row.confirmed_at) continue;
      const day = dayOf.format(new Date(row.confirmed_at));
      const entry = days.get(day) ?? { day, reservations: 0, seats: 0 };
      entry.reservations += 1;
      entry.seats += row.party_size;
      days.set(day, entry);
    }
    return [...days.values()].sort((a, b) => a.day.localeCompare(b.day));
  },

  /** The list as CSV (RFC 4180, a header row), every text cell neutralised. */
  toCsv(entries: DoorListEntry[]): string {
    return stringify(entries.map(exportRow), { header: true, columns: [...DOOR_LIST_COLUMNS], record_delimiter: 'windows' });
  },

  /** The show and start of a performance, for the exports' names; null when no such performance. */
  async performance(performanceDocumentId: string): Promise<DoorListPerformance | null> {
    const row = (await strapi.db.query(UID.performance).findOne({
      where: { documentId: performanceDocumentId },
      select: ['starts_at'],
      populate: { show: { select: ['title', 'slug'] } },
    })) as { starts_at: string; show: { title: string; slug: string } | null } | null;
    if (!row) return null;
    return { starts_at: new Date(row.starts_at).toISOString(), show_slug: row.show?.slug ?? '', show_title: row.show?.title ?? '' };
  },

  /** The export's file name (see doorListFileName), in BOOKING_TIMEZONE. */
  fileName(performance: DoorListPerformance, format: 'csv' | 'xlsx'): string {
    return doorListFileName(performance, format, getConfig(strapi).timezone);
  },

  /**
   * The list as an XLSX workbook for people: one sheet named after the show and date, the headers
   * and the access needs in `language`, check-in times as date cells in BOOKING_TIMEZONE. Text
   * cells are neutralised as in the CSV.
   */
  async toXlsx(entries: DoorListEntry[], performance: DoorListPerformance, language: Language): Promise<Buffer> {
    const { timezone } = getConfig(strapi);
    const words = XLSX_WORDS[language];
    const workbook = new ExcelJS.Workbook();
    workbook.creator = brand().name;
    const sheet = workbook.addWorksheet(doorListSheetName(performance, timezone));
    sheet.columns = DOOR_LIST_COLUMNS.map((key, i) => ({ header: words.columns[i], key, width: key === 'name' ? 32 : 18 }));
    for (const entry of entries) {
      sheet.addRow([
        neutraliseCell(entry.reference),
        neutraliseCell(entry.name),
        entry.party_size,
        entry.checked_in_at ? spreadsheetTime(entry.checked_in_at, timezone) : null,
        neutraliseCell(entry.checked_in_by ?? ''),
        entry.access_needs.map((need) => words.needs[need]).join('; '),
      ]);
    }
    sheet.getColumn('checked_in_at').numFmt = language === 'it' ? 'dd/mm/yyyy hh:mm' : 'yyyy-mm-dd hh:mm';
    sheet.getRow(1).font = { bold: true };
    sheet.views = [{ state: 'frozen', ySplit: 1 }];
    return Buffer.from(await workbook.xlsx.writeBuffer());
  },
});

export type DoorListService = ReturnType<typeof createDoorListService>;
export default createDoorListService;
