/** The report kinds `skillpulse report --kind` and run configs accept. */
export const REPORT_KINDS = ['summary', 'trends', 'skill', 'cooccurrence', 'salary', 'emerging'] as const;
export type ReportKind = (typeof REPORT_KINDS)[number];
