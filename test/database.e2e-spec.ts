import { getConnectionToken } from '@nestjs/mongoose';
import mongoose, { type Connection } from 'mongoose';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EMBEDDED_DB_NAME } from '@app/database';
import { createTestApp, ProbesModule, type TestApp } from './support';
import { closeAll } from './support/teardown';

describe('database on the embedded store', () => {
  let dataDir: string;
  let dataFile: string;
  let t: TestApp;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'dobkonektor-db-'));
    dataFile = join(dataDir, 'nested', 'store.bson');
    t = await createTestApp({
      imports: [ProbesModule],
      env: { MONGO_URL: undefined, EMBEDDED_MONGO_DATA: dataFile },
    });
  });

  afterAll(async () => {
    await closeAll(t);
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('says in the log that MONGO_URL is unset and where the embedded store persists', () => {
    const line = t.logs.lines().find((entry) => entry.context === 'Database');
    expect(line).toEqual({
      level: 30,
      context: 'Database',
      msg: expect.stringMatching(
        /^MONGO_URL is not set: using the embedded MongoDB-compatible store at mongodb:\/\/127\.0\.0\.1:\d+\/, persisting to /,
      ) as unknown,
    });
    expect(line?.msg?.endsWith(`persisting to ${dataFile}`)).toBe(true);
  });

  it('connects Mongoose to its own database with sanitizeFilter on', async () => {
    const connection = t.app.get<Connection>(getConnectionToken());
    expect(connection.readyState).toBe(1);
    expect(connection.db?.databaseName).toBe(EMBEDDED_DB_NAME);
    expect(mongoose.get('sanitizeFilter')).toBe(true);
    const created = await t.http.post('/api/v1/test-probes').send({ name: 'filtered' });
    expect(created.status).toBe(201);
    const probes = connection.model('Probe');
    expect(await probes.countDocuments({ name: 'filtered' })).toBe(1);
    await expect(probes.countDocuments({ name: { $ne: 'nobody' } })).rejects.toThrow(
      `Cast to string failed for value "{ '$ne': 'nobody' }"`,
    );
  });

  it('persists to EMBEDDED_MONGO_DATA on close and reads it back on the next start', async () => {
    const created = await t.http.post('/api/v1/test-probes').send({ name: 'survivor' });
    expect(created.status).toBe(201);
    await t.close();
    expect((await stat(dataFile)).size).toBeGreaterThan(0);
    t = await createTestApp({
      imports: [ProbesModule],
      env: { MONGO_URL: undefined, EMBEDDED_MONGO_DATA: dataFile },
    });
    const again = await t.http.get(`/api/v1/test-probes/${(created.body as { id: string }).id}`);
    expect(again.status).toBe(200);
    expect(again.body).toEqual(created.body);
  });
});
