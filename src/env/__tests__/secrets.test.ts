import { env } from '@strapi/utils';
import databaseConfig from '../../../config/database';
import { assertRuntimeEnvironment, linkUrlProblems, secretProblems } from '../secrets';

const good = {
  APP_KEYS: 'Qx3v9TqkP0aZr7Lm2s8W,Vb4n6Hc1Jd5Fg0Ky9Tr2',
  API_TOKEN_SALT: 'pN4f8Kd2Lw9Qz6Rt1Ys3',
  ADMIN_JWT_SECRET: 'hG7j2Mk5Nb8Vc1Xz4Lq9',
  TRANSFER_TOKEN_SALT: 'tR6y3Ui8Op1As4Df7Gh0',
  ENCRYPTION_KEY: 'eW2q5Rt8Yu1Io4Pa7Sd0Fg',
  JWT_SECRET: 'jK9l3Zx6Cv2Bn5Mq8Wr1',
  PUBLIC_URL: 'https://prenota.azionelab.test',
};

const failure = (environment: NodeJS.ProcessEnv) => {
  try {
    assertRuntimeEnvironment(environment);
  } catch (error) {
    return (error as Error).message;
  }
  return null;
};

describe('the secrets check at start', () => {
  test('passes real secrets in production and in tests', () => {
    expect(failure({ ...good, NODE_ENV: 'production' })).toBeNull();
    expect(failure({ ...good, NODE_ENV: 'test' })).toBeNull();
  });

  test('names each missing, placeholder or short secret, and only those', () => {
    const message = failure({
      ...good,
      NODE_ENV: 'production',
      APP_KEYS: 'toBeModified1,toBeModified2',
      API_TOKEN_SALT: 'tobemodified',
      ADMIN_JWT_SECRET: 'short-secret',
      JWT_SECRET: undefined,
    });
    expect(message).toMatch(/APP_KEYS \([^)]*placeholder/);
    expect(message).toMatch(/API_TOKEN_SALT \([^)]*placeholder/);
    expect(message).toMatch(/ADMIN_JWT_SECRET \([^)]*shorter than 16/);
    expect(message).toMatch(/JWT_SECRET \([^)]*missing/);
    expect(message).not.toMatch(/TRANSFER_TOKEN_SALT|ENCRYPTION_KEY/);
  });

  test('checks every key of APP_KEYS', () => {
    expect(secretProblems({ ...good, APP_KEYS: `${good.APP_KEYS},abc` })).toEqual([{ key: 'APP_KEYS', problem: 'short' }]);
    expect(secretProblems({ ...good, APP_KEYS: `${good.APP_KEYS},TOBEMODIFIED2` })).toEqual([{ key: 'APP_KEYS', problem: 'placeholder' }]);
  });

  test('refuses secrets with little variety: one repeated character, fewer than 8 different ones', () => {
    const message = failure({
      ...good,
      NODE_ENV: 'production',
      API_TOKEN_SALT: 'a'.repeat(16),
      JWT_SECRET: 'abcdefgabcdefgabcdefg', // long, but 7 different characters
    });
    expect(message).toMatch(/API_TOKEN_SALT \([^)]*fewer than 8 different characters/);
    expect(message).toMatch(/JWT_SECRET \([^)]*fewer than 8 different characters/);
    expect(message).not.toMatch(/ADMIN_JWT_SECRET/);
    expect(secretProblems({ ...good, APP_KEYS: `${good.APP_KEYS},${'ab'.repeat(12)}` })).toEqual([
      { key: 'APP_KEYS', problem: 'little-variety' },
    ]);
    // Eight different characters are enough.
    expect(secretProblems({ ...good, JWT_SECRET: 'abcdefghabcdefgh' })).toEqual([]);
  });

  test('the six secrets of the review (aaaaaaaaaaaaaaaa) stop the start, each named', () => {
    const weak = Object.fromEntries(
      Object.keys(good)
        .filter((k) => k !== 'PUBLIC_URL')
        .map((k) => [k, 'a'.repeat(16)])
    );
    const message = failure({ ...good, ...weak, NODE_ENV: 'production' });
    for (const key of Object.keys(weak)) expect(message).toMatch(new RegExp(`\\b${key} \\(`));
  });

  test('outside development, a missing or plain-HTTP PUBLIC_URL stops the start, naming it', () => {
    const { PUBLIC_URL: _omitted, ...noUrl } = good;
    expect(failure({ ...noUrl, NODE_ENV: 'production' })).toMatch(/PUBLIC_URL \(mancante \/ missing\)/);
    expect(failure({ ...good, NODE_ENV: 'production', PUBLIC_URL: 'http://prenota.azionelab.test' })).toMatch(
      /PUBLIC_URL \([^)]*not https/
    );
    expect(failure({ ...good, NODE_ENV: 'test', PUBLIC_URL: 'prenota.azionelab.test' })).toMatch(/PUBLIC_URL \([^)]*not a URL/);
    expect(failure({ ...good, NODE_ENV: 'development', PUBLIC_URL: 'http://localhost:1337' })).toBeNull();
  });

  test('BOOKING_PUBLIC_URL may be left unset, but when set must be HTTPS too', () => {
    expect(linkUrlProblems({ ...good })).toEqual([]);
    expect(linkUrlProblems({ ...good, BOOKING_PUBLIC_URL: 'https://www.azionelab.test/prenota' })).toEqual([]);
    const message = failure({ ...good, NODE_ENV: 'production', BOOKING_PUBLIC_URL: 'http://www.azionelab.test/prenota' });
    expect(message).toMatch(/BOOKING_PUBLIC_URL \([^)]*not https/);
    expect(linkUrlProblems({ ...good, BOOKING_PUBLIC_URL: 'http://www.azionelab.test/prenota' })).toEqual([
      { key: 'BOOKING_PUBLIC_URL', problem: 'not-https' },
    ]);
    expect(linkUrlProblems({ ...good, PUBLIC_URL: 'ftp://x.test', BOOKING_PUBLIC_URL: 'javascript:alert(1)' })).toEqual([
      { key: 'PUBLIC_URL', problem: 'not-https' },
      { key: 'BOOKING_PUBLIC_URL', problem: 'not-https' },
    ]);
  });

  test('ALLOW_HTTP_LINKS=true lets plain-HTTP and missing public URLs through, and nothing else', () => {
    const http = { ...good, PUBLIC_URL: 'http://127.0.0.1:1337', BOOKING_PUBLIC_URL: 'http://127.0.0.1:1337/site' };
    expect(failure({ ...http, NODE_ENV: 'production', ALLOW_HTTP_LINKS: 'true' })).toBeNull();
    expect(failure({ ...http, NODE_ENV: 'production', ALLOW_HTTP_LINKS: 'false' })).toMatch(/PUBLIC_URL/);
    expect(failure({ ...http, NODE_ENV: 'production', ALLOW_HTTP_LINKS: 'yes please' })).toMatch(/ALLOW_HTTP_LINKS=true/);
    // It is about links only: weak secrets still stop the start.
    expect(failure({ ...http, NODE_ENV: 'production', ALLOW_HTTP_LINKS: 'true', JWT_SECRET: 'a'.repeat(20) })).toMatch(/JWT_SECRET/);
  });

  test('runs whenever NODE_ENV is not development, unset included', () => {
    expect(failure({ NODE_ENV: undefined })).toMatch(/NODE_ENV=unset.*APP_KEYS/);
    expect(failure({ NODE_ENV: 'staging', ...good, JWT_SECRET: 'tobemodified' })).toMatch(/JWT_SECRET/);
    expect(failure({ NODE_ENV: 'development' })).toBeNull();
  });
});

