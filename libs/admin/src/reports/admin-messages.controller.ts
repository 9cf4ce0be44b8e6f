import { Controller, Delete, HttpCode, HttpStatus, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiNoContentResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  ApiErrorResponses,
  ApiObjectIdParam,
  type AuthUser,
  CurrentUser,
  ParseObjectIdPipe,
  Roles,
} from '@app/common';
import { AdminReportsService } from './admin-reports.service';

@ApiTags('admin')
@ApiBearerAuth()
@Roles('admin')
@ApiErrorResponses(401, 403)
@Controller('admin/messages')
export class AdminMessagesController {
  constructor(private readonly reports: AdminReportsService) {}

  @Delete(':id')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({
    summary: 'Delete any message (audited as message.delete)',
    description:
      "The room's sockets get message:deleted; every open report of the message is resolved " +
      '(action delete-message). No refund.',
  })
  @ApiObjectIdParam('id')
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiErrorResponses(400, 404)
  delete(
    @CurrentUser() admin: AuthUser,
    @Param('id', ParseObjectIdPipe) id: string,
  ): Promise<void> {
    return this.reports.deleteMessage(admin, id);
  }
}
