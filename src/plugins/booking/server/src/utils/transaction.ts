/**
 * The plugin's one way into a database transaction: `strapi.db.transaction`, plus the one thing
 * it does not say, whether the COMMIT worked.
 *
 * Strapi ends a transaction with knex's `trx.commit()`, and knex resolves that call even when the
 * COMMIT fails (the connection died under it in a PostgreSQL restart, a deferred constraint
 * refused it): the failure goes only to the transaction's `executionPromise`, which Strapi never
 * reads (knex/knex#3370, #3847: reading `executionPromise` after the commit is knex's own
 * advice). So `strapi.db.transaction` resolves for work the database rolled back, and a visitor
 * would be told "confirmed" for a seat nobody holds (tests/faults/postgres-restart found it:
 * 51 answers for 50 seats). Here the outermost transaction waits for that promise, so a failed
 * COMMIT rejects like any other database error (and answers 503 service_unavailable on the
 * public routes). A nested call joins the outer transaction, whose owner does the check.
 *
 * After-commit steps (events/index.ts) read the same promise, so they never run for work that
 * was not committed; the Content Manager's saves of the plugin's types run inside one of these
 * (middlewares/document-rules.ts). tests/commit-failure.test.ts proves each with a COMMIT that
 * PostgreSQL refuses.
 */
import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';

/** What Strapi hands a transaction's work (its own type says `any`). */
export interface TransactionContext {
  trx: Knex.Transaction;
  commit: () => Promise<void>;
  rollback: () => Promise<void>;
  onCommit: (step: () => unknown) => void;
  onRollback: (step: () => unknown) => void;
}

/** Resolves once `trx` has committed; rejects with the database's error when its COMMIT failed. */
export const committed = (trx: Knex.Transaction): Promise<unknown> => Promise.resolve(trx.executionPromise);

export const transaction = async <T>(strapi: Core.Strapi, work: (context: TransactionContext) => Promise<T> | T): Promise<T> => {
  // eslint-disable-next-line no-restricted-syntax -- the one place that calls it, and checks its COMMIT
  if (strapi.db.inTransaction()) return strapi.db.transaction(async (context: TransactionContext) => work(context));
  let outer: Knex.Transaction | undefined;
  // eslint-disable-next-line no-restricted-syntax -- as above
  const result = await strapi.db.transaction(async (context: TransactionContext) => {
    outer = context.trx;
    return work(context);
  });
  if (outer) await committed(outer);
  return result;
};
