import { Logger, Module, type OnApplicationShutdown } from '@nestjs/common';
import { AppConfig } from '@app/common';
import { DiskFileStorage } from './disk-file-storage';
import { FileStorage } from './file-storage';
import { S3FileStorage } from './s3-file-storage';

/** The configured storage: the bucket when S3_BUCKET is set, else UPLOADS_DIR on local disk. */
export function fileStorageFromConfig(config: AppConfig): FileStorage {
  const bucket = config.get('S3_BUCKET');
  if (bucket === undefined) return new DiskFileStorage(config.get('UPLOADS_DIR'));
  return new S3FileStorage({
    bucket,
    region: config.get('S3_REGION'),
    endpoint: config.get('S3_ENDPOINT'),
    forcePathStyle: config.get('S3_FORCE_PATH_STYLE') === 'true',
    accessKeyId: config.get('S3_ACCESS_KEY_ID'),
    secretAccessKey: config.get('S3_SECRET_ACCESS_KEY'),
  });
}

@Module({
  providers: [
    {
      provide: FileStorage,
      inject: [AppConfig],
      useFactory: (config: AppConfig): FileStorage => {
        const storage = fileStorageFromConfig(config);
        const where = storage.kind === 's3' ? 'an S3 bucket' : 'the local disk';
        new Logger('FileStorage').log(`Uploaded files are stored on ${where}`);
        return storage;
      },
    },
  ],
  exports: [FileStorage],
})
export class FilesModule implements OnApplicationShutdown {
  constructor(private readonly storage: FileStorage) {}

  onApplicationShutdown(): void {
    if (this.storage instanceof S3FileStorage) this.storage.destroy();
  }
}
