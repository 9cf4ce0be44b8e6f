import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

interface StoredObject {
  body: Buffer;
  contentType: string;
}

/** What the stand-in saw: each request's method, path and whether it was signed with the key. */
export interface S3Request {
  method: string;
  path: string;
  signedWith: string | null;
}

/**
 * A local stand-in for an S3-compatible service, for tests only (no bucket exists here): one
 * bucket, path-style requests, PutObject, GetObject, HeadObject and DeleteObject, answered the
 * way S3 answers them (404 NoSuchKey as XML, 204 on delete). It checks that requests carry a
 * SigV4 Authorization header for the expected access key, not the signature itself.
 */
export class S3StandIn {
  readonly objects = new Map<string, StoredObject>();
  readonly requests: S3Request[] = [];
  private server: Server | undefined;

  constructor(
    readonly bucket: string,
    readonly accessKeyId: string,
  ) {}

  async start(): Promise<string> {
    const server = createServer((req, res) => {
      void this.handle(req, res);
    });
    this.server = server;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve, reject) =>
      server.close((error) => {
        if (error) reject(error);
        else resolve();
      }),
    );
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const url = new URL(req.url ?? '/', 'http://stand-in');
    const path = decodeURIComponent(url.pathname);
    const signedWith =
      /^AWS4-HMAC-SHA256 Credential=([^/]+)\//.exec(req.headers.authorization ?? '')?.[1] ?? null;
    this.requests.push({ method: req.method ?? '', path, signedWith });
    if (signedWith !== this.accessKeyId) {
      this.error(res, 403, 'InvalidAccessKeyId');
      return;
    }
    const prefix = `/${this.bucket}/`;
    if (!path.startsWith(prefix)) {
      this.error(res, 404, 'NoSuchBucket');
      return;
    }
    const key = path.slice(prefix.length);
    const object = this.objects.get(key);
    switch (req.method) {
      case 'PUT':
        this.objects.set(key, {
          body: Buffer.concat(chunks),
          contentType: req.headers['content-type'] ?? 'binary/octet-stream',
        });
        res.writeHead(200, { ETag: '"stand-in"' }).end();
        return;
      case 'GET':
      case 'HEAD':
        if (!object) {
          this.error(res, 404, 'NoSuchKey', req.method === 'HEAD');
          return;
        }
        res.writeHead(200, {
          'Content-Type': object.contentType,
          'Content-Length': object.body.length,
        });
        res.end(req.method === 'GET' ? object.body : undefined);
        return;
      case 'DELETE':
        this.objects.delete(key);
        res.writeHead(204).end();
        return;
      default: {
        this.error(res, 405, 'MethodNotAllowed');
        return;
      }
    }
  }

  private error(res: ServerResponse, status: number, code: string, noBody = false): void {
    const body = `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>${code}</Message></Error>`;
    res.writeHead(status, { 'Content-Type': 'application/xml' });
    res.end(noBody ? undefined : body);
  }
}
