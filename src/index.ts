/**
 * iis-ftps: read and change the TLS client-certificate settings of IIS FTP sites.
 *
 * Layers, top to bottom, each importing only those below it:
 * - cli/: the `iis-ftps` command; api/: the cmdlet-style functions, bulk selection, progress,
 *   desired state and drift; remote/: the same commands on many servers through PowerShell
 *   remoting; dsc/: the DSC v3 resource; doctor/: the dependency rules;
 * - session/: staging and all-or-nothing commits, over one backend;
 * - schema/: the zod schema and validation; codecs/: enum, flags, timeSpan, bool, string and
 *   thumbprint values;
 * - backends/: the registry and one folder per backend (xml/ by stage: file/, scan/, edit/;
 *   powershell/; edge/), each with its factory;
 * - edits/: text edits and the unified diff;
 * - contract/: what every layer shares (raw values, change sets, the Backend interface, backend
 *   factories), importing nothing; errors/: the error class and its closed set of codes.
 */
export { getFtpsSetting, getFtpsSettings, setFtpsSetting, resetFtpsSetting, testFtpsSetting } from './api/cmdlets.js';
export type { SetOptions, ResetOptions, TestReport, TestResult, TargetOptions } from './api/cmdlets.js';
export { applyFtpsState, parseDesiredState, desiredStateSchema } from './api/apply.js';
export type { DesiredState } from './api/apply.js';
export { testFtpsState } from './api/drift.js';
export type { DriftReport, SettingDrift } from './api/drift.js';
export { runOnComputers } from './remote/fanout.js';
export type { RemoteCommand, RemoteDrift, RemoteOptions, ServerReport } from './remote/fanout.js';
export type { ChangeReport } from './api/commit.js';
export { LIVE_CONFLICT_ATTEMPTS } from './api/connection.js';
export type { ConflictRetry, ConnectionOptions } from './api/connection.js';
export type { SelectionOptions } from './api/selection.js';
export type { Progress, ProgressCallback, ProgressOptions } from './api/progress.js';
export { rotateFtpsCertificate, DEFAULT_CERTIFICATE_STORE } from './api/rotate.js';
export type { RotateOptions, RotateReport, RotatedLevel, RotationReason, UnrelatedSite, CertificateCheck } from './api/rotate.js';
export { judgeCertificate, EXPIRY_WARNING_DAYS } from './certificates/judge.js';
export type { CertificateFacts, CertificateProblem } from './certificates/judge.js';
export { readCertificateFile } from './certificates/file.js';
export { listFtpsBackups, restoreFtpsBackup, retryOnConflict } from './api/restore.js';
export type { BackupLocation } from './api/restore.js';
export type { BackupEntry, BackupOptions } from './backends/xml/file/backup.js';
export type { LockOptions } from './backends/xml/file/lock.js';
export type { RestoreResult } from './backends/xml/restore.js';
export { FtpsSession } from './session/session.js';
export type { EffectiveSettings, EffectiveValue, PlannedChange, SettingsReport, SiteIdentity, Source } from './session/session.js';
export type { Target } from './session/target.js';
export { ftpsSchema, settings, settingNames, findSetting, elementPaths } from './schema/index.js';
export { settingInput, settingValuesSchema } from './schema/zod.js';
export type { ElementName, SettingName, SettingValues, ElementValues, SettingDef } from './schema/index.js';
export { validateSettings, validateValue } from './schema/validate.js';
export { IisFtpsError, ERROR_CODES, isIisFtpsError } from './errors/errors.js';
export type { ErrorCode, SourcePosition, Result } from './errors/errors.js';
export { positionAt } from './errors/position.js';
export { rules as doctorRules, diagnose } from './doctor/rules.js';
export type { DoctorContext, Finding, Rule, Severity } from './doctor/rules.js';
export { openBackend, registerBackend, backendFactories } from './backends/registry.js';
export type { BackendFactory, BackendOptions, Availability } from './backends/registry.js';
export { XmlBackend, createXmlBackend } from './backends/xml/index.js';
export type { XmlBackendOptions } from './backends/xml/index.js';
export type * from './contract/index.js';
export { unifiedDiff } from './edits/diff.js';
