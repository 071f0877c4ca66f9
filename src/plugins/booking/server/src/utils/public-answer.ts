import type { SerialisedAnswer } from '../services/public-cache';

/** The part of koa's context that sending a serialised answer needs. */
export interface AnswerCtx {
  status: number;
  type: string;
  body: unknown;
  /** Whether the request's If-None-Match names the ETag set (koa's `ctx.fresh`). */
  readonly fresh: boolean;
  set(name: string, value: string): void;
}

/**
 * Sends a public answer from its cached bytes, with its ETag: a client that already holds these
 * bytes (If-None-Match) gets 304 and no body. The same bytes whether the route's controller or
 * the fast lane (middlewares/public-answers.ts) answers.
 */
export const sendAnswer = (ctx: AnswerCtx, answer: SerialisedAnswer) => {
  ctx.status = 200;
  ctx.set('ETag', answer.etag);
  if (ctx.fresh) {
    ctx.status = 304;
    return;
  }
  ctx.type = 'application/json';
  ctx.body = answer.body;
};
