import { formats, winston } from '@strapi/logger';
import { logFormat, redactMessage } from '../src/env/logging';

/** Replaces any e-mail address in the message (and an error's stack) before it is written. */
const redact = winston.format((info) => {
  info.message = redactMessage(info.message);
  if (typeof info.stack === 'string') info.stack = redactMessage(info.stack);
  return info;
});

/** The time as ISO 8601 under `time`, the name collectors look for first. */
const time = winston.format((info) => {
  info.time = new Date().toISOString();
  return info;
});

/**
 * Strapi's logger (winston), in the format LOG_FORMAT asks (src/env/logging.ts). `json`: one
 * object per line with time, level and message, and what the caller gave besides: the request
 * line (middlewares/request-log.ts) adds request_id, method, route, status and duration_ms.
 */
const config = () => {
  if (logFormat() === 'pretty') {
    return { format: winston.format.combine(redact(), formats.prettyPrint()) };
  }
  return {
    format: winston.format.combine(winston.format.errors({ stack: true }), redact(), time(), winston.format.json()),
    transports: [new winston.transports.Console()],
  };
};

export default config;
