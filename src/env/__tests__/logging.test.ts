import { logFormat, redactMessage } from '../logging';

describe('LOG_FORMAT', () => {
  test('pretty in development, json otherwise, as asked when set, refused when unknown', () => {
    expect(logFormat({ NODE_ENV: 'development' })).toBe('pretty');
    expect(logFormat({})).toBe('pretty');
    expect(logFormat({ NODE_ENV: 'production' })).toBe('json');
    expect(logFormat({ NODE_ENV: 'test' })).toBe('json');
    expect(logFormat({ NODE_ENV: 'production', LOG_FORMAT: 'pretty' })).toBe('pretty');
    expect(logFormat({ NODE_ENV: 'development', LOG_FORMAT: 'json' })).toBe('json');
    expect(() => logFormat({ LOG_FORMAT: 'xml' })).toThrow(/LOG_FORMAT/);
  });
});

describe('redaction', () => {
  test('an e-mail address anywhere in a message is replaced, the rest kept', () => {
    expect(redactMessage('550 5.1.1 <maria.rossi+teatro@example.test>: mailbox unavailable')).toBe(
      '550 5.1.1 <[e-mail]>: mailbox unavailable'
    );
    expect(redactMessage('to a.b@c.it and x@y.org')).toBe('to [e-mail] and [e-mail]');
    expect(redactMessage('GET /api/booking/shows/:slug 200 (3 ms)')).toBe('GET /api/booking/shows/:slug 200 (3 ms)');
    expect(redactMessage(42)).toBe(42);
  });
});
