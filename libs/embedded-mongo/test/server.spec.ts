import { startEmbeddedMongo } from '../src';
import { connectClient, rejectionOf, type Doc } from './harness';

describe('startEmbeddedMongo lifecycle', () => {
  it('binds loopback on a free port and reports a matching uri', async () => {
    const server = await startEmbeddedMongo({ port: 0 });
    try {
      expect(server.port).toBeGreaterThan(0);
      expect(server.uri).toBe(`mongodb://127.0.0.1:${server.port}/`);
      const client = await connectClient(server.uri);
      try {
        expect((await client.db('admin').command({ ping: 1 })).ok).toBe(1);
      } finally {
        await client.close();
      }
    } finally {
      await server.stop();
    }
  });

  it('stop() releases the port so a new server can bind the same one', async () => {
    const first = await startEmbeddedMongo({ port: 0 });
    const port = first.port;
    await first.stop();
    const second = await startEmbeddedMongo({ port });
    try {
      expect(second.port).toBe(port);
      const client = await connectClient(second.uri);
      try {
        expect((await client.db('admin').command({ ping: 1 })).ok).toBe(1);
      } finally {
        await client.close();
      }
    } finally {
      await second.stop();
    }
  });

  it('starting on a port already in use rejects', async () => {
    const first = await startEmbeddedMongo({ port: 0 });
    try {
      const error = await rejectionOf(startEmbeddedMongo({ port: first.port }));
      expect(typeof (error as { message?: unknown }).message).toBe('string');
    } finally {
      await first.stop();
    }
  });

  it('two servers in one process keep separate data', async () => {
    const a = await startEmbeddedMongo({ port: 0 });
    const b = await startEmbeddedMongo({ port: 0 });
    const clientA = await connectClient(a.uri);
    const clientB = await connectClient(b.uri);
    try {
      expect(a.port).not.toBe(b.port);
      await clientA.db('shared').collection<Doc>('c').insertOne({ _id: 'only-in-a' });
      expect(await clientB.db('shared').collection<Doc>('c').countDocuments()).toBe(0);
      expect(await clientA.db('shared').collection<Doc>('c').countDocuments()).toBe(1);
    } finally {
      await clientA.close();
      await clientB.close();
      await a.stop();
      await b.stop();
    }
  });

  it('a stopped server no longer accepts connections', async () => {
    const server = await startEmbeddedMongo({ port: 0 });
    await server.stop();
    const error = await rejectionOf(
      connectClient(server.uri, { serverSelectionTimeoutMS: 500, connectTimeoutMS: 500 }),
    );
    expect((error as { name?: unknown }).name).toBe('MongoServerSelectionError');
  });
});
