import path from 'path';
import type { Core } from '@strapi/strapi';

type ClientKind = 'sqlite' | 'postgres';

const config = ({ env }: Core.Config.Shared.ConfigParams): Core.Config.Database => {
  const client = env('DATABASE_CLIENT', 'sqlite');
  if (client !== 'sqlite' && client !== 'postgres') {
    throw new Error(`Unsupported DATABASE_CLIENT: ${client}. Use "sqlite" or "postgres".`);
  }

  // No default login: a `strapi`/`strapi` account that works everywhere is one anyone can guess.
  // Outside production the PostgreSQL client's own defaults apply (PGUSER, the OS user).
  if (client === 'postgres' && process.env.NODE_ENV === 'production' && !env('DATABASE_URL')) {
    const missing = ['DATABASE_USERNAME', 'DATABASE_PASSWORD'].filter((key) => !env(key));
    if (missing.length > 0) {
      throw new Error(
        `In produzione PostgreSQL richiede DATABASE_URL o ${missing.join(' e ')} / ` +
          `In production PostgreSQL needs DATABASE_URL or ${missing.join(' and ')} (see .env.example).`
      );
    }
  }

  const connections: Record<ClientKind, Core.Config.Database['connection']> = {
    postgres: {
      client: 'postgres',
      connection: {
        connectionString: env('DATABASE_URL'),
        host: env('DATABASE_HOST', 'localhost'),
        port: env.int('DATABASE_PORT', 5432),
        database: env('DATABASE_NAME', 'strapi'),
        // Unset: pg falls back to PGUSER / PGPASSWORD (Strapi's type wants strings regardless).
        user: env('DATABASE_USERNAME') as string,
        password: env('DATABASE_PASSWORD') as string,
        ssl: env.bool('DATABASE_SSL', false) && {
          rejectUnauthorized: env.bool('DATABASE_SSL_REJECT_UNAUTHORIZED', true),
        },
        schema: env('DATABASE_SCHEMA', 'public'),
      },
      pool: { min: env.int('DATABASE_POOL_MIN', 2), max: env.int('DATABASE_POOL_MAX', 10) },
    },
    sqlite: {
      client: 'sqlite',
      connection: {
        // Compiled config lives in dist/config: the file is relative to the project root.
        filename: path.join(__dirname, '..', '..', env('DATABASE_FILENAME', '.tmp/data.db')),
      },
      useNullAsDefault: true,
    },
  };

  return {
    connection: {
      ...connections[client],
      acquireConnectionTimeout: env.int('DATABASE_CONNECTION_TIMEOUT', 60000),
    },
  };
};

export default config;
