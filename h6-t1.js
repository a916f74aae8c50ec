const { PGlite } = require('@electric-sql/pglite');
(async () => {
  const pg = await PGlite.create();
  await pg.exec("SET statement_timeout = 200");
  const t = Date.now();
  try { await pg.query("SELECT pg_sleep(1)"); console.log('no timeout', Date.now()-t); } catch (e) { console.log('err', e.message, e.code, Date.now()-t); }
  await pg.exec("SET idle_in_transaction_session_timeout = 200");
  await pg.exec("BEGIN");
  await new Promise(r=>setTimeout(r,500));
  try { console.log(await pg.query("SELECT 1 as x")); await pg.exec('COMMIT'); } catch (e) { console.log('err2', e.message); }
  console.log(pg.isInTransaction());
})();
