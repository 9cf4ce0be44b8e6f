export { DiskFileStorage } from './disk-file-storage';
export { assertStorageKey, FileStorage, type StoredFile } from './file-storage';
export { fileStorageFromConfig, FilesModule } from './files.module';
export { S3FileStorage, type S3StorageOptions } from './s3-file-storage';
