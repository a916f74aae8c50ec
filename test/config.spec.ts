import { ConfigError, loadConfig, parseApiTokens } from '../core/config';
import { Authenticator } from '../server/auth';

describe('settings', () => {
  it('defaults match design/runtime.md', () => {
    const c = loadConfig({}, { mode: 'serve' });
    expect(c).toMatchObject({
      port: 4000,
      redisUrl: 'redis://127.0.0.1:6379',
      dataDir: './data',
      cerebrumConcurrency: 16,
      darUrl: 'https://api.dataforsyningen.dk',
      logLevel: 'info',
      tz: 'Europe/Copenhagen',
    });
    expect(c.cerebrum).toBeUndefined();
    expect(c.databaseUrl).toBeUndefined();
  });

  it.each([
    ['PORT', 'eighty', /PORT: expected a whole number/],
    ['CEREBRUM_URL', 'not a url', /CEREBRUM_URL: not a valid URL/],
    ['CEREBRUM_CONCURRENCY', '0', /CEREBRUM_CONCURRENCY: must be between 1/],
    ['LOS_FTP_URL', 'http://x', /LOS_FTP_URL: unsupported scheme/],
    ['API_TOKENS', 'abc=read+admin', /API_TOKENS: entry 1: unknown scope "admin"/],
    ['API_TOKENS', 'justatoken', /API_TOKENS: entry 1 is not/],
    ['SYNC_SCHEDULES', 'LOS_IMPORT=daily', /SYNC_SCHEDULES: "LOS_IMPORT" needs a cron/],
    ['TZ', 'Mars/Olympus', /TZ: unknown time zone/],
    ['LOG_LEVEL', 'loud', /LOG_LEVEL: unknown level/],
  ])('a malformed %s stops start-up with a message naming it', (name, value, message) => {
    expect(() => loadConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [name]: value })).toThrow(message);
  });

  it('never echoes a secret in a setting error', () => {
    const attempt = () => loadConfig({ API_TOKENS: 's3cr3t-token=read+superuser' });
    expect(attempt).toThrow(/API_TOKENS/);
    try {
      attempt();
    } catch (e) {
      expect(String(e)).not.toContain('s3cr3t-token');
    }
    try {
      loadConfig({ DATABASE_URL: 'mysql://u:hunter2@h/db' });
    } catch (e) {
      expect(String(e)).not.toContain('hunter2');
    }
  });

  it('API_TOKENS unset: the demo lets anonymous callers read and sync (never pii); serve refuses them', () => {
    expect(new Authenticator(loadConfig({}, { mode: 'demo' })).scopesFor(undefined)).toEqual(new Set(['read', 'sync']));
    expect(() => new Authenticator(loadConfig({}, { mode: 'serve' })).scopesFor(undefined)).toThrow(/API_TOKENS/);
  });

  it('parses tokens with several scopes and checks bearer tokens', () => {
    const tokens = parseApiTokens('a=read+pii; b=sync');
    expect(tokens.get('a')).toEqual(new Set(['read', 'pii']));
    const auth = new Authenticator({ apiTokens: tokens, anonymousScopes: new Set() });
    expect(auth.scopesFor('Bearer b')).toEqual(new Set(['sync']));
    expect(() => auth.scopesFor('Bearer c')).toThrow(/Unknown bearer token/);
    expect(() => auth.scopesFor('Basic abc')).toThrow(/Bearer/);
    expect(() => auth.scopesFor(undefined)).toThrow();
  });
});
