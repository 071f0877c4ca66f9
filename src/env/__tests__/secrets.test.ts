import { env } from '@strapi/utils';
import databaseConfig from '../../../config/database';
import { assertRuntimeEnvironment, secretProblems } from '../secrets';

const good = {
  APP_KEYS: 'Qx3v9TqkP0aZr7Lm2s8W,Vb4n6Hc1Jd5Fg0Ky9Tr2',
  API_TOKEN_SALT: 'pN4f8Kd2Lw9Qz6Rt1Ys3',
  ADMIN_JWT_SECRET: 'hG7j2Mk5Nb8Vc1Xz4Lq9',
  TRANSFER_TOKEN_SALT: 'tR6y3Ui8Op1As4Df7Gh0',
  ENCRYPTION_KEY: 'eW2q5Rt8Yu1Io4Pa7Sd0Fg',
  JWT_SECRET: 'jK9l3Zx6Cv2Bn5Mq8Wr1',
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
