/**
 * What the door keeps on the device, in IndexedDB (through `idb`, a small, well-kept wrapper that
 * turns its requests into promises): the snapshots by performance, the scans admitted offline in
 * the order they were made, and which tickets this device admitted. It survives a reload and a
 * closed tab; logging out deletes it (wipeDoorData, called on Strapi's logout).
 */
import { deleteDB, openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { QueuedScan, StoredSnapshot } from './types';

const DB_NAME = 'azionelab-door';
/** The service worker's cache of the admin's start-up answers (see the server's door-service-worker). */
export const BOOT_CACHE = 'azionelab-door-boot';

interface DoorDB extends DBSchema {
  snapshots: { key: string; value: StoredSnapshot };
  queue: { key: number; value: QueuedScan & { seq?: number } };
  /** `${performance} ${ticketId}` -> when this device let the ticket in. */
  admitted: { key: string; value: { at: string } };
}

let opened: Promise<IDBPDatabase<DoorDB>> | null = null;
const db = () =>
  (opened ??= openDB<DoorDB>(DB_NAME, 1, {
    upgrade(database) {
      database.createObjectStore('snapshots');
      database.createObjectStore('queue', { keyPath: 'seq', autoIncrement: true });
      database.createObjectStore('admitted');
    },
  }));

const admittedKey = (performance: string, id: string) => `${performance} ${id}`;

export const doorStore = {
  async snapshot(performance: string): Promise<StoredSnapshot | null> {
    return (await (await db()).get('snapshots', performance)) ?? null;
  },
  async snapshots(): Promise<StoredSnapshot[]> {
    return (await db()).getAll('snapshots');
  },
  async saveSnapshot(snapshot: StoredSnapshot): Promise<void> {
    await (await db()).put('snapshots', snapshot, snapshot.performance.documentId);
  },
  async admittedAt(performance: string, id: string): Promise<string | null> {
    return (await (await db()).get('admitted', admittedKey(performance, id)))?.at ?? null;
  },
  /** Remembers that this device let the ticket in (online answers too, so a drop right after cannot admit it again). */
  async markAdmitted(performance: string, id: string, at: string): Promise<void> {
    await (await db()).put('admitted', { at }, admittedKey(performance, id));
  },
  /** An offline admission: queued and remembered in one transaction, so neither exists without the other. */
  async enqueue(scan: QueuedScan): Promise<void> {
    const tx = (await db()).transaction(['queue', 'admitted'], 'readwrite');
    await Promise.all([
      tx.objectStore('queue').add(scan),
      tx.objectStore('admitted').put({ at: scan.scanned_at }, admittedKey(scan.performance, scan.ticket_id)),
      tx.done,
    ]);
  },
  /** The waiting scans, oldest first. */
  async queued(): Promise<Array<QueuedScan & { seq: number }>> {
    return (await (await db()).getAll('queue')) as Array<QueuedScan & { seq: number }>;
  },
  async dequeue(seq: number): Promise<void> {
    await (await db()).delete('queue', seq);
  },
};

/**
 * Logging out leaves nothing of the door on the device: the snapshots, the queue, the admissions
 * and the service worker's cached start-up answers (the staff member's own profile among them).
 */
export const wipeDoorData = async () => {
  const current = opened;
  opened = null;
  if (current) (await current.catch(() => null))?.close();
  await deleteDB(DB_NAME);
  if (typeof caches !== 'undefined') await caches.delete(BOOT_CACHE);
};