describe('the database login', () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
  });
  const load = (vars: Record<string, string>) => {
    process.env = { ...saved };
    for (const key of ['DATABASE_URL', 'DATABASE_USERNAME', 'DATABASE_PASSWORD']) delete process.env[key];
    Object.assign(process.env, vars);
    return databaseConfig({ env } as never);
  };

  test('has no default strapi/strapi login', () => {
    const config = load({ NODE_ENV: 'test', DATABASE_CLIENT: 'postgres' });
    const connection = (config.connection as { connection: { user?: string; password?: string } }).connection;
    expect(connection.user).toBeUndefined();
    expect(connection.password).toBeUndefined();
  });

  test('in production, needs DATABASE_URL or a username and password, and says which is missing', () => {
    expect(() => load({ NODE_ENV: 'production', DATABASE_CLIENT: 'postgres' })).toThrow(/DATABASE_USERNAME and DATABASE_PASSWORD/);
    expect(() => load({ NODE_ENV: 'production', DATABASE_CLIENT: 'postgres', DATABASE_USERNAME: 'azionelab' })).toThrow(
      /needs DATABASE_URL or DATABASE_PASSWORD/
    );
    expect(() =>
      load({ NODE_ENV: 'production', DATABASE_CLIENT: 'postgres', DATABASE_USERNAME: 'azionelab', DATABASE_PASSWORD: 'pw-from-vault' })
    ).not.toThrow();
    expect(() => load({ NODE_ENV: 'production', DATABASE_CLIENT: 'postgres', DATABASE_URL: 'postgres://a:b@db/x' })).not.toThrow();
  });
});
