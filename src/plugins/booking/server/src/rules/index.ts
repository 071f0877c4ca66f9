/**
 * The booking rules (seat formula, open for booking, the door's window, what a cancellation may
 * do). They live in shared/ so that the admin panel shows figures by the same formulas; the
 * server reads them from here.
 */
export * from '../../../shared/rules';
