import { env } from '@strapi/utils';
import config, { type BookingConfig } from '..';

/** The settings as Strapi makes them: the plugin's defaults (read from the environment) under the app's values. */
const settings = (app: Partial<BookingConfig> = {}, vars: Record<string, string> = {}): BookingConfig => {
  const saved = { ...process.env };
  Object.assign(process.env, vars);
  try {
    return { ...config.default({ env }), ...app };
  } finally {
    for (const key of Object.keys(vars)) if (saved[key] === undefined) delete process.env[key];
    Object.assign(process.env, saved);
  }
};

describe('the plugin settings', () => {
  it('have defaults of their own, read from the BOOKING_* variables where API.md names one', () => {
    const plain = settings();
    expect(plain.maxPartySize).toBe(10);
    expect(plain.brand.name).toBe('Booking');
    expect(plain.pagesPath).toBe('/site');
    expect(() => config.validator(plain)).not.toThrow();
    const fromEnv = settings({}, { BOOKING_MAX_PARTY_SIZE: '4', BOOKING_TIMEZONE: 'Europe/London', BOOKING_METRICS_TOKEN: '' });
    expect(fromEnv.maxPartySize).toBe(4);
    expect(fromEnv.timezone).toBe('Europe/London');
    expect(fromEnv.metricsToken).toBeNull();
    expect(plain.changeNoticeMinutes).toBe(2);
    expect(settings({}, { BOOKING_CHANGE_NOTICE_MINUTES: '0.5' }).changeNoticeMinutes).toBe(0.5);
  });

  it.each([
    [{ maxPartySize: 0 }, /maxPartySize must be a positive integer/],
    [{ retentionDays: -1 }, /retentionDays must be a non-negative integer/],
    [{ timezone: 'Mars/Olympus' }, /timezone "Mars\/Olympus"/],
    [{ publicUrl: 'site' }, /publicUrl must be an absolute http\(s\) URL/],
    [{ allowedOrigins: ['javascript:alert(1)'] }, /allowedOrigins must be an absolute/],
    [{ metricsToken: 'short' }, /metricsToken/],
    [{ changeNoticeMinutes: -1 }, /changeNoticeMinutes \(BOOKING_CHANGE_NOTICE_MINUTES\) must be a number of minutes/],
    [{ scheduledJobs: 'yes' as unknown as boolean }, /scheduledJobs must be true or false/],
    [{ pagesPath: 'site/' }, /pagesPath must be a path/],
    [{ demoSeason: { shows: [] } } as unknown as Partial<BookingConfig>, /demoSeason must be null or/],
    [{ maxPartySise: 4 } as Partial<BookingConfig>, /unknown setting "maxPartySise"/],
  ])('a wrong setting stops the start with a message naming it: %j', (wrong, message) => {
    expect(() => config.validator(settings(wrong))).toThrow(message);
  });

  it.each([
    [{ name: '' }, /brand.name/],
    [{ name: '<b>Theatre</b>' }, /brand.name/],
    [{ sender: 'Theatre <not an address>' }, /brand.sender/],
    [{ sender: 'Theatre <box@example.org>\nBcc: x@example.org' }, /brand.sender/],
    [{ colors: { primary: 'red', background: '#fff', text: '#000' } }, /brand.colors.primary/],
    [{ logoUrl: 'logo.png' }, /brand.logoUrl/],
  ])('a wrong brand is refused, naming the field: %j', (brand, message) => {
    const base = settings();
    expect(() => config.validator({ ...base, brand: { ...base.brand, ...brand } })).toThrow(message);
  });

  it('accepts a theatre brand', () => {
    const base = settings();
    const brand = {
      name: 'Teatro Esempio',
      sender: 'Teatro Esempio <biglietti@example.org>',
      colors: { primary: '#225', background: '#ffffff', text: '#111111' },
      logoUrl: 'https://example.org/logo.png',
    };
    expect(() => config.validator({ ...base, brand })).not.toThrow();
  });
});
