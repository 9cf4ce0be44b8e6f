export { CreateReportDto } from './dto/create-report.dto';
export {
  ReportDto,
  ReportEvidenceDto,
  ReportPageDto,
  ReportReceiptDto,
  ReportResolutionDto,
  toReportDto,
  toReportReceipt,
} from './dto/report.dto';
export {
  type ReportAction,
  REPORT_ACTIONS,
  REPORT_OUTCOMES,
  REPORT_STATUSES,
  type ReportEvidence,
  type ReportOutcome,
  type ReportRecord,
  type ReportResolution,
  type ReportStatus,
} from './report.record';
export { checkResolutionNote, REPORT_REASON_MAX, RESOLUTION_NOTE_MAX } from './report-rules';
export { ReportsModule } from './reports.module';
export { ReportsService, type ReportView } from './reports.service';
