import { env } from '@strapi/utils';
import pluginsConfig from '../../../config/plugins';
import { assertSmtpTls } from '../mail';

const saved = { ...process.env };
afterEach(() => {
  process.env = { ...saved };
});

/** The nodemailer options config/plugins.ts gives for these variables. */
const smtpOptionsWith = (vars: Record<string, string>) => {
  process.env = { ...saved };
  for (const key of Object.keys(process.env)) if (key.startsWith('SMTP_')) delete process.env[key];
  Object.assign(process.env, vars);
  const config = pluginsConfig({ env } as never) as { email: { config: { providerOptions: Record<string, unknown> } } };
  return config.email.config.providerOptions;
};

describe('SMTP in production', () => {
  test('requires STARTTLS when the connection does not start in TLS', () => {
    const options = smtpOptionsWith({ NODE_ENV: 'production', SMTP_HOST: 'smtp.example.test', SMTP_PORT: '587' });
    expect(options).toMatchObject({ secure: false, requireTLS: true, ignoreTLS: false });
    expect(() => assertSmtpTls(options, process.env)).not.toThrow();
  });

  test('takes TLS from the first byte with SMTP_SECURE=true', () => {
    const options = smtpOptionsWith({ NODE_ENV: 'production', SMTP_HOST: 'smtp.example.test', SMTP_SECURE: 'true' });
    expect(options).toMatchObject({ secure: true, ignoreTLS: false });
    expect(() => assertSmtpTls(options, process.env)).not.toThrow();
  });

  test('a transport that could send in clear text stops the start, naming the way out', () => {
    const production = { NODE_ENV: 'production' };
    expect(() => assertSmtpTls({ secure: false, requireTLS: false }, production)).toThrow(/SMTP_ALLOW_PLAINTEXT=true/);
    expect(() => assertSmtpTls({ secure: false, requireTLS: true, ignoreTLS: true }, production)).toThrow(/TLS only/);
    expect(() => assertSmtpTls(undefined, production)).toThrow(/SMTP_SECURE=true/);
  });

  test('clear text only when SMTP_ALLOW_PLAINTEXT=true says so', () => {
    const options = smtpOptionsWith({ NODE_ENV: 'production', SMTP_HOST: '127.0.0.1', SMTP_ALLOW_PLAINTEXT: 'true' });
    expect(options).toMatchObject({ secure: false, requireTLS: false });
    expect(() => assertSmtpTls(options, process.env)).not.toThrow();
  });
});

describe('SMTP outside production', () => {
  test('development without SMTP_HOST talks to the local inbox without TLS', () => {
    const options = smtpOptionsWith({ NODE_ENV: 'development' });
    expect(options).toMatchObject({ host: '127.0.0.1', port: 1025, ignoreTLS: true, requireTLS: false });
    expect(() => assertSmtpTls(options, process.env)).not.toThrow();
  });

  test('tests keep their plain SMTP sink', () => {
    const options = smtpOptionsWith({ NODE_ENV: 'test', SMTP_HOST: '127.0.0.1', SMTP_PORT: '2525' });
    expect(options).toMatchObject({ requireTLS: false, ignoreTLS: false });
    expect(() => assertSmtpTls(options, process.env)).not.toThrow();
  });
});
