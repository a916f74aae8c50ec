import { loadDeploymentIdentity } from '../store/deployment.repo';
import { storeBackends } from './helpers/stores';
import type { Db } from '../store/db';
import { first } from './helpers/defined';

const backends = storeBackends();

describe.each(backends)('deployment identity on $name', (backend) => {
  let db: Db;
  beforeAll(async () => (db = await backend.open()));
  afterAll(() => backend.cleanup());

  it('is created on first start and the same on every later load (a restart keeps it)', async () => {
    const first = await loadDeploymentIdentity(db);
    expect(first.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(first.idKey.length).toBe(32);
    expect(first.idKeyFromSetting).toBe(false);
    const again = await loadDeploymentIdentity(db);
    expect(again.id).toBe(first.id);
    expect(again.idKey.equals(first.idKey)).toBe(true);
  });

  it('uses ID_KEY when given, keeping the deployment id', async () => {
    const stored = await loadDeploymentIdentity(db);
    const set = await loadDeploymentIdentity(db, { idKey: 'a-configured-secret' });
    expect(set.id).toBe(stored.id);
    expect(set.idKey.toString('utf8')).toBe('a-configured-secret');
    expect(set.idKeyFromSetting).toBe(true);
  });

  it('concurrent first loads agree', async () => {
    const all = await Promise.all([1, 2, 3].map(() => loadDeploymentIdentity(db)));
    expect(new Set(all.map((a) => a.id)).size).toBe(1);
  });
});

it('two stores are two deployments', async () => {
  const [a, b] = [first(storeBackends()), first(storeBackends())];
  try {
    const ia = await loadDeploymentIdentity(await a.open());
    const ib = await loadDeploymentIdentity(await b.open());
    expect(ia.id).not.toBe(ib.id);
    expect(ia.idKey.equals(ib.idKey)).toBe(false);
  } finally {
    await a.cleanup();
    await b.cleanup();
  }
});
