import { Module } from '@nestjs/common';
import { FilesModule } from '@app/files';
import { UsersModule } from '@app/users';
import { AvatarUploadInterceptor } from './avatar-upload.interceptor';
import { AvatarsController } from './avatars.controller';
import { AvatarsService } from './avatars.service';

@Module({
  imports: [UsersModule, FilesModule],
  controllers: [AvatarsController],
  providers: [AvatarsService, AvatarUploadInterceptor],
  exports: [AvatarsService],
})
export class AvatarsModule {}
