/**
 * What the scanner's service worker and the page agree on: where the worker is served, and the
 * admin panel's start-up answers it keeps so the panel opens with no network (nothing about a
 * visitor: who is logged in, their permissions, the panel's settings, the season's performances).
 */
export const SERVICE_WORKER_PATH = '/booking/door/service-worker.js';

export const DOOR_BOOT_PATHS = [
  '/admin/init',
  '/admin/project-type',
  '/admin/information',
  '/admin/users/me',
  '/admin/users/me/permissions',
  '/admin/license-limit-information',
  '/admin/guided-tour-meta',
  '/admin/providers/isSSOLocked',
  '/booking/door/performances',
];
