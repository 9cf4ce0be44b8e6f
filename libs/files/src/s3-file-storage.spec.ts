import { fileStorageContract } from '../test/file-storage.contract';
import { S3StandIn } from '../test/s3-stand-in';
import { S3FileStorage } from './s3-file-storage';

const ACCESS_KEY = 'stand-in-access-key';
const standIn = new S3StandIn('avatars-bucket', ACCESS_KEY);
let storage: S3FileStorage;

// No bucket exists on this machine: the same contract runs against a local stand-in that speaks
// S3's path-style protocol, through the real AWS SDK client.
fileStorageContract(
  'S3FileStorage against a local S3 stand-in',
  async () => {
    const endpoint = await standIn.start();
    storage = new S3FileStorage({
      bucket: 'avatars-bucket',
      region: 'us-east-1',
      endpoint,
      forcePathStyle: true,
      accessKeyId: ACCESS_KEY,
      secretAccessKey: 'stand-in-secret-key-0123456789',
    });
    return storage;
  },
  async () => {
    storage.destroy();
    await standIn.stop();
  },
);

describe('S3FileStorage requests', () => {
  it('addresses the bucket path-style, signs every request with the configured key, stores the content type', () => {
    expect(standIn.requests.length).toBeGreaterThan(0);
    for (const request of standIn.requests) {
      expect(request.signedWith).toBe(ACCESS_KEY);
      expect(request.path.startsWith('/avatars-bucket/contract/')).toBe(true);
    }
    expect([...standIn.objects.values()].map((object) => object.contentType)).toContain(
      'image/webp',
    );
  });
});
