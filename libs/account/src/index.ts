export { AccountModule } from './account.module';
export { AccountExportDto } from './dto/account-export.dto';
